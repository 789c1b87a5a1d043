// Word (.docx) extraction: automatic numbering written out, headings, tables, notes, tracked changes,
// page breaks, and the errors of broken or hostile files.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/office/docx_numbering.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using folio::test::DocxParts;
using folio::test::docxBytes;
using folio::test::wordParagraph;
using folio::test::zipBytes;
const EstimatingTokenCounter kTokens;

const SourceType kWord{SourceKind::Word, ""};

Result<ExtractedText> extractWord(const std::string& bytes, const ExtractOptions& options = {}) {
  return extractBytes(bytes, kWord, "contract.docx", options);
}

ExtractedText extractOk(const DocxParts& parts) {
  auto r = extractWord(docxBytes(parts));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

// Word's styles for a contract: Normal, headings numbered by list 1, the table of contents, Title.
const std::string kStyles =
    R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>)"
    R"(<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>)"
    R"(<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>)"
    R"(<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/></w:style>)";

// A legal multilevel list: "1." (the Heading 1 style's level), "1.1", "(a)", "(i)".
const std::string kNumbering =
    R"(<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>)"
    R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>)"
    R"(<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>)"
    R"(<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>)"
    R"x(<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>)x"
    R"x(<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>)x"
    R"(</w:abstractNum>)"
    R"(<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>)"
    R"(<w:lvlText w:val=")" "\xEF\x82\xB7" R"("/></w:lvl></w:abstractNum>)"
    R"(<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>)"
    R"(<w:lvlText w:val="Schedule %1"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>)"
    R"(<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)"
    R"(<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>)"
    R"(<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>)"
    R"(<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>)";

DocxParts contract() {
  DocxParts p;
  p.styles = kStyles;
  p.numbering = kNumbering;
  p.title = "Master Services Agreement";
  p.author = "Dana Whitfield";
  p.body = wordParagraph("MASTER SERVICES AGREEMENT", "Title") + wordParagraph("1. Definitions\t1", "TOC1") +
           wordParagraph("Definitions", "Heading1") +
           wordParagraph("\xE2\x80\x9CServices\xE2\x80\x9D means the services described in Schedule A.", "", 1, 1) +
           wordParagraph("\xE2\x80\x9C" "Fees\xE2\x80\x9D means the fees set out in Schedule B.", "", 1, 1) +
           wordParagraph("Term and Termination", "Heading1") +
           wordParagraph("This Agreement starts on the Effective Date.", "", 1, 1) +
           wordParagraph("Either party may terminate this Agreement for convenience on 90 days' notice:", "", 1, 1) +
           wordParagraph("by written notice to the other party; and", "", 1, 2) +
           wordParagraph("with payment of all fees due up to the date of termination.", "", 1, 2) +
           wordParagraph("Termination does not affect accrued rights.", "", 1, 1);
  return p;
}

TEST(ExtractDocx, AutomaticNumberingIsWrittenOutAsWordShowsIt) {
  const ExtractedText t = extractOk(contract());
  EXPECT_EQ(t.text,
            "MASTER SERVICES AGREEMENT\n\n"
            "1. Definitions\n\n"
            "1.1 \xE2\x80\x9CServices\xE2\x80\x9D means the services described in Schedule A.\n\n"
            "1.2 \xE2\x80\x9C" "Fees\xE2\x80\x9D means the fees set out in Schedule B.\n\n"
            "2. Term and Termination\n\n"
            "2.1 This Agreement starts on the Effective Date.\n\n"
            "2.2 Either party may terminate this Agreement for convenience on 90 days' notice:\n\n"
            "(a) by written notice to the other party; and\n\n"
            "(b) with payment of all fees due up to the date of termination.\n\n"
            "2.3 Termination does not affect accrued rights.\n\n");
  EXPECT_EQ(t.title, "Master Services Agreement");
  EXPECT_EQ(t.author, "Dana Whitfield");
  EXPECT_TRUE(t.page_starts.empty());
}

TEST(ExtractDocx, AContractIsChunkedByItsClauses) {
  const ExtractedText t = extractOk(contract());
  ASSERT_EQ(chunkerFor(t, kWord), ChunkerId::Legal);
  const auto chunks = chunkDocument(t, kWord, kTokens);
  bool found = false;
  for (const Chunk& c : chunks) {
    if (c.text.find("for convenience") == std::string::npos) continue;
    found = true;
    ASSERT_GE(c.heading_path.size(), 2u);
    EXPECT_EQ(c.heading_path[0], "2. Term and Termination");
    EXPECT_EQ(c.heading_path[1].rfind("2.2", 0), 0u) << c.heading_path[1];
  }
  EXPECT_TRUE(found);
}

// A contract whose headings are styled but not numbered, each section's clauses numbered from 1 again:
// the headings are marked ("## Termination"), and the legal chunker opens a section at each, so the
// second "1." is a clause of "Termination", not a stray number.
TEST(ExtractDocx, UnnumberedHeadingsOfAContractOpenSections) {
  DocxParts p;
  p.styles = kStyles;
  p.numbering = kNumbering +
                R"(<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>)"
                R"(<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>)"
                R"(<w:num w:numId="6"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>)"
                R"(</w:lvlOverride></w:num>)";
  p.body = wordParagraph("Definitions", "Heading2") +
           wordParagraph("The Supplier shall mean Acme Ltd, a Party to this Agreement.", "", 5, 0) +
           wordParagraph("The Customer shall mean Beta GmbH, the other Party to this Agreement.", "", 5, 0) +
           wordParagraph("Termination", "Heading2") +
           wordParagraph("Either Party may terminate this Agreement for convenience on 90 days' notice.", "", 6, 0) +
           wordParagraph("Each Party shall return the other Party's documents within 10 days.", "", 6, 0);
  const ExtractedText t = extractOk(p);
  EXPECT_NE(t.text.find("## Termination\n\n1. Either Party"), std::string::npos) << t.text;
  ASSERT_EQ(chunkerFor(t, kWord), ChunkerId::Legal);
  bool found = false;
  for (const Chunk& c : chunkDocument(t, kWord, kTokens)) {
    if (c.text.find("for convenience") == std::string::npos) continue;
    found = true;
    ASSERT_EQ(c.heading_path.size(), 2u) << c.text;
    EXPECT_EQ(c.heading_path[0], "Termination");
    EXPECT_EQ(c.heading_path[1].rfind("1. Either Party", 0), 0u) << c.heading_path[1];
    EXPECT_EQ(c.text.find("Each Party shall return"), std::string::npos) << "one clause per chunk";
    EXPECT_EQ(c.kind, ChunkKind::Clause);
  }
  EXPECT_TRUE(found);
  for (const Chunk& c : chunkDocument(t, kWord, kTokens)) {
    if (c.text.find("Acme") != std::string::npos) {
      EXPECT_EQ(c.kind, ChunkKind::Definitions) << c.text;
    }
  }
}

TEST(ExtractDocx, ListsRestartContinueAndUseTheirFormats) {
  DocxParts p;
  p.styles = kStyles;
  p.numbering = kNumbering;
  p.body = wordParagraph("first", "", 1, 0) + wordParagraph("second", "", 1, 0) +
           wordParagraph("deep", "", 1, 3) + wordParagraph("deeper", "", 1, 3) +
           // list 4 shares list 1's definition but restarts it; a bullet; a schedule label without a space
           wordParagraph("restarted", "", 4, 0) + wordParagraph("item", "", 2, 0) + wordParagraph(": Fees", "", 3, 0) +
           wordParagraph(": Services", "", 3, 0) +
           // numId 0 switches a styled paragraph's numbering off
           R"(<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>)"
           R"(<w:r><w:t>Unnumbered heading</w:t></w:r></w:p>)";
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "1. first\n\n2. second\n\n(i) deep\n\n(ii) deeper\n\n1. restarted\n\n\xE2\x80\xA2 item\n\n"
            "Schedule A: Fees\n\nSchedule B: Services\n\n# Unnumbered heading\n\n");  // not legal text: marked
}

