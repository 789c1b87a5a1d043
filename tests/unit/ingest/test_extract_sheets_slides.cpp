// Excel workbooks and PowerPoint presentations: sheets and slides as pages, cells as Excel shows them
// (dates as ISO 8601), slides with their titles, tables and speaker notes; number formats; packages
// told apart by content. The workbook reader's output was compared with LibreOffice 7.4's CSV export of
// the same workbook (an openpyxl file saved again by LibreOffice): equal except dates (ISO here).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/office/sheet_values.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"

namespace folio::ingest {
namespace {

using office::formatCellNumber;
using office::ValueFormat;

constexpr const char* kRels = R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
constexpr const char* kRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string relationship(const std::string& id, const std::string& type, const std::string& target) {
  return "<Relationship Id=\"" + id + "\" Type=\"" + kRelType + type + "\" Target=\"" + target + "\"/>";
}

std::string workbook() {
  const std::string ns = R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
  return test::zipBytes({
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", std::string(kRels) + relationship("rId1", "officeDocument", "xl/workbook.xml") + "</Relationships>"},
      {"xl/workbook.xml", "<workbook" + ns + "><workbookPr/><sheets><sheet name=\"Damages\" sheetId=\"1\" r:id=\"rId1\"/>"
                          "<sheet name=\"Chart\" sheetId=\"3\" r:id=\"rId9\"/>"
                          "<sheet name=\"Calc\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kRels) + relationship("rId1", "worksheet", "worksheets/sheet1.xml") +
           relationship("rId2", "worksheet", "/xl/worksheets/sheet2.xml") + relationship("rId9", "chartsheet", "chartsheets/c.xml") +
           relationship("rId3", "sharedStrings", "sharedStrings.xml") + relationship("rId4", "styles", "styles.xml") +
           "</Relationships>"},
      {"xl/sharedStrings.xml", "<sst" + ns + "><si><t>Item</t></si><si><t>Amount</t></si><si><r><t>Lost </t></r><r><rPr/><t>profits</t></r>"
                               "</si><si><t>\xE6\x9D\xB1\xE4\xBA\xAC</t><rPh><t>\xE3\x83\x88\xE3\x82\xA6</t></rPh></si></sst>"},
      {"xl/styles.xml", "<styleSheet" + ns + "><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
                        "<cellStyleXfs><xf numFmtId=\"9\"/></cellStyleXfs><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
                        "<xf numFmtId=\"10\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet" + ns + "><sheetData>"
       "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>Due</t></is></c></row>"
       "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><f>SUM(X1:X9)</f><v>125000.5</v></c><c r=\"C2\" s=\"1\"><v>45352</v></c>"
       "<c r=\"D2\" s=\"2\"><v>0.125</v></c><c r=\"E2\" s=\"3\"><v>45352.604166666664</v></c></row>"
       "<row r=\"3\"/><row r=\"4\"><c r=\"C4\" t=\"b\"><v>1</v></c><c r=\"D4\" t=\"e\"><v>#DIV/0!</v></c>"
       "<c r=\"E4\" t=\"str\"><v>line one\nline two</v></c></row>"
       "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>3</v></c><c r=\"B5\" t=\"s\"><v>99</v></c><c r=\"C5\" s=\"77\"><v>0.1</v></c></row>"
       "</sheetData></worksheet>"},
      {"xl/worksheets/sheet2.xml", "<worksheet" + ns + "><sheetData><row><c><v>1</v></c><c><v>2</v></c></row></sheetData></worksheet>"},
  });
}

TEST(ExtractSheets, AWorkbookReadsAsExcelShowsItSheetByPage) {
  auto r = extractBytes(workbook(), classifySource("damages.xlsx"), "damages.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "## Sheet: Damages\n"
            "Item | Amount | Due\n"
            "Lost profits | 125000.5 | 2024-03-01 | 12.50% | 2024-03-01 14:30\n"  // 10: "0.00%"
            " |  | TRUE | #DIV/0! | line one line two\n"
            "\xE6\x9D\xB1\xE4\xBA\xAC |  | 0.1\n"  // phonetic guide left out; a bad string index or style read as nothing
            "\n## Sheet: Calc (hidden)\n"
            "1 | 2\n");
  ASSERT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 10), "## Sheet: ");
  EXPECT_EQ(sourceKindName(classifySource("x.XLSM").kind), "spreadsheet");
}

