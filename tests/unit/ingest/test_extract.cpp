#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/extract.h"
#include "ingest/html_text.h"
#include "ingest/utf8_text.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

const fs::path kPdfDir = fs::path(FOLIO_FIXTURES_DIR) / "pdf";
const fs::path kSamples = fs::path(FOLIO_RESOURCES_DIR) / "samples";

ExtractedText extractOk(std::string_view bytes, SourceKind kind) {
  auto r = extractBytes(bytes, SourceType{kind, ""}, "test");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

TEST(ExtractText, CrlfBomAndInvalidUtf8) {
  const ExtractedText t = extractOk("\xEF\xBB\xBFline one\r\nline two\rline \xFF\xFEthree\n\xE2\x82", SourceKind::PlainText);
  EXPECT_EQ(t.text, "line one\nline two\nline \xEF\xBF\xBD\xEF\xBF\xBDthree\n\xEF\xBF\xBD");
  EXPECT_TRUE(t.page_starts.empty());
}

TEST(ExtractText, Utf8HelpersReplaceMaximalSubparts) {
  EXPECT_EQ(normalizeText("a\xF0\x9F\x98" "b"), "a\xEF\xBF\xBD" "b");          // one truncated 4-byte sequence
  EXPECT_EQ(normalizeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate: 3 replacements
  EXPECT_EQ(normalizeText("\xC3\xA9\xE2\x82\xAC"), "\xC3\xA9\xE2\x82\xAC");    // valid text unchanged
  EXPECT_EQ(utf8Boundary("a\xE2\x82\xAC", 2), 1u);
  EXPECT_EQ(utf8Boundary("a\xE2\x82\xAC", 4), 4u);
  EXPECT_TRUE(looksLikeText("plain words\n"));
  EXPECT_FALSE(looksLikeText("\x01\x02\x03\x04\x05 abc"));
}

TEST(ExtractText, BinaryContentIsRefused) {
  auto r = extractBytes(std::string("abc\0def", 7), SourceType{SourceKind::Code, "c"}, "x.c");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("x.c: binary"), std::string::npos);
}

TEST(ExtractText, MarkdownTitle) {
  EXPECT_EQ(extractOk("intro\n## Setup Guide ##\nbody\n", SourceKind::Markdown).title, "Setup Guide");
}

TEST(ExtractHtml, HeadingsEntitiesScriptsAndTitle) {
  const std::string html =
      "<!DOCTYPE html><html><head><title>Ship &amp; Track</title><style>h1{color:red}</style></head>"
      "<body><h1>Main  Title</h1><p>First&nbsp;para with <b>bold</b> &lt;tag&gt; &#x41;&#66;.</p>"
      "<script>if (a < b) { document.write('<h2>no</h2>'); }</script>"
      "<!-- <p>hidden</p> --><h2 class=\"x>y\">Sub</h2><ul><li>one</li><li>two</li></ul>"
      "<pre>  keep   spaces\n  here</pre><p>caf\xC3\xA9 &unknown; &#0;</p></body></html>";
  const HtmlText t = htmlToText(html);
  EXPECT_EQ(t.title, "Ship & Track");
  EXPECT_EQ(t.text,
            "# Main Title\n\nFirst\xC2\xA0para with bold <tag> AB.\n\n## Sub\n\none\ntwo\n\n  keep   spaces\n  here\n\n"
            "caf\xC3\xA9 &unknown; \xEF\xBF\xBD\n");
  const ExtractedText e = extractOk(html, SourceKind::Html);
  EXPECT_EQ(e.title, "Ship & Track");
  EXPECT_EQ(e.text, t.text);
}

TEST(ExtractHtml, MalformedMarkupDoesNotFail) {
  EXPECT_EQ(htmlToText("a < b and <p unterminated").text, "a < b and\n");
  EXPECT_EQ(htmlToText("<script>never closed").text, "");
  // 4,999 literal '<' and a <title> that never closes (its text is the title, not the body).
  EXPECT_EQ(htmlToText(std::string(5000, '<') + "title>").text, std::string(4999, '<') + "\n");
}

TEST(ExtractPdf, TwoPagesWithPageStarts) {
  auto r = extractDocument(kPdfDir / "two_pages.pdf", SourceType{SourceKind::Pdf, ""});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->page_starts[0], 0);
  const std::string page1 = r->text.substr(0, r->page_starts[1]);
  const std::string page2 = r->text.substr(r->page_starts[1]);
  EXPECT_NE(page1.find("Alpha page one"), std::string::npos);
  EXPECT_NE(page2.find("Beta page two"), std::string::npos);
  EXPECT_EQ(page1.back(), '\n');
  EXPECT_EQ(r->text.find('\f'), std::string::npos);
}