// Checked against LibreOffice's text export of the same documents: a level skipped under a heading
// counts as shown at its start ("(a)" straight under "1." makes the next clause "1.2"), and a list
// overriding a level's start restarts that level where it first reaches it, not before.
TEST(ExtractDocx, SkippedLevelsAndStartOverridesNumberAsWordDoes) {
  DocxParts p;
  p.styles = kStyles;
  p.numbering = kNumbering;
  p.body = wordParagraph("Term", "Heading1") + wordParagraph("first item", "", 1, 2) +
           wordParagraph("then a clause", "", 1, 1) + wordParagraph("Fees", "Heading1") +
           wordParagraph("restarting list, deeper first", "", 4, 1) + wordParagraph("its first top item", "", 4, 0);
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "# 1. Term\n\n(a) first item\n\n1.2 then a clause\n\n# 2. Fees\n\n2.1 restarting list, deeper first\n\n"
            "1. its first top item\n\n");
}

TEST(ExtractDocx, NumberFormats) {
  using office::formatNumber;
  using office::NumberFormat;
  EXPECT_EQ(formatNumber(4, NumberFormat::LowerRoman), "iv");
  EXPECT_EQ(formatNumber(2024, NumberFormat::UpperRoman), "MMXXIV");
  EXPECT_EQ(formatNumber(27, NumberFormat::LowerLetter), "aa");
  EXPECT_EQ(formatNumber(3, NumberFormat::UpperLetter), "C");
  EXPECT_EQ(formatNumber(7, NumberFormat::DecimalZero), "07");
  EXPECT_EQ(formatNumber(12, NumberFormat::DecimalZero), "12");
  EXPECT_EQ(formatNumber(11, NumberFormat::Ordinal), "11th");
  EXPECT_EQ(formatNumber(22, NumberFormat::Ordinal), "22nd");
  EXPECT_EQ(formatNumber(0, NumberFormat::LowerRoman), "0");
  // A hostile start value is bounded: counting on from it cannot overflow.
  EXPECT_EQ(office::listNumberAttribute("2147483647", 1), 1000000);
  EXPECT_EQ(office::listNumberAttribute("-5", 1), 0);
  EXPECT_EQ(office::listNumberAttribute("x", 1), 1);
}