// Numbers read in their number format as Excel shows them: custom codes, built-in ids named without a
// code (en-US Excel's), a text section on a shared string, conditions and elapsed time.
TEST(ExtractSheets, NumbersReadInTheirNumberFormats) {
  const std::string ns = R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
  const std::string book = test::zipBytes({
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", std::string(kRels) + relationship("rId1", "officeDocument", "xl/workbook.xml") + "</Relationships>"},
      {"xl/workbook.xml", "<workbook" + ns + "><sheets><sheet name=\"Model\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels", std::string(kRels) + relationship("rId1", "worksheet", "worksheets/sheet1.xml") +
                                         relationship("rId3", "sharedStrings", "sharedStrings.xml") +
                                         relationship("rId4", "styles", "styles.xml") + "</Relationships>"},
      {"xl/sharedStrings.xml", "<sst" + ns + "><si><t>A-12</t></si></sst>"},
      {"xl/styles.xml", "<styleSheet" + ns + "><numFmts>"
                        "<numFmt numFmtId=\"164\" formatCode=\"&quot;$&quot;#,##0.00_);[Red]\\(&quot;$&quot;#,##0.00\\)\"/>"
                        "<numFmt numFmtId=\"165\" formatCode=\"[&gt;=1000000]0.0,,&quot;M&quot;;[&gt;=1000]0.0,&quot;K&quot;;0\"/>"
                        "<numFmt numFmtId=\"166\" formatCode=\"0;-0;0;&quot;Ref &quot;@\"/>"
                        "<numFmt numFmtId=\"167\" formatCode=\"0.000\"/></numFmts>"
                        "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/>"
                        "<xf numFmtId=\"167\"/><xf numFmtId=\"44\"/><xf numFmtId=\"11\"/><xf numFmtId=\"46\"/></cellXfs></styleSheet>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet" + ns + "><sheetData><row r=\"1\">"
       "<c r=\"A1\" s=\"1\"><v>1250000</v></c><c r=\"B1\" s=\"1\"><v>-1234.5</v></c><c r=\"C1\" s=\"2\"><v>1250000</v></c>"
       "<c r=\"D1\" s=\"3\" t=\"s\"><v>0</v></c><c r=\"E1\" s=\"4\"><v>0.05</v></c><c r=\"F1\" s=\"5\"><v>0</v></c>"
       "<c r=\"G1\" s=\"6\"><v>1500000</v></c><c r=\"H1\" s=\"7\"><v>1.5</v></c><c r=\"I1\"><v>2.675</v></c>"
       "</row></sheetData></worksheet>"},
  });
  auto r = extractBytes(book, classifySource("model.xlsx"), "model.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "## Sheet: Model\n$1,250,000.00 | ($1,234.50) | 1.3M | Ref A-12 | 0.050 | $- | 1.50E+06 | 36:00:00 | 2.675\n");
}

TEST(ExtractSheets, ChunksOfRowsNameTheirSheetsColumns) {
  ExtractedText doc;
  doc.text = "## Sheet: Ledger\nDate | Counterparty | Amount\n";
  for (int i = 0; i < 400; ++i) doc.text += "2024-03-01 | Counterparty " + std::to_string(i) + " | " + std::to_string(i * 100) + "\n";
  doc.page_starts = {0, static_cast<int64_t>(doc.text.size() + 1)};
  doc.text += "\n## Sheet: Notes\nAgreed with the auditors.\n";
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("ledger.xlsx"), tokens);
  ASSERT_GT(chunks.size(), 3u);
  int labelled = 0;
  for (const Chunk& c : chunks) {
    const bool ledger = c.text.find("Counterparty") != std::string::npos;
    if (ledger && c.text.find("Date | Counterparty | Amount") == std::string::npos) {
      ASSERT_EQ(c.heading_path.size(), 2u) << c.text.substr(0, 80);
      EXPECT_EQ(c.heading_path[0], "Sheet: Ledger");
      EXPECT_EQ(c.heading_path[1], "Date | Counterparty | Amount");
      ++labelled;
    }
    if (c.text.find("auditors") != std::string::npos) {  // another sheet: never the ledger's columns
      ASSERT_FALSE(c.heading_path.empty());
      EXPECT_EQ(c.heading_path.front(), "Sheet: Notes");
      EXPECT_EQ(std::count(c.heading_path.begin(), c.heading_path.end(), "Date | Counterparty | Amount"), 0);
    }
  }
  EXPECT_GT(labelled, 2);
}

