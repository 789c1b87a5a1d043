// PDF reader version 2 (comments and form fields): a library read by version 1 re-reads its PDFs on an
// ordinary ingest, and a scanned page's OCR reading is reused, not read again, its comment added.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/reader_version.h"
#include "support/scanned_pdf.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest {
namespace {

// `pdf` with a sticky note added to the page in object `page` by an incremental update, as a reviewer's
// PDF editor saves it.
std::string withNote(const std::string& pdf, int page, const std::string& note) {
  const std::string head = "\n" + std::to_string(page) + " 0 obj\n";
  const size_t begin = pdf.find(head) + head.size();
  const size_t end = pdf.find("\nendobj", begin);
  std::string dict = pdf.substr(begin, end - begin);
  dict.insert(dict.rfind(">>"), " /Annots [90 0 R] ");
  const size_t prev = std::stoul(pdf.substr(pdf.rfind("startxref") + 10));
  std::string out = pdf;
  const size_t at_page = out.size();
  out += std::to_string(page) + " 0 obj\n" + dict + "\nendobj\n";
  const size_t at_note = out.size();
  out += "90 0 obj\n<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /T (Alice Counsel) /Contents (" + note +
         ") >>\nendobj\n";
  char entry[2][24];
  std::snprintf(entry[0], sizeof entry[0], "%010zu 00000 n \n", at_page);
  std::snprintf(entry[1], sizeof entry[1], "%010zu 00000 n \n", at_note);
  const size_t xref = out.size();
  out += "xref\n" + std::to_string(page) + " 1\n" + entry[0] + "90 1\n" + entry[1] +
         "trailer\n<< /Size 91 /Root 1 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return out;
}

TEST(IngestPdfMarkup, ReaderVersionTwoRereadsPdfsAndReusesTheirOcrReadings) {
  EXPECT_GE(readerVersion(SourceKind::Pdf), 2);
  test::TempDir dir;
  folio::test::PdfPageSpec cover, scan;
  cover.lines = {"Deed of lease, page one, in the text layer."};
  scan.image = folio::test::renderTextPage({"FIRST SCHEDULE", "The rent is payable quarterly in advance."}, 100);
  // Objects: 4-5 the text page, 6-8 the scanned page.
  test::writeText(dir.path() / "docs" / "lease.pdf",
                  withNote(folio::test::writeMixedPdf({cover, scan}), 6, "Rent review missing."));
  auto lib = Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  const EstimatingTokenCounter tokens;
  const std::vector<std::filesystem::path> roots{dir.path() / "docs"};
  auto first = runIngest(*lib, roots, IngestOptions{}, tokens, {}, nullptr);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->ocr_pages, 1);

  // As a library read by the version before: an ordinary ingest re-reads it.
  ASSERT_TRUE(lib->db().exec("UPDATE documents SET reader_version = 1"));
  auto again = runIngest(*lib, roots, IngestOptions{}, tokens, {}, nullptr);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rechunked, 1u);
  EXPECT_EQ(again->ocr_pages, 0);  // nothing read by OCR again
  EXPECT_EQ(again->ocr_reused, 1);
  auto docs = lib->documents();
  ASSERT_TRUE(docs && docs->size() == 1u);
  EXPECT_EQ(docs->front().reader_version, readerVersion(SourceKind::Pdf));
  auto chunks = lib->chunks(docs->front().id);
  ASSERT_TRUE(chunks);
  std::string all;
  for (const auto& c : *chunks) all += c.text;
  EXPECT_NE(all.find("FIRST SCHEDULE"), std::string::npos) << all;  // OCR's reading, kept
  EXPECT_NE(all.find("[comment p.2, Alice Counsel: Rent review missing.]"), std::string::npos) << all;
  auto kept = lib->db().queryInt("SELECT count(*) FROM ocr_texts WHERE text LIKE '%Rent review%'");
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, 0);  // the comment is not part of the page's OCR reading
}

}  // namespace
}  // namespace folio::ingest
