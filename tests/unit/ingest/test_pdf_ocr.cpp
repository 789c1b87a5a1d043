// Scanned PDF pages (no text layer) are read by OCR: a PDF of a text page, a scanned page and a text
// page gives the scanned page's words on page 2; --no-ocr leaves it empty and says so; missing language
// data is a reason, not a failure; a page left unread is noted with its document and read by a later
// ingest with OCR on; a stop ends a long read.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <poppler-image.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "ingest/pdf_ocr.h"
#include "support/scanned_pdf.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest {
namespace {

using folio::test::PdfPageSpec;

const SourceType kPdf{SourceKind::Pdf, ""};

std::string mixedPdf() {
  PdfPageSpec first, scanned, last;
  first.lines = {"LEASE AGREEMENT", "This lease is made between the Landlord and the Tenant."};
  scanned.image = folio::test::renderTextPage({"SCHEDULE OF NOTICES",
                                               "The Tenant may terminate this lease on sixty days notice.",
                                               "Notices must be delivered by registered mail."});
  last.lines = {"Signed by both parties on the date above."};
  return folio::test::writeMixedPdf({first, scanned, last});
}

std::string pageText(const ExtractedText& t, size_t page) {
  const auto begin = static_cast<size_t>(t.page_starts[page]);
  const auto end = page + 1 < t.page_starts.size() ? static_cast<size_t>(t.page_starts[page + 1]) : t.text.size();
  return t.text.substr(begin, end - begin);
}

TEST(PdfOcr, AScannedPageIsReadByOcrInItsPlace) {
  auto r = extractBytes(mixedPdf(), kPdf, "lease.pdf");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->page_starts.size(), 3u);
  EXPECT_EQ(r->ocr_pages, 1);
  EXPECT_TRUE(r->ocr_problem.empty()) << r->ocr_problem;
  EXPECT_NE(pageText(*r, 0).find("between the Landlord"), std::string::npos) << pageText(*r, 0);
  const std::string scanned = pageText(*r, 1);
  EXPECT_NE(scanned.find("SCHEDULE OF NOTICES"), std::string::npos) << scanned;
  EXPECT_NE(scanned.find("terminate this lease on sixty days notice"), std::string::npos) << scanned;
  EXPECT_NE(scanned.find("registered mail"), std::string::npos) << scanned;
  EXPECT_NE(pageText(*r, 2).find("Signed by both parties"), std::string::npos);
}

// Scanned pages read on several threads come back in their places, as read on one.
TEST(PdfOcr, PagesReadSideBySideKeepTheirOrder) {
  std::vector<PdfPageSpec> pages;
  for (int i = 1; i <= 5; ++i) {
    PdfPageSpec p;
    const std::string line = "Page " + std::to_string(i) + " holds clause " + std::to_string(10 * i) + " of the lease.";
    if (i % 2 == 0) p.lines = {line};
    else p.image = folio::test::renderTextPage({line}, 150);
    pages.push_back(std::move(p));
  }
  const std::string pdf = folio::test::writeMixedPdf(pages);
  ExtractOptions one, three;
  three.ocr_threads = 3;
  auto a = extractBytes(pdf, kPdf, "scan.pdf", one);
  auto b = extractBytes(pdf, kPdf, "scan.pdf", three);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ocr_pages, 3);
  EXPECT_EQ(b->ocr_pages, 3);
  EXPECT_EQ(a->text, b->text);
  ASSERT_EQ(b->page_starts.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NE(pageText(*b, i).find("clause " + std::to_string(10 * (i + 1))), std::string::npos) << pageText(*b, i);
  }
}

// A large-format scan (a drawing, a poster exhibit: here 120 x 150 inches) would be 1.6 billion pixels
// at 300 dpi, past the memory limit; it is rendered at the resolution that fits and read.
TEST(PdfOcr, AHugePageIsReadAtALowerResolution) {
  PdfPageSpec poster;
  poster.image =
      folio::test::renderTextPage({"EXHIBIT C SITE PLAN", "Boundary of the leased premises."}, 100);
  poster.image.dpi = 7;  // the same pixels on a page 850 / 7 = 121 inches wide
  auto r = extractBytes(folio::test::writeMixedPdf({poster}), kPdf, "plan.pdf");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 1) << r->ocr_problem;
  EXPECT_NE(r->text.find("Boundary of the leased premises"), std::string::npos) << r->text;
}

// A sheet fed upside down: Tesseract reads it as nonsense of low confidence; read turned, its words.
TEST(PdfOcr, AnUpsideDownPageIsReadTurned) {
  PdfPageSpec fax;
  fax.image = folio::test::renderTextPage(
      {"NOTICE OF DEFAULT", "The Borrower has failed to pay the instalment due on 1 March."}, 150);
  std::reverse(fax.image.pixels.begin(), fax.image.pixels.end());  // rows without padding: turned 180 degrees
  auto r = extractBytes(folio::test::writeMixedPdf({fax}), kPdf, "fax.pdf");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 1);
  EXPECT_NE(r->text.find("failed to pay the instalment"), std::string::npos) << r->text;
}