// A sheet's charts follow its rows under "### Chart: …": their chunks are the chart's, not rows under
// the sheet's columns.
TEST(ExtractSheets, ChunksOfASheetsChartsDoNotNameItsColumns) {
  ExtractedText doc;
  doc.text = "## Sheet: Ledger\nDate | Counterparty | Amount\n";
  for (int i = 0; i < 200; ++i) doc.text += "2024-03-01 | Counterparty " + std::to_string(i) + " | " + std::to_string(i * 100) + "\n";
  doc.text += "\n### Chart: Amounts by month\nColumn chart. Category axis: Month.\nSeries: Amount \xE2\x80\x94 Jan 100; Feb 200\n";
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("ledger.xlsx"), tokens);
  bool chart = false;
  for (const Chunk& c : chunks) {
    if (c.text.rfind("### Chart", 0) != 0) continue;
    chart = true;
    EXPECT_EQ(std::count(c.heading_path.begin(), c.heading_path.end(), "Date | Counterparty | Amount"), 0)
        << ::testing::PrintToString(c.heading_path);
  }
  EXPECT_TRUE(chart);
}

// The header row is found below a sheet's title lines; a sheet of values only names no columns.
TEST(ExtractSheets, TheHeaderRowIsFoundBelowTitleRowsAndNoneInASheetOfValues) {
  ExtractedText doc;
  doc.text = "## Sheet: Ledger\nACME Holdings Ltd - general ledger FY2025\nPrepared by | J. Smith\n"
             "Date | Account | Counterparty | Amount | Note\n";
  for (int i = 0; i < 400; ++i)
    doc.text += "2025-01-" + std::to_string(10 + i % 18) + " | 4000 | Supplier " + std::to_string(i) + " | " +
                std::to_string(i * 10) + ".50 | \n";
  doc.text += "\n## Sheet: Readings\n";
  for (int i = 0; i < 400; ++i) doc.text += std::to_string(i) + " | " + std::to_string(i * 3) + ".25 | 12.5%\n";
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("ledger.xlsx"), tokens);
  int ledger = 0, readings = 0;
  for (const Chunk& c : chunks) {
    if (c.text.find("Supplier 3") != std::string::npos && c.text.find("Prepared by") == std::string::npos) {
      ASSERT_EQ(c.heading_path.size(), 2u) << c.text.substr(0, 80);
      EXPECT_EQ(c.heading_path[1], "Date | Account | Counterparty | Amount | Note");
      ++ledger;
    }
    if (c.text.find("12.5%") != std::string::npos) {
      EXPECT_EQ(c.heading_path, std::vector<std::string>{"Sheet: Readings"}) << "a row of values is no header";
      ++readings;
    }
  }
  EXPECT_GT(ledger, 0);
  EXPECT_GT(readings, 1);
}

// Amounts as their number formats show them ("USD 1,250", "1.3M", "2.5bn", "1,234 EUR") are values:
// a sheet of them names no columns.
TEST(ExtractSheets, FormattedAmountsAreNoHeaderRow) {
  ExtractedText doc;
  doc.text = "## Sheet: Exposure\n";
  for (int i = 0; i < 300; ++i)
    doc.text += "USD " + std::to_string(1000 + i) + " | " + std::to_string(i % 9 + 1) + ".3M | 2.5bn | 250K | 1,234 EUR\n";
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("exposure.xlsx"), tokens);
  ASSERT_GT(chunks.size(), 1u);
  for (const Chunk& c : chunks) EXPECT_EQ(c.heading_path, std::vector<std::string>{"Sheet: Exposure"}) << c.text.substr(0, 80);
}