TEST(ExtractDocx, TrackedChangesAreReadAccepted) {
  DocxParts p;
  p.body =
      R"(<w:p><w:r><w:t xml:space="preserve">The fee is </w:t></w:r>)"
      R"(<w:del w:id="1" w:author="A"><w:r><w:delText>100</w:delText></w:r></w:del>)"
      R"(<w:ins w:id="2" w:author="A"><w:r><w:t>120</w:t></w:r></w:ins>)"
      R"(<w:moveFrom w:id="3"><w:r><w:t>moved away</w:t></w:r></w:moveFrom>)"
      R"(<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>)"
      R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>)"
      R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> euros</w:t></w:r>)"
      R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)"
      R"(<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>)"
      R"(<w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>)"
      R"(<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p>)"
      R"(</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent><w:t>.</w:t></w:r></w:p>)";
  const ExtractedText t = extractOk(p);
  // Accepted, with a marker after each change and the changes listed (test_docx_tracked_changes.cpp).
  EXPECT_EQ(t.text,
            "The fee is 120[change 1][change 2] euros.\n\nBoxed note\n\n# Tracked changes\n\n"
            "[change 1] A: deleted \"100\", inserted \"120\"\n\n[change 2] moved away \"moved away\"\n\n");
}

// A text box as Word 2010 and later writes it: the DrawingML shape (mc:Choice) and a VML copy for older
// readers (mc:Fallback) hold the same text.
std::string textBox(const std::string& content) {
  return R"(<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>)" + content +
         R"(</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>)" +
         content + R"(</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>)";
}