TEST(ExtractPdf, SampleContractMetadataAndPages) {
  auto r = extractDocument(kSamples / "contracts/services-agreement.pdf", SourceType{SourceKind::Pdf, ""});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->page_starts.size(), 6u);
  EXPECT_NE(r->title.find("Master Services Agreement"), std::string::npos);
  EXPECT_NE(r->text.find("1. Definitions"), std::string::npos);
  EXPECT_NE(r->text.find("10.2"), std::string::npos);
}

void expectPdfError(const std::string& file, const std::string& reason, const ExtractOptions& options = {}) {
  auto r = extractDocument(kPdfDir / file, SourceType{SourceKind::Pdf, ""}, options);
  ASSERT_FALSE(r.ok()) << file << " unexpectedly parsed (" << r->page_starts.size() << " pages)";
  EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
  EXPECT_NE(r.error().message.find(file), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
}

TEST(ExtractPdf, EncryptedNeedsPassword) { expectPdfError("encrypted.pdf", "encrypted"); }
TEST(ExtractPdf, NotAPdf) { expectPdfError("not_a_pdf.pdf", "not a PDF"); }
TEST(ExtractPdf, ReferenceLoopTerminates) {
  // Poppler breaks the /Kids cycle; what matters is that parsing ends with the one real page (or an
  // error with a reason), not a hang or a crash.
  auto r = extractDocument(kPdfDir / "ref_loop.pdf", SourceType{SourceKind::Pdf, ""});
  if (r.ok()) {
    EXPECT_LE(r->page_starts.size(), 2u);  // /Count says 2; the cycle is not followed
  } else {
    EXPECT_NE(r.error().message.find("ref_loop.pdf"), std::string::npos);
  }
}

TEST(ExtractPdf, LigaturesAreExpanded) {
  auto r = extractDocument(kSamples / "contracts/services-agreement.pdf", SourceType{SourceKind::Pdf, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text.find("\xEF\xAC\x81"), std::string::npos);  // U+FB01 (fi)
  EXPECT_NE(r->text.find("Effective Date"), std::string::npos);
}

TEST(ExtractPdf, TruncatedFailsWithReason) {
  auto r = extractDocument(kPdfDir / "truncated.pdf", SourceType{SourceKind::Pdf, ""});
  if (r.ok()) {
    // Poppler may reconstruct part of a truncated file; then it must not claim the full page count.
    EXPECT_LT(r->page_starts.size(), 3u);
  } else {
    EXPECT_NE(r.error().message.find("truncated.pdf"), std::string::npos);
  }
}

TEST(ExtractPdf, DecompressionBombFailsOnlyThatDocument) {
  ExtractOptions tight;
  tight.pdf_timeout_s = 10;
  tight.pdf_memory_bytes = 256ull << 20;
  auto r = extractDocument(kPdfDir / "bomb.pdf", SourceType{SourceKind::Pdf, ""}, tight);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("bomb.pdf"), std::string::npos);
  EXPECT_TRUE(m.find("memory") != std::string::npos || m.find("time") != std::string::npos) << m;
  std::printf("bomb.pdf -> %s\n", m.c_str());
  // The process is intact: the next document parses.
  auto good = extractDocument(kPdfDir / "two_pages.pdf", SourceType{SourceKind::Pdf, ""});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->page_starts.size(), 2u);
}

TEST(ExtractPdf, MissingFileNamesTheFile) {
  auto r = extractDocument(kPdfDir / "missing.pdf", SourceType{SourceKind::Pdf, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("missing.pdf"), std::string::npos);
}

}  // namespace
}  // namespace folio::ingest

TEST(Utf8Text, ElideMiddleKeepsBothEndsWholeCharacters) {
  EXPECT_EQ(folio::ingest::elideMiddle("short", 10), "short");
  EXPECT_EQ(folio::ingest::elideMiddle("abcdefghijklmnop", 8), "abcd \xE2\x80\xA6 mnop");
  // "é" (2 bytes) straddling either cut is kept whole or left out whole, never split.
  const std::string s = "abc\xC3\xA9" "defghij\xC3\xA9xyz";
  const std::string e = folio::ingest::elideMiddle(s, 8);
  EXPECT_TRUE(folio::ingest::isValidUtf8(e)) << e;
  EXPECT_EQ(e, "abc \xE2\x80\xA6 xyz");  // both é straddle a cut: left out
}