// Rows with sentence ends inside them ("#DIV/0!", "Paid in full. Checked.") are never cut: every
// chunk of a sheet's rows ends at the end of a row.
TEST(ExtractSheets, ChunksEndAtTheEndOfARow) {
  ExtractedText doc;
  doc.text = "## Sheet: Ledger\nDate | Note | Ratio | Amount\n";
  for (int i = 0; i < 300; ++i)
    doc.text += "2024-03-" + std::to_string(10 + i % 18) + " | Paid in full. Checked by the auditors! Row " +
                std::to_string(i) + " | #DIV/0! | " + std::to_string(i * 100) + "\n";
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("ledger.xlsx"), tokens);
  ASSERT_GT(chunks.size(), 3u);
  for (const Chunk& c : chunks) {
    const size_t end = static_cast<size_t>(c.byte_end);
    EXPECT_TRUE(end == doc.text.size() || doc.text[end] == '\n' || doc.text[end - 1] == '\n')
        << "ends inside a row: ..." << c.text.substr(c.text.size() > 60 ? c.text.size() - 60 : 0);
    const size_t begin = static_cast<size_t>(c.byte_begin);
    EXPECT_TRUE(begin == 0 || doc.text[begin - 1] == '\n') << "starts inside a row: " << c.text.substr(0, 60);
  }
}

TEST(ExtractSheets, DatesReadAsIso8601) {
  EXPECT_EQ(formatCellNumber(45352, ValueFormat::Date, false), "2024-03-01");
  EXPECT_EQ(formatCellNumber(1, ValueFormat::Date, false), "1900-01-01");
  EXPECT_EQ(formatCellNumber(59, ValueFormat::Date, false), "1900-02-28");
  EXPECT_EQ(formatCellNumber(60, ValueFormat::Date, false), "1900-02-29");  // Excel's day that never was
  EXPECT_EQ(formatCellNumber(61, ValueFormat::Date, false), "1900-03-01");
  EXPECT_EQ(formatCellNumber(0, ValueFormat::Date, true), "1904-01-01");
  EXPECT_EQ(formatCellNumber(43890, ValueFormat::Date, true), "2024-03-01");
  EXPECT_EQ(formatCellNumber(45352.5, ValueFormat::DateTime, false), "2024-03-01 12:00");
  EXPECT_EQ(formatCellNumber(0.385763888888889, ValueFormat::Time, false), "09:15:30");
  EXPECT_EQ(formatCellNumber(45352.99999999, ValueFormat::DateTime, false), "2024-03-02 00:00");  // rounds up a day
  EXPECT_EQ(formatCellNumber(0.1 + 0.2, ValueFormat::General, false), "0.3");
  EXPECT_EQ(formatCellNumber(1234567.891, ValueFormat::General, false), "1234567.891");
  EXPECT_EQ(formatCellNumber(-3, ValueFormat::Date, false), "-3");  // no date before 1900
}

