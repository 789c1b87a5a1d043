// Scanned PDF pages (no text layer) are read by OCR: a PDF of a text page, a scanned page and a text
// page gives the scanned page's words on page 2; --no-ocr leaves it empty; missing language data is a
// reason, not a failure; a stop ends a long read.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
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

TEST(PdfOcr, WithoutOcrTheScannedPageStaysEmpty) {
  ExtractOptions options;
  options.ocr = false;
  auto r = extractBytes(mixedPdf(), kPdf, "lease.pdf", options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->page_starts.size(), 3u);
  EXPECT_EQ(r->ocr_pages, 0);
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
  EXPECT_NE(r->ocr_problem.find("language data is missing"), std::string::npos) << r->ocr_problem;
  EXPECT_NE(pageText(*r, 0).find("between the Landlord"), std::string::npos);
}

TEST(PdfOcr, IngestCountsScannedPagesAndFindsTheirWords) {
  folio::ingest::test::TempDir dir;
  folio::ingest::test::writeText(dir.path() / "docs" / "lease.pdf", mixedPdf());
  auto lib = Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  const EstimatingTokenCounter tokens;
  const std::vector<std::filesystem::path> roots{dir.path() / "docs"};
  auto report = runIngest(*lib, roots, IngestOptions{}, tokens, {}, nullptr);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->added, 1u);
  EXPECT_EQ(report->ocr_pages, 1);
  EXPECT_TRUE(report->ocr_problems.empty());
  auto docs = lib->documents();
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ(docs->front().ocr_pages, 1);  // kept with the document (schema v12)
  auto found = search(lib->db(), "sixty days notice");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  // Short pages share a chunk: the one found spans the scanned page.
  EXPECT_LE(found->hits.front().page_first, 2);
  EXPECT_GE(found->hits.front().page_last, 2);
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