// A box is read once, after the paragraph that anchors it (a box anchored in a heading stays in that
// heading's section), with its lists, tables and a box inside it; a VML-only box (Word 2007) too.
TEST(ExtractDocx, TextBoxesFollowTheirAnchorOnceWithTheirListsAndTables) {
  DocxParts p;
  p.styles = kStyles;
  p.numbering = kNumbering;
  const std::string cell = "<w:tc>" + wordParagraph("Deposit") + "</w:tc><w:tc>" + wordParagraph("EUR 500") + "</w:tc>";
  const std::string inner = textBox(wordParagraph("Inner box"));
  p.body = wordParagraph("Lease", "Title") +
           R"(<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Rent</w:t></w:r>)" +
           textBox(wordParagraph("Key terms") + "<w:tbl><w:tr>" + cell + "</w:tr></w:tbl>" +
                   wordParagraph("Paid monthly", "", 2) + "<w:p><w:r><w:t>Outer</w:t></w:r>" + inner + "</w:p>") +
           "</w:p>" + wordParagraph("The tenant pays the rent.") +
           R"(<w:p><w:r><w:t>See the note.</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>)" +
           wordParagraph("VML only") + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>";
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "# Lease\n\n# 1. Rent\n\nKey terms\n\nDeposit | EUR 500\n\n\xE2\x80\xA2 Paid monthly\n\nOuter\n\nInner box\n\n"
            "The tenant pays the rent.\n\nSee the note.\n\nVML only\n\n");
}

// Three sections of a contract: a first-page letterhead, the same running header in every section
// (its own part in each, as Word saves them), and a footer with page numbers.
TEST(ExtractDocx, HeadersAndFootersAreListedOnceAfterTheBodyWithoutPageNumbers) {
  DocxParts p;
  const auto section = [](const std::string& refs) { return "<w:sectPr>" + refs + "</w:sectPr>"; };
  const auto ref = [](const std::string& kind, const std::string& type, const std::string& id) {
    return "<w:" + kind + R"(Reference w:type=")" + type + R"(" r:id=")" + id + R"("/>)";
  };
  const auto ended = [](const std::string& text, const std::string& sect) {
    return "<w:p><w:pPr>" + sect + "</w:pPr><w:r><w:t>" + text + "</w:t></w:r></w:p>";
  };
  p.body = ended("Part one.", section(ref("header", "first", "header1") + ref("header", "default", "header2") +
                                      ref("footer", "default", "footer1") + "<w:titlePg/>")) +
           ended("Part two.", section(ref("header", "default", "header3") + ref("header", "first", "header5"))) +
           wordParagraph("Part three.") +
           section(ref("header", "default", "header4") + ref("header", "even", "header5") + ref("footer", "default", "footer1"));
  const std::string running = wordParagraph("Master Services Agreement") + wordParagraph("");
  const std::string page = R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE )"
                           R"(\* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>)"
                           R"(<w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)";
  p.headers = {
      {"header1", wordParagraph("ACME Legal LLP, 1 Main Street")},
      {"header2", running},
      {"header3", running},
      {"header4", running},
      {"header5", wordParagraph("Even pages only")},  // section 2's first page has no titlePg
      {"footer1", R"(<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>)" + page +
                      R"(<w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr=" NUMPAGES ">)"
                      R"(<w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>)"
                      R"(<w:p><w:r><w:t xml:space="preserve">Confidential )" "\xE2\x80\x94" R"( </w:t></w:r>)" + page +
                      "</w:p>" + wordParagraph("Draft of 1 May")},
  };
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "Part one.\n\nPart two.\n\nPart three.\n\n# Headers and footers\n\nACME Legal LLP, 1 Main Street\n\n"
            "Master Services Agreement\n\nConfidential\n\nDraft of 1 May\n\n");

  // Even pages' headers count where the settings ask for them.
  p.settings = "<w:evenAndOddHeaders/>";
  const ExtractedText even = extractOk(p);
  EXPECT_NE(even.text.find("Draft of 1 May\n\nEven pages only\n\n"), std::string::npos) << even.text;
}