std::string presentation() {
  const std::string ns = R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main")";
  const auto shape = [](const std::string& ph, const std::string& paragraphs) {
    return "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"s\"/><p:cNvSpPr/><p:nvPr>" + ph + "</p:nvPr></p:nvSpPr><p:txBody><a:bodyPr/>" +
           paragraphs + "</p:txBody></p:sp>";
  };
  const auto para = [](const std::string& runs) { return "<a:p>" + runs + "</a:p>"; };
  const auto run = [](const std::string& text) { return "<a:r><a:rPr/><a:t>" + text + "</a:t></a:r>"; };
  const std::string slide1 =
      "<p:sld" + ns + "><p:cSld><p:spTree>" + shape("<p:ph type=\"ctrTitle\"/>", para(run("Project ") + run("Falcon"))) +
      shape("<p:ph type=\"subTitle\" idx=\"1\"/>", para(run("Board update, March 2024"))) +
      shape("<p:ph type=\"sldNum\" idx=\"12\"/>", para("<a:fld type=\"slidenum\"><a:t>1</a:t></a:fld>")) +
      "</p:spTree></p:cSld></p:sld>";
  const std::string slide2 = "<p:sld" + ns + " show=\"0\"><p:cSld><p:spTree><p:pic/></p:spTree></p:cSld></p:sld>";
  const std::string table =
      "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody>" + para(run("Risk")) + "</a:txBody></a:tc><a:tc><a:txBody>" +
      para(run("Owner")) + "</a:txBody></a:tc></a:tr><a:tr><a:tc><a:txBody>" + para(run("Change of control")) +
      "</a:txBody></a:tc><a:tc><a:txBody>" + para(run("Legal")) + para(run("(outside counsel)")) +
      "</a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>";
  const std::string slide3 = "<p:sld" + ns + "><p:cSld><p:spTree>" + shape("<p:ph type=\"title\"/>", para(run("Key risks"))) +
                             "<p:grpSp>" + shape("", para(run("Termination on change of control") + "<a:br/>" + run("(clause 14.2)"))) +
                             "</p:grpSp>" + table + "</p:spTree></p:cSld></p:sld>";
  const std::string notes3 = "<p:notes" + ns + "><p:cSld><p:spTree>" + shape("<p:ph type=\"sldImg\"/>", "") +
                             shape("<p:ph type=\"body\" idx=\"1\"/>", para(run("Mention the waiver.")) + para(run("Ask for approval."))) +
                             shape("<p:ph type=\"sldNum\" idx=\"5\"/>", para(run("3"))) + "</p:spTree></p:cSld></p:notes>";
  return test::zipBytes({
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", std::string(kRels) + relationship("rId1", "officeDocument", "ppt/presentation.xml") + "</Relationships>"},
      {"ppt/presentation.xml", "<p:presentation" + ns + "><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId7\"/><p:sldId id=\"257\" r:id=\"rId3\"/>"
                               "<p:sldId id=\"258\" r:id=\"rId5\"/></p:sldIdLst></p:presentation>"},
      {"ppt/_rels/presentation.xml.rels", std::string(kRels) + relationship("rId3", "slide", "slides/slide2.xml") +
                                              relationship("rId5", "slide", "slides/slide3.xml") +
                                              relationship("rId7", "slide", "slides/slide1.xml") + "</Relationships>"},
      {"ppt/slides/slide1.xml", slide1},
      {"ppt/slides/slide2.xml", slide2},
      {"ppt/slides/slide3.xml", slide3},
      {"ppt/slides/_rels/slide3.xml.rels", std::string(kRels) + relationship("rId1", "notesSlide", "../notesSlides/notesSlide3.xml") + "</Relationships>"},
      {"ppt/notesSlides/notesSlide3.xml", notes3},
  });
}

TEST(ExtractSlides, EachSlideIsAPageWithItsTitleTablesAndNotes) {
  auto r = extractBytes(presentation(), classifySource("deck.pptx"), "deck.pptx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Slide 1: Project Falcon\n\nBoard update, March 2024\n\n"
            "# Slide 2 (hidden)\n\n"
            "# Slide 3: Key risks\n\nTermination on change of control\n(clause 14.2)\n\n"
            "Risk | Owner\n\nChange of control | Legal (outside counsel)\n\n"
            "Speaker notes: Mention the waiver.\n\nAsk for approval.\n\n");
  ASSERT_EQ(r->page_starts.size(), 3u);  // page = slide number, also for a slide without text
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 9), "# Slide 2");
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[2]), 9), "# Slide 3");
}

TEST(ExtractSlides, PackagesAreReadByWhatTheyHoldWhateverTheirName) {
  auto deck = extractBytes(presentation(), classifySource("deck.docx"), "deck.docx");
  ASSERT_TRUE(deck.ok()) << deck.error().message;
  EXPECT_EQ(deck->text.substr(0, 9), "# Slide 1");
  auto book = extractBytes(workbook(), classifySource("book.pptx"), "book.pptx");
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->text.substr(0, 17), "## Sheet: Damages");
  auto broken = extractBytes(test::zipBytes({{"_rels/.rels", std::string(kRels) + relationship("r", "officeDocument", "ppt/presentation.xml") + "</Relationships>"},
                                             {"ppt/presentation.xml", "<p:presentation><unclosed></p:presentation>"}}),
                             classifySource("bad.pptx"), "bad.pptx");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("bad.pptx: ppt/presentation.xml"), std::string::npos) << broken.error().message;
}

