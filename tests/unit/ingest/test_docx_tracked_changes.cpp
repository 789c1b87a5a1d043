// Word (.docx) tracked changes: the text reads accepted with a "[change N]" marker after each change,
// and the changes are listed after the body with where they stand, who made them, when, and what they did.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"

namespace folio::ingest {
namespace {

using folio::test::DocxParts;
using folio::test::docxBytes;
using folio::test::wordParagraph;

ExtractedText extractOk(const DocxParts& parts) {
  auto r = extractBytes(docxBytes(parts), SourceType{SourceKind::Word, ""}, "redline.docx", {});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

// The lines of the "Tracked changes" section.
std::vector<std::string> listed(const std::string& text) {
  std::vector<std::string> out;
  const size_t at = text.find("# Tracked changes\n\n");
  if (at == std::string::npos) return out;
  size_t pos = at + 19;
  while (pos < text.size() && text[pos] != '#') {
    const size_t end = text.find("\n\n", pos);
    out.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

// The body as it reads with the changes accepted and no markers: what Folio read before it listed them.
std::string accepted(const std::string& text) {
  const std::string body = text.substr(0, text.find("# Tracked changes"));
  return std::regex_replace(body, std::regex(R"(\[change \d+\])"), "");
}

const std::string kOpposing = R"(w:author="Opposing Counsel" w:date="2024-03-05T14:30:00Z")";

std::string run(const std::string& text) { return R"(<w:r><w:t xml:space="preserve">)" + text + "</w:t></w:r>"; }
std::string ins(const std::string& text, const std::string& who = kOpposing) {
  return "<w:ins w:id=\"1\" " + who + ">" + run(text) + "</w:ins>";
}
std::string del(const std::string& text, const std::string& who = kOpposing) {
  return "<w:del w:id=\"2\" " + who + R"(><w:r><w:delText xml:space="preserve">)" + text + "</w:delText></w:r></w:del>";
}
std::string para(const std::string& runs, const std::string& ppr = "") {
  return "<w:p>" + (ppr.empty() ? std::string() : "<w:pPr>" + ppr + "</w:pPr>") + runs + "</w:p>";
}
std::string numbered(int level) {
  return R"(<w:numPr><w:ilvl w:val=")" + std::to_string(level) + R"("/><w:numId w:val="1"/></w:numPr>)";
}

// Clauses "1.", "1.1", "(a)" as a contract numbers them.
const std::string kNumbering =
    R"(<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>)"
    R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>)"
    R"(<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>)"
    R"x(<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>)x"
    R"(</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)";

// A contract's limitation of liability with opposing counsel's redline in clause 2.1.
DocxParts contract(const std::string& cap_runs) {
  DocxParts p;
  p.numbering = kNumbering;
  p.body = para(run("Services"), numbered(0)) +
           para(run("The Supplier shall provide the Services with reasonable skill and care."), numbered(1)) +
           para(run("Limitation of Liability"), numbered(0)) +
           para(run("The Supplier's total liability shall not exceed the fees paid in the ") + cap_runs +
                    run(" before the claim."),
                numbered(1)) +
           para(run("Neither party excludes liability for fraud."), numbered(1));
  return p;
}

TEST(DocxTrackedChanges, AReplacementIsOneChangeCitingItsClause) {
  const ExtractedText t = extractOk(contract(del("twelve (12) months") + ins("six (6) months")));
  EXPECT_NE(t.text.find("2.1 The Supplier's total liability shall not exceed the fees paid in the six (6) months[change 1] "
                        "before the claim.\n\n"),
            std::string::npos)
      << t.text;
  EXPECT_EQ(listed(t.text), (std::vector<std::string>{
                                "[change 1] 2. Limitation of Liability \xE2\x80\xBA 2.1 \xE2\x80\x94 Opposing Counsel, 2024-03-05 "
                                "14:30: deleted \"twelve (12) months\", inserted \"six (6) months\""}));
  // Without its markers and list the text is what Folio read of the accepted document before.
  EXPECT_EQ(accepted(t.text), extractOk(contract(run("six (6) months"))).text);
}

TEST(DocxTrackedChanges, InsertionsAndDeletionsApartAreChangesOfTheirOwn) {
  DocxParts p;
  p.body = para(run("Payment is due within ") + del("thirty") + run(" days of ") + ins("receipt of a valid ") +
                run("invoice."));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text.substr(0, t.text.find("# ")),
            "Payment is due within [change 1] days of receipt of a valid [change 2]invoice.\n\n");
  EXPECT_EQ(listed(t.text), (std::vector<std::string>{
                                "[change 1] Opposing Counsel, 2024-03-05 14:30: deleted \"thirty\"",
                                "[change 2] Opposing Counsel, 2024-03-05 14:30: inserted \"receipt of a valid\""}));
}

// Each author's change is their own; a missing date is left out, and so is a missing author.
TEST(DocxTrackedChanges, SeveralAuthors) {
  DocxParts p;
  p.body = para(run("Governed by the laws of ") + del("England", R"(w:author="Alice")") +
                ins("New York", R"(w:author="Bob" w:date="2024-04-01T09:05:00Z")") + run(".") + ins(" Venue: NYC.", ""));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text.substr(0, t.text.find("# ")),
            "Governed by the laws of [change 1]New York[change 2]. Venue: NYC.[change 3]\n\n");
  EXPECT_EQ(listed(t.text), (std::vector<std::string>{"[change 1] Alice: deleted \"England\"",
                                                      "[change 2] Bob, 2024-04-01 09:05: inserted \"New York\"",
                                                      "[change 3] inserted \"Venue: NYC.\""}));
}

// Text one author inserted and another deleted in part: both changes, in the order of their markers.
TEST(DocxTrackedChanges, AnInsertionPartlyDeletedByAnother) {
  DocxParts p;
  p.body = para(run("Notice ") + R"(<w:ins w:id="1" w:author="Alice">)" + run("by e-mail") + del(" or fax", R"(w:author="Bob")") +
                "</w:ins>" + run(" suffices."));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text.substr(0, t.text.find("# ")), "Notice by e-mail[change 1][change 2] suffices.\n\n");
  EXPECT_EQ(listed(t.text), (std::vector<std::string>{"[change 1] Alice: inserted \"by e-mail\"",
                                                      "[change 2] Bob: deleted \"or fax\""}));
}

// A deleted clause is gone from the text, its number too: the clauses after it keep Word's numbers.
TEST(DocxTrackedChanges, AWholeDeletedOrInsertedParagraph) {
  DocxParts p = contract(run("twelve (12) months"));
  const std::string mark_deleted = "<w:rPr><w:del w:id=\"9\" " + kOpposing + "/></w:rPr>";
  const std::string mark_inserted = R"(<w:rPr><w:ins w:id="9" w:author="Opposing Counsel"/></w:rPr>)";
  p.body += para(del("The Customer may audit the Supplier once a year."), numbered(1) + mark_deleted) +
            para(run("The cap does not apply to indemnities."), numbered(1)) +
            para(ins("Claims must be brought within one year."), numbered(1) + mark_inserted);
  const ExtractedText t = extractOk(p);
  EXPECT_NE(t.text.find("2.2 Neither party excludes liability for fraud.\n\n[change 1]\n\n2.3 The cap does not apply to "
                        "indemnities.\n\n2.4 Claims must be brought within one year.[change 2]\n\n"),
            std::string::npos)
      << t.text;
  const auto lines = listed(t.text);
  ASSERT_EQ(lines.size(), 2u) << t.text;
  EXPECT_NE(lines[0].find(": deleted paragraph \"The Customer may audit the Supplier once a year.\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("2.4 \xE2\x80\x94 Opposing Counsel: inserted paragraph \"Claims must be brought within one year.\""),
            std::string::npos)
      << lines[1];
}

// A move is listed once, where the text went, saying where it came from; both places are marked.
TEST(DocxTrackedChanges, AMoveIsListedOnce) {
  DocxParts p = contract(run("twelve (12) months"));
  const std::string who = R"(w:author="Opposing Counsel")";
  p.body = para(R"(<w:moveFromRangeStart w:id="5" w:name="move1" )" + who + "/><w:moveFrom w:id=\"6\" " + who + ">" +
                    run("Time is of the essence.") + R"(</w:moveFrom><w:moveFromRangeEnd w:id="5"/>)" + run(" Notices in writing."),
                numbered(1)) +
           p.body +
           para(R"(<w:moveToRangeStart w:id="7" w:name="move1" )" + who + "/><w:moveTo w:id=\"8\" " + who + ">" +
                    run("Time is of the essence.") + R"(</w:moveTo><w:moveToRangeEnd w:id="7"/>)",
                numbered(1));
  const ExtractedText t = extractOk(p);
  EXPECT_NE(t.text.find("1.1 [change 1] Notices in writing.\n\n"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("3.3 Time is of the essence.[change 1]\n\n"), std::string::npos) << t.text;
  EXPECT_EQ(listed(t.text), (std::vector<std::string>{"[change 1] 3. Limitation of Liability \xE2\x80\xBA 3.3 \xE2\x80\x94 "
                                                      "Opposing Counsel: moved \"Time is of the essence.\" from 1.1"}));
}

TEST(DocxTrackedChanges, ChangesInTablesSayTheRow) {
  DocxParts p;
  const auto cell = [](const std::string& runs) { return "<w:tc>" + para(runs) + "</w:tc>"; };
  const std::string row_deleted = "<w:trPr><w:del w:id=\"3\" " + kOpposing + "/></w:trPr>";
  const std::string row_inserted = R"(<w:trPr><w:ins w:id="4" w:author="Bob"/></w:trPr>)";
  p.body = para(run("Schedule B")) + "<w:tbl><w:tr>" + cell(run("Service")) + cell(run("Fee")) + "</w:tr><w:tr>" +
           cell(run("Hosting")) + cell(run("EUR ") + del("1,200") + ins("1,500")) + "</w:tr><w:tr>" + row_deleted +
           cell(del("Support")) + cell(del("EUR 300")) + "</w:tr><w:tr>" + row_inserted + cell(ins("Training", "w:author=\"Bob\"")) +
           cell(ins("EUR 90", "w:author=\"Bob\"")) + "</w:tr></w:tbl>" + para(run("After the table."));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text.substr(0, t.text.find("# ")),
            "Schedule B\n\nService | Fee\n\nHosting | EUR 1,500[change 1]\n\n[change 2]\n\nTraining | EUR 90\n\n"
            "[change 3]\n\nAfter the table.\n\n");
  EXPECT_EQ(listed(t.text),
            (std::vector<std::string>{
                "[change 1] table row 2 (Hosting), column 2 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted \"1,200\", inserted \"1,500\"",
                "[change 2] table row 3 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted table row \"Support | EUR 300\"",
                "[change 3] table row 4 \xE2\x80\x94 Bob: inserted table row \"Training | EUR 90\""}));
}

// A change in a cell of a table with a header row (w:tblHeader) names its column by the header's text
// (as accepted), its row by the row's first cell; in the header row itself, in a table without one and
// in a nested table's cell (placed by the outermost table's cell) the column goes by number.
TEST(DocxTrackedChanges, ChangesInCellsNameTheirColumnByTheHeaderRow) {
  DocxParts p;
  const auto cell = [](const std::string& body) { return "<w:tc>" + body + "</w:tc>"; };
  const std::string header = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + cell(para(run("Service"))) +
                             cell(para(run("Amount") + ins(" (EUR)"))) + cell(para(run("Due"))) + "</w:tr>";
  const std::string nested = "<w:tbl><w:tr>" + cell(para(run("net 30") + del(" days"))) + "</w:tr></w:tbl>";
  p.body = para(run("Fees")) + "<w:tbl>" + header + "<w:tr>" + cell(para(run("Professional services"))) +
           cell(para(run("EUR ") + del("1,200") + ins("1,500"))) + cell(para(run("monthly")) + nested) + "</w:tr></w:tbl>" +
           para(run("Term")) + "<w:tbl><w:tr>" + cell(para(run("Initial term"))) + cell(para(ins("24 months"))) + "</w:tr></w:tbl>";
  EXPECT_EQ(listed(extractOk(p).text),
            (std::vector<std::string>{
                "[change 1] table row 1 (Service), column 2 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: inserted \"(EUR)\"",
                "[change 2] table row 2 (Professional services), column \"Amount (EUR)\" \xE2\x80\x94 Opposing Counsel, "
                "2024-03-05 14:30: deleted \"1,200\", inserted \"1,500\"",
                "[change 3] table row 2 (Professional services), column \"Due\" \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: "
                "deleted \"days\"",
                "[change 4] table row 1 (Initial term), column 2 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: "
                "inserted \"24 months\""}));
}

// A deleted paragraph mark alone joins the paragraph to the next (ECMA-376 17.13.5.15): the joined
// one keeps the first one's number, so the clauses after it are numbered as Word numbers them.
TEST(DocxTrackedChanges, ADeletedParagraphMarkJoinsTheNextParagraph) {
  DocxParts p = contract(run("twelve (12) months"));
  const std::string mark_deleted = "<w:rPr><w:del w:id=\"9\" " + kOpposing + "/></w:rPr>";
  p.body += para(run("The cap does not apply "), numbered(1) + mark_deleted) +
            para(run("to ") + del("indemnities") + ins("IP claims") + run("."), numbered(1)) +
            para(run("Claims must be brought within one year."), numbered(1));
  const ExtractedText t = extractOk(p);
  EXPECT_NE(t.text.find("2.2 Neither party excludes liability for fraud.\n\n2.3 The cap does not apply to IP claims[change 1].\n\n"
                        "2.4 Claims must be brought within one year.\n\n"),
            std::string::npos)
      << t.text;
  EXPECT_EQ(listed(t.text),
            (std::vector<std::string>{"[change 1] 2. Limitation of Liability \xE2\x80\xBA 2.3 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted \"indemnities\", "
                                      "inserted \"IP claims\"",
                                      "and 1 paragraph break added or removed"}));
  // Three paragraphs, two marks deleted: one paragraph; a wholly deleted one between them leaves its marker.
  DocxParts chain;
  chain.body = para(run("One "), mark_deleted) + para(del("gone"), mark_deleted) + para(run("two "), mark_deleted) +
               para(run("three.")) + para(run("Next."));
  EXPECT_EQ(extractOk(chain).text.substr(0, 30), "One [change 1]two three.\n\nNext");
}

// Word does not join a paragraph into a table, across a cell's end or across a section break: there the
// deleted mark is counted and the paragraphs stay apart.
TEST(DocxTrackedChanges, ADeletedMarkBeforeATableOrAtACellOrSectionEndJoinsNothing) {
  const std::string mark_deleted = "<w:rPr><w:del w:id=\"9\" " + kOpposing + "/></w:rPr>";
  const std::string section = R"(<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>)";
  DocxParts p;
  p.body = para(run("Before the table."), mark_deleted) + "<w:tbl><w:tr><w:tc>" + para(run("Cell one"), mark_deleted) +
           "</w:tc><w:tc>" + para(run("Cell two")) + "</w:tc></w:tr></w:tbl>" + para(run("End of section one."), mark_deleted + section) +
           para(run("Section two."));
  EXPECT_EQ(extractOk(p).text, "Before the table.\n\nCell one | Cell two\n\nEnd of section one.\n\nSection two.\n\n"
                               "# Tracked changes\n\n3 paragraph breaks added or removed\n\n");
}

// A table cell inserted or deleted (w:cellIns, w:cellDel): a deleted one leaves its row, and each is
// listed once after its row, its text quoted.
TEST(DocxTrackedChanges, InsertedAndDeletedCellsAreListedAtTheirRow) {
  DocxParts p;
  const auto cell = [](const std::string& runs, const std::string& tcpr = "") {
    return "<w:tc>" + (tcpr.empty() ? std::string() : "<w:tcPr>" + tcpr + "</w:tcPr>") + para(runs) + "</w:tc>";
  };
  const std::string cell_deleted = "<w:cellDel w:id=\"3\" " + kOpposing + "/>";
  const std::string cell_inserted = R"(<w:cellIns w:id="4" w:author="Bob"/>)";
  p.body = "<w:tbl><w:tr>" + cell(run("Service")) + cell(run("Fee")) + "</w:tr><w:tr>" + cell(run("Hosting")) +
           cell(run("EUR 1,200"), cell_deleted) + cell(run("monthly")) + "</w:tr><w:tr>" + cell(run("Support")) +
           cell(ins("EUR 300", "w:author=\"Bob\""), cell_inserted) + "</w:tr></w:tbl>" + para(run("After the table."));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text.substr(0, t.text.find("# ")),
            "Service | Fee\n\nHosting | monthly\n\n[change 1]\n\nSupport | EUR 300\n\n[change 2]\n\nAfter the table.\n\n");
  EXPECT_EQ(listed(t.text),
            (std::vector<std::string>{
                "[change 1] table row 2 (Hosting), column 2 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted cell \"EUR 1,200\"",
                "[change 2] table row 3 (Support), column 2 \xE2\x80\x94 Bob: inserted cell \"EUR 300\""}));
}

