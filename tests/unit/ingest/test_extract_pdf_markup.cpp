// PDF comments and filled form fields read after their page's text (pdf_markup.h): the committed
// fixtures of tests/fixtures/pdf/make_annotated_pdfs.py, and PDFs written here with many, huge or
// malformed annotations.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "ingest/extract.h"
#include "support/annotated_pdf.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

const fs::path kPdfDir = fs::path(FOLIO_FIXTURES_DIR) / "pdf";
const SourceType kPdf{SourceKind::Pdf, ""};

ExtractedText readPdf(const std::string& file) {
  auto r = extractDocument(kPdfDir / file, kPdf);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

ExtractedText readBytes(const std::string& pdf, const ExtractOptions& options = {}) {
  auto r = extractBytes(pdf, kPdf, "written.pdf", options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

// Page `n`'s (1-based) text.
std::string pageText(const ExtractedText& t, size_t n) {
  if (n > t.page_starts.size()) return {};
  const size_t begin = static_cast<size_t>(t.page_starts[n - 1]);
  const size_t end = n < t.page_starts.size() ? static_cast<size_t>(t.page_starts[n]) : t.text.size();
  return t.text.substr(begin, end - begin);
}

// The page's lines from the first one that starts with '['.
std::string notes(const std::string& page) {
  const size_t at = page.find("\n[");
  return at == std::string::npos ? std::string() : page.substr(at + 1);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

constexpr const char* kPage1Comments =
    "[comment p.1, Alice Counsel, 2024-03-05 14:30, on highlighted \"shall not exceed the fees paid.\": Too low: ask "
    "for twice the annual fees.]\n"
    "  [reply p.1, Bob Partner, 2024-03-06 09:15: Agreed, but cap it at 1.5x.]\n"
    "    [reply p.1, Alice Counsel, 2024-03-06 10:10: Fine with 1.5x.]\n"
    "[comment p.1, Carol Client, 2024-03-07: Please check the term with finance.\nThanks.]\n"
    "[comment p.1, Zo\xC3\xAB M\xC3\xBCller, 2024-03-08 12:00, striking out \"three years\": Make it two.]\n"
    "[comment p.1, Bob Partner, on underlined \"in writing\": Notice by e-mail too? & by courier]\n"
    "[comment p.1, Bob Partner: Hidden box: call the client]\n";

TEST(PdfComments, AuthorsDatesQuotesAndRepliesFollowTheirPage) {
  const ExtractedText t = readPdf("annotated.pdf");
  ASSERT_EQ(t.page_starts.size(), 2u);
  const std::string p1 = pageText(t, 1), p2 = pageText(t, 2);
  EXPECT_EQ(notes(p1), kPage1Comments);
  EXPECT_EQ(notes(p2), "[comment p.2, Bob Partner, 2024-03-09: Check VAT.]\n");
  EXPECT_EQ(p1.find("MASTER SERVICES AGREEMENT") < p1.find("[comment"), true);  // after the page's own text
}

TEST(PdfComments, TextBoxesDrawnOnThePageAreNotRepeatedAndPopupsAreNotComments) {
  const ExtractedText t = readPdf("annotated.pdf");
  EXPECT_EQ(count(t.text, "Draft v2 - privileged"), 1u);           // its appearance stream, in the page text
  EXPECT_EQ(count(t.text, "Note for file: signed copy pending"), 1u);  // drawn by poppler without one
  EXPECT_EQ(count(t.text, "Hidden box: call the client"), 1u);      // hidden: not drawn, so listed
  EXPECT_EQ(count(t.text, "[comment p.1"), 5u);  // the popup, the link and the bare highlight say nothing
  EXPECT_EQ(count(t.text, "keeps the other's information secret"), 1u);
}

TEST(PdfComments, AnEncryptedFileWithObjectStreamsReadsTheSame) {
  EXPECT_EQ(readPdf("annotated_encrypted.pdf").text, readPdf("annotated.pdf").text);
}

TEST(PdfComments, ACommentIsCitedOnItsOwnPage) {
  const ExtractedText t = readPdf("annotated.pdf");
  ASSERT_EQ(t.page_starts.size(), 2u);
  const auto at = static_cast<int64_t>(t.text.find("Check VAT."));
  const auto first = static_cast<int64_t>(t.text.find("Make it two."));
  EXPECT_GE(at, t.page_starts[1]);
  EXPECT_GT(first, t.page_starts[0]);
  EXPECT_LT(first, t.page_starts[1]);
}

TEST(PdfForms, ValuesNotDrawnOnThePageAreListedWhereTheirWidgetIs) {
  const ExtractedText t = readPdf("form.pdf");
  ASSERT_EQ(t.page_starts.size(), 2u);
  EXPECT_EQ(notes(pageText(t, 1)),
            "[field p.1, Consent to electronic service: checked]\n"
            "[field p.1, urgent: unchecked]\n"
            "[field p.1, costs_claimed: checked]\n"
            "[field p.1, Legally represented: no]\n"
            "[field p.1, issues: Contract; Property]\n"
            "[field p.1, internal_ref: Matter 4471]\n"
            "[signature p.1, signature: not signed]\n");
  EXPECT_EQ(notes(pageText(t, 2)), "");
  // Drawn by their appearance streams (or by poppler for those without one): in the text once.
  for (const char* drawn : {"Jane Doe\n", "2024-CV-0173", "Acme Ltd", "High Court", "Jane Doe, claimant"})
    EXPECT_EQ(count(t.text, drawn), 1u) << drawn;
  EXPECT_EQ(count(t.text, "notes"), 0u);      // empty
  EXPECT_EQ(count(t.text, "signature"), 2u);  // the empty signature field: "[signature p.1, signature: not signed]"
}

TEST(PdfComments, MalformedDictionariesAreReadAsFarAsTheyMakeSense) {
  const ExtractedText t = readPdf("malformed_annots.pdf");
  EXPECT_EQ(notes(pageText(t, 1)),
            "[field p.1, loop2.loop1: Loop value]\n"
            "[field p.1, self: Self value]\n"
            "[field p.1, opt_dict: two]\n"
            "[reply p.1: Replies to itself.]\n"
            "[reply p.1: Replies to the page tree.]\n"
            "[reply p.1: Replies to nothing.]\n"
            "[comment p.1: Odd quads.]\n"
            "[comment p.1: String quads.]\n"
            "[comment p.1, on underlined \"Malformed annotations page.\": Huge quads.]\n"
            "[comment p.1, 2024: D:bad date]\n"
            "[reply p.1, Loop A: Loop one.]\n"
            "  [reply p.1, Loop B: Loop two.]\n");
}

TEST(PdfComments, HugeStringsDeepThreadsAndParentChainsAreCut) {
  std::vector<std::string> annots;
  annots.push_back("<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /T (" + std::string(1 << 20, 'T') +
                   ") /Contents (" + std::string(20 << 20, 'x') + ") >>");
  const int depth = 3000;
  for (int i = 1; i <= depth; ++i)  // a thread 3,000 replies deep
    annots.push_back("<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /IRT " + std::to_string(folio::test::annotObject(i - 1)) +
                     " 0 R /Contents (r" + std::to_string(i) + ") >>");
  const int parents = 200, first = depth + 1;  // a widget under 200 fields, the top one its own parent
  for (int i = 0; i < parents; ++i) {
    const int parent = folio::test::annotObject(i + 1 < parents ? first + i + 1 : first + i);
    annots.push_back("<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /FT /Tx /V (deep value) /T (f" +
                     std::to_string(i) + ") /Parent " + std::to_string(parent) + " 0 R >>");
  }
  ExtractOptions options;
  options.pdf_timeout_s = 20;
  const ExtractedText t = readBytes(folio::test::writeAnnotatedPdf({"Deep."}, annots), options);
  const std::string n = notes(pageText(t, 1));
  EXPECT_LT(n.size(), 1u << 20);
  EXPECT_NE(n.find(": " + std::string(32 << 10, 'x') + "\xE2\x80\xA6]\n"), std::string::npos);
  EXPECT_NE(n.find("[reply p.1: r3000]"), std::string::npos);
  EXPECT_NE(n.find("[field p.1, f31.f30."), std::string::npos);  // 32 names up the chain at most
}

TEST(PdfComments, TenThousandCommentsOnOnePage) {
  std::vector<std::string> annots;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    const double y = 716 - (i % 40) * 16;  // line i % 40 (its baseline 4 pt up)
    annots.push_back("<< /Type /Annot /Subtype /Highlight /Rect [72 " + std::to_string(y) + " 300 " +
                     std::to_string(y + 14) + "] /QuadPoints [72 " + std::to_string(y + 14) + " 300 " +
                     std::to_string(y + 14) + " 72 " + std::to_string(y) + " 300 " + std::to_string(y) +
                     "] /T (Reviewer " + std::to_string(i % 7) + ") /CreationDate (D:20240101120000Z) /Contents (Comment " +
                     std::to_string(i) + ") >>");
  }
  std::vector<std::string> lines;
  for (int i = 0; i < 40; ++i) lines.push_back("Clause " + std::to_string(i + 1) + " of the agreement text.");
  ExtractOptions options;
  options.pdf_timeout_s = 30;
  options.pdf_memory_bytes = 512ull << 20;
  const auto start = std::chrono::steady_clock::now();
  const ExtractedText t = readBytes(folio::test::writeAnnotatedPdf(lines, annots), options);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage children{};
  ::getrusage(RUSAGE_CHILDREN, &children);
  EXPECT_EQ(count(t.text, "[comment p.1, Reviewer "), static_cast<size_t>(n));
  EXPECT_NE(t.text.find("on highlighted \"Clause 1 of the agreement text.\": Comment 0]"), std::string::npos);
  EXPECT_NE(t.text.find("Comment 9999]"), std::string::npos);
  std::printf("10,000 highlights with comments on one page: %.2f s, %zu bytes of text; largest child's peak RSS %ld MiB\n",
              s, t.text.size(), children.ru_maxrss / 1024);
}

}  // namespace
}  // namespace folio::ingest