TEST(PdfOcr, WithoutOcrTheScannedPageStaysEmpty) {
  ExtractOptions options;
  options.ocr = false;
  auto r = extractBytes(mixedPdf(), kPdf, "lease.pdf", options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->page_starts.size(), 3u);
  EXPECT_EQ(r->ocr_pages, 0);
  EXPECT_EQ(r->unread_pages, 1);
  EXPECT_NE(r->ocr_problem.find("--no-ocr"), std::string::npos) << r->ocr_problem;
  EXPECT_EQ(pageText(*r, 1).find_first_not_of(" \n"), std::string::npos) << pageText(*r, 1);
}

TEST(PdfOcr, MissingLanguageDataIsAReasonNotAFailure) {
  folio::ingest::test::TempDir empty;
  const char* before = std::getenv("TESSDATA_PREFIX");
  const std::string saved = before ? before : "";
  ::setenv("TESSDATA_PREFIX", empty.path().c_str(), 1);  // the extraction child inherits it
  auto r = extractBytes(mixedPdf(), kPdf, "lease.pdf");
  if (before) ::setenv("TESSDATA_PREFIX", saved.c_str(), 1);
  else ::unsetenv("TESSDATA_PREFIX");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 0);
  EXPECT_EQ(r->unread_pages, 1);
  EXPECT_NE(r->ocr_problem.find("language data is missing"), std::string::npos) << r->ocr_problem;
  EXPECT_NE(pageText(*r, 0).find("between the Landlord"), std::string::npos);
}

// A library in a temporary folder with the mixed lease PDF in docs/, ingested by ingest().
struct LeaseLibrary {
  folio::ingest::test::TempDir dir;
  std::optional<Library> lib;
  const EstimatingTokenCounter tokens;

  LeaseLibrary() {
    folio::ingest::test::writeText(dir.path() / "docs" / "lease.pdf", mixedPdf());
    auto opened = Library::open(dir.path() / "lib.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) lib.emplace(std::move(*opened));
  }
  // The report and the document as stored after it.
  std::pair<IngestReport, DocumentRecord> ingest(bool ocr = true,
                                                 int ocr_max_pages = ExtractOptions{}.ocr_max_pages) {
    IngestOptions options;
    options.extract.ocr = ocr;
    options.extract.ocr_max_pages = ocr_max_pages;
    const std::vector<std::filesystem::path> roots{dir.path() / "docs"};
    auto report = runIngest(*lib, roots, options, tokens, {}, nullptr);
    EXPECT_TRUE(report) << report.error().message;
    auto docs = lib->documents();
    EXPECT_TRUE(docs && docs->size() == 1u);
    return {report ? *report : IngestReport{}, docs && !docs->empty() ? docs->front() : DocumentRecord{}};
  }
};

TEST(PdfOcr, IngestCountsScannedPagesAndFindsTheirWords) {
  LeaseLibrary l;
  ASSERT_TRUE(l.lib);
  auto [report, doc] = l.ingest();
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.ocr_pages, 1);
  EXPECT_TRUE(report.ocr_problems.empty());
  EXPECT_EQ(doc.ocr_pages, 1);  // kept with the document (schema v12)
  EXPECT_EQ(doc.error, "");
  auto found = search(l.lib->db(), "sixty days notice");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  // Short pages share a chunk: the one found spans the scanned page.
  EXPECT_LE(found->hits.front().page_first, 2);
  EXPECT_GE(found->hits.front().page_last, 2);
}