// A header laid out as a table is read as its row; a box in a table cell is part of that cell; a
// header part that does not parse leaves the body readable.
TEST(ExtractDocx, HeaderTablesBoxesInCellsAndBrokenHeaders) {
  DocxParts p;
  const auto cell = [](const std::string& content) { return "<w:tc>" + content + "</w:tc>"; };
  p.body = "<w:tbl><w:tr>" + cell(wordParagraph("Fee")) +
           cell(R"(<w:p><w:r><w:t>EUR 100</w:t></w:r>)" + textBox(wordParagraph("net")) + "</w:p>") + "</w:tr></w:tbl>" +
           R"(<w:sectPr><w:headerReference w:type="default" r:id="header1"/>)"
           R"(<w:footerReference w:type="default" r:id="footer1"/></w:sectPr>)";
  p.headers = {{"header1", "<w:tbl><w:tr>" + cell(wordParagraph("ACME")) + cell(wordParagraph("Order form")) + "</w:tr></w:tbl>"},
               {"footer1", "<w:p><w:r><w:t>unclosed"}};
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text, "Fee | EUR 100 net\n\n# Headers and footers\n\nACME | Order form\n\n");
}

TEST(ExtractDocx, TableRowsAreLinesOfCells) {
  DocxParts p;
  const auto cell = [](const std::string& text) { return "<w:tc>" + wordParagraph(text) + "</w:tc>"; };
  p.body = wordParagraph("Schedule B") + "<w:tbl><w:tr>" + cell("Service") + cell("Monthly fee") + "</w:tr><w:tr>" +
           cell("Hosting") + cell("EUR 1,200") + "</w:tr><w:tr>" + cell("Support") +
           "<w:tc><w:tbl><w:tr>" + cell("EUR 300") + cell("capped") + "</w:tr></w:tbl></w:tc></w:tr></w:tbl>" +
           wordParagraph("After the table.");
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "Schedule B\n\nService | Monthly fee\n\nHosting | EUR 1,200\n\nSupport | EUR 300 | capped\n\n"
            "After the table.\n\n");
}

TEST(ExtractDocx, FootnotesAreMarkedAndFollowTheBody) {
  DocxParts p;
  p.body = R"(<w:p><w:r><w:t>Liability is capped</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>)"
           R"(<w:r><w:t xml:space="preserve"> as agreed.</w:t></w:r></w:p>)";
  p.footnotes = R"(<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>)"
                R"(<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> )"
                R"(Except for gross negligence.</w:t></w:r></w:p></w:footnote>)";
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text, "Liability is capped[1] as agreed.\n\n# Notes\n\n[1] Except for gross negligence.\n\n");
}

// Comments of a negotiation draft: marked where they are anchored, their author and text after the body.
TEST(ExtractDocx, CommentsAreMarkedAndFollowTheBody) {
  DocxParts p;
  p.body = R"(<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>The cap is EUR 1 million.</w:t></w:r>)"
           R"(<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>)";
  p.extra = {{"word/comments.xml",
              R"(<?xml version="1.0"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
              R"(<w:comment w:id="0" w:author="Jane Doe" w:initials="JD"><w:p><w:r><w:annotationRef/></w:r>)"
              R"(<w:r><w:t>We cannot accept a cap below EUR 2 million.</w:t></w:r></w:p></w:comment></w:comments>)"}};
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "The cap is EUR 1 million.[comment 1]\n\n# Comments\n\n[comment 1] Jane Doe: We cannot accept a cap "
            "below EUR 2 million.\n\n");

  // In a contract the comments are a section of their own, not part of the last clause.
  DocxParts c = contract();
  c.body += R"(<w:p><w:r><w:t>Governing law is English law.</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>)";
  c.extra = p.extra;
  const ExtractedText legal = extractOk(c);
  ASSERT_EQ(chunkerFor(legal, kWord), ChunkerId::Legal);
  bool found = false;
  for (const Chunk& chunk : chunkDocument(legal, kWord, kTokens)) {
    if (chunk.text.find("We cannot accept") == std::string::npos) continue;
    found = true;
    ASSERT_FALSE(chunk.heading_path.empty());
    EXPECT_EQ(chunk.heading_path.front(), "Comments");
    EXPECT_EQ(chunk.text.find("accrued rights"), std::string::npos) << chunk.text;
  }
  EXPECT_TRUE(found);
}