// Changes in a footnote and a header are marked there and listed with the body's, numbered in the
// order the text shows them: body, notes, comments, headers (which come after the list).
TEST(DocxTrackedChanges, ChangesInNotesAndHeadersSaySo) {
  DocxParts p;
  p.body = para(run("Liability is capped") + R"(<w:r><w:footnoteReference w:id="2"/></w:r>)" + ins(" at EUR 1m")) +
           R"(<w:sectPr><w:headerReference w:type="default" r:id="header1"/></w:sectPr>)";
  p.footnotes = R"(<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>)" + run(" Except for ") + del("wilful default") +
                ins("gross negligence") + run(".") + "</w:p></w:footnote>";
  p.headers = {{"header1", para(run("Draft ") + del("1") + ins("2"))}};
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text,
            "Liability is capped[1] at EUR 1m[change 1]\n\n# Notes\n\n[1] Except for gross negligence[change 2].\n\n"
            "# Tracked changes\n\n"
            "[change 1] Opposing Counsel, 2024-03-05 14:30: inserted \"at EUR 1m\"\n\n"
            "[change 2] footnote 1 \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted \"wilful default\", inserted \"gross negligence\"\n\n"
            "[change 3] header \xE2\x80\x94 Opposing Counsel, 2024-03-05 14:30: deleted \"1\", inserted \"2\"\n\n"
            "# Headers and footers\n\nDraft 2[change 3]\n\n");
}