std::string openDocument(const std::string& type, const std::string& body, const std::string& styles = "") {
  return test::zipBytes({{"mimetype", "application/vnd.oasis.opendocument." + type},
                         {"content.xml",
                          R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
                          R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
                          R"(xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" )"
                          R"(xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0">)"
                          "<office:automatic-styles>" + styles + "</office:automatic-styles><office:body>" + body +
                          "</office:body></office:document-content>"},
                         {"meta.xml", R"(<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
                                      R"(xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Model</dc:title>)"
                                      "<dc:creator>Expert</dc:creator></office:meta></office:document-meta>"}});
}

TEST(ExtractSheets, AnOpenDocumentSpreadsheetReadsAsCalcShowsItWithIsoDates) {
  const std::string body =
      "<office:spreadsheet><table:table table:name=\"Damages\"><table:table-column table:number-columns-repeated=\"1024\"/>"
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Item</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"2\"/><table:table-cell><text:p>Due</text:p></table:table-cell></table:table-row>"
      "<table:table-row><table:table-cell><text:p>Lost<text:s text:c=\"2\"/>profits</text:p><text:p>(estimate)</text:p>"
      "<office:annotation><text:p>check this</text:p></office:annotation></table:table-cell>"
      "<table:table-cell office:value-type=\"float\" office:value=\"125000.5\"><text:p>125,000.50</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"percentage\" office:value=\"0.15\"><text:p>15%</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-03-01T14:30:00\"><text:p>03/01/24 2:30 PM</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"time\" office:time-value=\"PT09H15M30S\"><text:p>09:15:30 AM</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"2\"><text:p>x</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
      "</table:table><table:table table:name=\"Calc\" table:style-name=\"ta2\"><table:table-row><table:table-cell "
      "office:value-type=\"date\" office:date-value=\"2024-03-01\"><text:p>1 March</text:p></table:table-cell></table:table-row>"
      "</table:table></office:spreadsheet>";
  const std::string styles =
      "<style:style style:name=\"ta2\" style:family=\"table\"><style:table-properties table:display=\"false\"/></style:style>";
  auto r = extractBytes(openDocument("spreadsheet", body, styles), classifySource("model.ods"), "model.ods");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "## Sheet: Damages\nItem |  |  | Due\nLost  profits (estimate) | 125,000.50 | 15% | 2024-03-01 14:30 | 09:15:30\n"
            "x | x\nx | x\n\n## Sheet: Calc (hidden)\n2024-03-01\n");
  EXPECT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->title, "Model");
  EXPECT_EQ(sourceKindName(classifySource("model.ots").kind), "spreadsheet");
}

TEST(ExtractSlides, AnOpenDocumentPresentationReadsLikeAPowerPointOne) {
  const std::string frame_open = "<draw:frame presentation:class=\"";
  const std::string body =
      "<office:presentation><draw:page draw:name=\"p1\">" + frame_open + "title\"><draw:text-box><text:p>Project Falcon</text:p>"
      "</draw:text-box></draw:frame>" + frame_open + "outline\"><draw:text-box><text:list><text:list-item><text:p>Board update"
      "</text:p></text:list-item></text:list></draw:text-box></draw:frame>" + frame_open + "page-number\"><draw:text-box><text:p>1"
      "</text:p></draw:text-box></draw:frame><presentation:notes><draw:page-thumbnail/>" + frame_open + "notes\"><draw:text-box>"
      "<text:p>Mention the waiver.</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>"
      "<draw:page draw:name=\"p2\" draw:style-name=\"dp9\"><draw:frame><table:table><table:table-row><table:table-cell><text:p>Risk"
      "</text:p></table:table-cell><table:table-cell><text:p>Owner</text:p></table:table-cell></table:table-row></table:table>"
      "</draw:frame><draw:custom-shape><text:p>Callout</text:p></draw:custom-shape></draw:page></office:presentation>";
  const std::string styles = "<style:style style:name=\"dp9\" style:family=\"drawing-page\"><style:drawing-page-properties "
                             "presentation:visibility=\"hidden\"/></style:style>";
  auto r = extractBytes(openDocument("presentation", body, styles), classifySource("deck.odp"), "deck.odp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Slide 1: Project Falcon\n\nBoard update\n\nSpeaker notes: Mention the waiver.\n\n"
            "# Slide 2 (hidden)\n\nRisk | Owner\n\nCallout\n\n");
  EXPECT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(sourceKindName(classifySource("deck.otp").kind), "presentation");
}

}  // namespace
}  // namespace folio::ingest