TEST(ExtractDocx, PagesStartWhereWordBrokeThem) {
  DocxParts p;
  p.body = wordParagraph("Page one text.") +
           R"(<w:p><w:r><w:t xml:space="preserve">Runs over </w:t></w:r><w:r><w:lastRenderedPageBreak/>)"
           R"(<w:t>onto page two.</w:t></w:r></w:p>)" +
           R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)" + wordParagraph("Page three.") +
           R"(<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Page four.</w:t></w:r></w:p>)";
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text, "Page one text.\n\nRuns over onto page two.\n\nPage three.\n\nPage four.\n\n");
  ASSERT_EQ(t.page_starts.size(), 4u);
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[1]), 5), "onto ");
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[2]), 11), "Page three.");
  EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[3]), 10), "Page four.");
  const auto chunks = chunkDocument(t, kWord, kTokens);
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().page_first, 1);
  EXPECT_EQ(chunks.back().page_last, 4);
}

TEST(ExtractDocx, HeadingsOfOrdinaryTextAreMarkedForTheGenericChunker) {
  DocxParts p;
  p.styles = kStyles;
  p.body = wordParagraph("Project notes", "Title") + wordParagraph("Background", "Heading2") +
           wordParagraph("The warehouse moved in spring and the inventory was counted again.") +
           wordParagraph("Open questions", "Heading2") + wordParagraph("Who signs off on the new racks?");
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "# Project notes\n\n## Background\n\nThe warehouse moved in spring and the inventory was counted again.\n\n"
            "## Open questions\n\nWho signs off on the new racks?\n\n");
  EXPECT_EQ(t.title, "Project notes");
  const auto chunks = chunkDocument(t, kWord, kTokens);
  bool found = false;
  for (const Chunk& c : chunks) {
    if (c.text.find("racks") == std::string::npos) continue;
    found = true;
    ASSERT_FALSE(c.heading_path.empty());
    EXPECT_EQ(c.heading_path.back(), "Open questions");
  }
  EXPECT_TRUE(found);
}

TEST(ExtractDocx, BrokenAndHostileFilesFailWithTheReason) {
  auto fails = [](const std::string& bytes, const std::string& reason, const ExtractOptions& options = {}) {
    auto r = extractWord(bytes, options);
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_NE(r.error().message.find("contract.docx"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
  };
  fails("plain text, not a zip", "not a readable zip archive");
  // An OLE compound file (password-protected, Word 97-2003) is read by what it holds (test_extract_msg.cpp).
  fails(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'), "OLE compound file");
  fails(zipBytes({{"hello.txt", "hi"}}), "no word/document.xml");
  DocxParts doctype;
  doctype.extra = {{"word/numbering.xml", R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>)"}};
  doctype.body = wordParagraph("text", "", 1, 0);
  std::string bytes = docxBytes(doctype);
  // The writer adds no numbering relationship for `extra`: the reader falls back to word/numbering.xml.
  fails(bytes, "DOCTYPE");
  DocxParts broken;
  broken.body = "<w:p><w:r><w:t>unclosed</w:r></w:p>";
  fails(docxBytes(broken), "word/document.xml: line 2: mismatched tag");
  // A part expanding past the bound: the options' file cap bounds each part too.
  DocxParts big;
  big.body = wordParagraph(std::string(300000, 'a'));
  ExtractOptions small;
  small.max_file_bytes = 100000;
  fails(docxBytes(big), "word/document.xml: expands past", small);
}

TEST(ExtractDocx, WordFilesAreClassifiedAsWord) {
  EXPECT_EQ(classifySource("Contract.DOCX").kind, SourceKind::Word);
  EXPECT_EQ(classifySource("template.dotx").kind, SourceKind::Word);
  EXPECT_EQ(sourceKindName(SourceKind::Word), "word");
  EXPECT_TRUE(isBinaryFormat(SourceKind::Word));
}

}  // namespace
}  // namespace folio::ingest