// Changes of formatting alone and paragraph marks alone are counted at the end, not marked.
TEST(DocxTrackedChanges, FormattingOnlyChangesAreCounted) {
  DocxParts p;
  const std::string bold_was_off = R"(<w:rPr><w:b/><w:rPrChange w:id="1" w:author="A"><w:rPr/></w:rPrChange></w:rPr>)";
  p.body = para("<w:r>" + bold_was_off + "<w:t>Bold now.</w:t></w:r>",
                R"(<w:jc w:val="both"/><w:pPrChange w:id="2" w:author="A"><w:pPr/></w:pPrChange>)") +
           para(run("Split here."), R"(<w:rPr><w:ins w:id="3" w:author="A"/></w:rPr>)") + para(run("Second half."));
  const ExtractedText t = extractOk(p);
  EXPECT_EQ(t.text, "Bold now.\n\nSplit here.\n\nSecond half.\n\n# Tracked changes\n\n"
                    "2 formatting changes, 1 paragraph break added or removed\n\n");
  p.body += para(ins("More."));
  EXPECT_EQ(listed(extractOk(p).text).back(), "and 2 formatting changes, 1 paragraph break added or removed");
}

// A file without tracked changes reads as before; so does one whose change elements hold nothing shown.
TEST(DocxTrackedChanges, NoChangesLeaveTheTextAsItWas) {
  const DocxParts plain = contract(run("twelve (12) months"));
  const ExtractedText before = extractOk(plain);
  EXPECT_EQ(before.text.find("[change"), std::string::npos);
  EXPECT_EQ(before.text.find("Tracked changes"), std::string::npos);
  const ExtractedText empty_elements = extractOk(contract(run("twelve (12) months") + "<w:ins w:id=\"1\" " + kOpposing +
                                                          "/>" + "<w:ins w:id=\"2\"><w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r></w:ins>"));
  EXPECT_EQ(empty_elements.text, before.text);
}

// A long change is quoted with its middle left out, on one line.
TEST(DocxTrackedChanges, LongChangesAreShortenedInTheMiddle) {
  DocxParts p;
  std::string long_text = "Start of the new clause.";
  while (long_text.size() < 600) long_text += " The Supplier shall indemnify the Customer\xE2\x80\x99s affiliates.";
  long_text += " End of it.";
  p.body = para(ins(long_text));
  const auto lines = listed(extractOk(p).text);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LT(lines[0].size(), 320u);
  EXPECT_NE(lines[0].find("inserted \"Start of the new clause."), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(" \xE2\x80\xA6 "), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("End of it.\""), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace folio::ingest