// A page left unread is noted with its document (`folio docs` shows it); the next ingest with OCR on
// reads it, and says so again while OCR still cannot.
TEST(PdfOcr, UnreadPagesAreNotedAndReadByALaterIngest) {
  LeaseLibrary l;
  ASSERT_TRUE(l.lib);

  auto [off, off_doc] = l.ingest(false);
  EXPECT_EQ(off.added, 1u);
  EXPECT_EQ(off.ocr_pages, 0);
  ASSERT_EQ(off.ocr_problems.size(), 1u);
  EXPECT_EQ(off.ocr_problems[0].reason,
            "1 of 3 pages without a text layer left unread: OCR is off (--no-ocr)");
  EXPECT_EQ(off_doc.status, DocumentStatus::Ok);
  EXPECT_EQ(off_doc.error, off.ocr_problems[0].reason);
  EXPECT_EQ(off_doc.ocr_pages, 0);

  auto [still_off, still_off_doc] = l.ingest(false);  // nothing to do while OCR stays off
  EXPECT_EQ(still_off.unchanged, 1u);
  EXPECT_TRUE(still_off.ocr_problems.empty());

  {  // OCR on, but without its language data: read again, with the new reason; then left as it is
    folio::ingest::test::TempDir empty;
    ::setenv("TESSDATA_PREFIX", empty.path().c_str(), 1);
    auto [missing, missing_doc] = l.ingest(true);
    auto [still_missing, still_missing_doc] = l.ingest(true);
    ::unsetenv("TESSDATA_PREFIX");
    EXPECT_EQ(missing.updated, 1u);
    EXPECT_EQ(missing_doc.error,
              "1 of 3 pages without a text layer left unread: OCR is unavailable: Tesseract's English "
              "language data "
              "is missing (install tesseract-ocr-eng, or set TESSDATA_PREFIX)");
    EXPECT_EQ(still_missing.unchanged, 1u);
    EXPECT_EQ(still_missing.updated, 0u);
    ASSERT_EQ(still_missing.ocr_problems.size(), 1u);  // said again while OCR still cannot read it
    EXPECT_EQ(still_missing.ocr_problems[0].reason, missing_doc.error);
    EXPECT_EQ(still_missing_doc.error, missing_doc.error);
  }

  auto [on, on_doc] = l.ingest(true);
  EXPECT_EQ(on.updated, 1u);
  EXPECT_EQ(on.ocr_pages, 1);
  EXPECT_TRUE(on.ocr_problems.empty());
  EXPECT_EQ(on_doc.ocr_pages, 1);
  EXPECT_EQ(on_doc.error, "");
  auto found = search(l.lib->db(), "registered mail");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->hits.empty());

  auto [again, again_doc] = l.ingest(true);  // read: nothing more to do
  EXPECT_EQ(again.unchanged, 1u);
  EXPECT_EQ(again.ocr_pages, 0);
}

// Tesseract's OpenMP loops would start threads of their own beside each OCR thread (a page 5x slower
// on 2 cores); a thread that has read a page starts no active parallel region, whatever the environment.
TEST(PdfOcr, ReadingAPageKeepsOpenMpToItsThread) {
  using GetLevels = int (*)();
  const auto get = reinterpret_cast<GetLevels>(::dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
  if (!get) GTEST_SKIP() << "Tesseract is built without OpenMP";
  int levels = -1;
  std::thread([&] {
    poppler::image blank(64, 64, poppler::image::format_gray8);
    std::memset(blank.data(), 0xFF, static_cast<size_t>(blank.bytes_per_row()) * 64);
    PageOcr ocr;
    auto text = ocr.recognize(blank);
    EXPECT_TRUE(text.ok()) << text.error().message;
    levels = get();
  }).join();
  EXPECT_EQ(levels, 0);
}

// Pages past the per-file cap stay unread with the same bytes: no later ingest reads the file again.
TEST(PdfOcr, PagesPastTheCapAreNotedButNotReadAgain) {
  LeaseLibrary l;
  ASSERT_TRUE(l.lib);
  auto [capped, capped_doc] = l.ingest(true, 0);
  EXPECT_EQ(
      capped_doc.error,
      "1 of 3 pages without a text layer left unread: only a file's first 0 such pages are read by OCR");
  auto [again, again_doc] = l.ingest(true, 0);
  EXPECT_EQ(again.unchanged, 1u);
  EXPECT_TRUE(again.ocr_problems.empty());
}

// Once the engine finds its language data missing, the file's other scanned pages are not rendered
// for it, and each is counted unread with that reason.
TEST(PdfOcr, WithoutLanguageDataEveryScannedPageIsCountedUnread) {
  std::vector<PdfPageSpec> pages(5);
  for (int i = 0; i < 5; ++i)
    pages[i].image = folio::test::renderTextPage({"Page " + std::to_string(i + 1)}, 100);
  const std::string pdf = folio::test::writeMixedPdf(pages);
  folio::ingest::test::TempDir empty;
  ::setenv("TESSDATA_PREFIX", empty.path().c_str(), 1);
  auto r = extractBytes(pdf, kPdf, "scan.pdf");
  ::unsetenv("TESSDATA_PREFIX");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->page_starts.size(), 5u);
  EXPECT_EQ(r->ocr_pages, 0);
  EXPECT_EQ(r->unread_pages, 5);
  EXPECT_TRUE(r->ocr_problem.starts_with("OCR is unavailable: ")) << r->ocr_problem;
}

TEST(PdfOcr, AStopEndsTheRead) {
  const std::atomic<bool> stop{true};
  ExtractOptions options;
  options.cancel = &stop;
  auto r = extractBytes(mixedPdf(), kPdf, "lease.pdf", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Cancelled);
}

}  // namespace
}  // namespace folio::ingest
