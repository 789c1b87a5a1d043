// Excel 97-2003 workbooks (.xls): read in the same shape as .xlsx (sheets as pages, "cell | cell" rows,
// cells as Excel shows them), from BIFF8 records written here (support/xls_writer.h) — shared strings
// split across CONTINUE records with the width switching midway, RK and MULRK numbers, formulas' cached
// results, dates through FORMAT/XF, the 1904 date system, hidden and chart sheets, BIFF5 code pages —
// and from a LibreOffice-made file; password-protected and broken workbooks fail with the file's name.
// tools/xls/compare_xls.py compares this reader with xlrd and LibreOffice on generated workbooks.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "ingest/extract.h"
#include "ingest/ole/compound_file.h"
#include "ingest/office/xls_extract.h"
#include "ingest/source_kind.h"
#include "support/compound_file_writer.h"
#include "support/xls_writer.h"

namespace folio::ingest {
namespace {

namespace xls = folio::test::xls;

Result<ExtractedText> extract(const std::string& bytes, const std::string& name = "book.xls") {
  return extractBytes(bytes, classifySource(name), name);
}

uint32_t rkInt(int32_t v) { return static_cast<uint32_t>(v) << 2 | 2; }

// Number formats: XF 0 General, 1 a custom "dd/mm/yyyy", 2 "0.00%", 3 "m/d/yy h:mm", 4 "h:mm".
std::string formats() {
  return xls::format(164, u"dd/mm/yyyy") + xls::xf(0) + xls::xf(164) + xls::xf(10) + xls::xf(22) + xls::xf(20);
}

TEST(ExtractXls, AWorkbookReadsAsExcelShowsItSheetByPage) {
  // A long string crossing two CONTINUE records: Latin-1 first (one byte a character), then Japanese
  // (two bytes), then Latin-1 again — each part says its own width.
  std::u16string long_text;
  for (int i = 0; i < 30; ++i) long_text += u"Clause ";
  long_text += u"\u6771\u4eac";
  for (int i = 0; i < 20; ++i) long_text += u" end";
  const std::vector<std::u16string> strings = {u"Item", u"Amount", u"Lost profits", long_text, u"M\u00fcller"};
  xls::Book book;
  book.globals = formats() + xls::sst(strings, 120);
  xls::Sheet damages{"Damages", {}, false, false};
  damages.cells = xls::labelSst(0, 0, 0) + xls::labelSst(0, 1, 1) + xls::label(0, 2, u"Due") +
                  xls::labelSst(1, 0, 2) + xls::formulaNumber(1, 1, 0, 125000.5) + xls::rk(1, 2, 1, rkInt(45352)) +
                  xls::number(1, 3, 2, 0.125) + xls::number(1, 4, 3, 45352.604166666664) + xls::blank(1, 5) +
                  // Row 3 empty; row 4: booleans, errors and a formula's text result.
                  xls::formulaSpecial(3, 2, 1, 1) + xls::formulaSpecial(3, 3, 2, 0x07) + xls::formulaSpecial(3, 4, 0) +
                  xls::string(u"line one\nline two") + xls::boolErr(3, 5, 0, false) + xls::boolErr(3, 6, 0x2A, true) +
                  xls::formulaSpecial(3, 7, 3) +
                  xls::labelSst(4, 0, 3) + xls::labelSst(4, 1, 99) + xls::rk(4, 2, 77, 1234u << 2 | 3) +
                  xls::mulRk(5, 1, {{0, rkInt(-5)}, {0, 0x3FF80000u}, {4, 0x3FE00000u}, {0, 1u << 2 | 3}});
  xls::Sheet chart{"Chart1", {}, false, true};
  xls::Sheet calc{"Calc", xls::labelSst(0, 0, 4) + xls::number(0, 1, 0, 2), true, false};
  book.sheets = {damages, chart, calc};
  auto r = extract(xls::file(book));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string long_utf8;
  for (int i = 0; i < 30; ++i) long_utf8 += "Clause ";
  long_utf8 += "\xE6\x9D\xB1\xE4\xBA\xAC";
  for (int i = 0; i < 20; ++i) long_utf8 += " end";
  EXPECT_EQ(r->text,
            "## Sheet: Damages\n"
            "Item | Amount | Due\n"
            "Lost profits | 125000.5 | 2024-03-01 | 12.50% | 2024-03-01 14:30\n"  // XF 2: "0.00%"
            " |  | TRUE | #DIV/0! | line one line two | FALSE | #N/A\n" +
                long_utf8 + " |  | 12.34\n"  // a bad string index or cell format read as nothing, General
            " | -5 | 1.5 | 12:00 | 0.01\n"
            "\n## Sheet: Calc (hidden)\n"
            "M\xC3\xBCller | 2\n");
  ASSERT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 16), "## Sheet: Calc (");
  EXPECT_EQ(sourceKindName(classifySource("budget.XLS").kind), "spreadsheet");
  EXPECT_EQ(sourceKindName(classifySource("form.xlt").kind), "spreadsheet");
}

TEST(ExtractXls, TheSstWriterSplitsStringsWithTheWidthSwitchingMidway) {
  // The test above depends on it: a continued part of a string opens with its own flags byte.
  const std::string records = xls::sst({std::u16string(10, u'a') + u"\u6771\u4eac"}, 16);
  // SST: 8 header bytes + count 2 + flags 0 + 5 one-byte characters = 16; CONTINUE: flags 0 + 5
  // characters; CONTINUE: flags 1 + two 2-byte ones.
  ASSERT_EQ(records.size(), 4u + 16 + 4 + 6 + 4 + 5);
  EXPECT_EQ(records[4 + 16 + 4], '\0');
  EXPECT_EQ(records[4 + 16 + 4 + 6 + 4], '\1');
}

// Numbers read in their number format as Excel shows them: the workbook's FORMAT records (Excel writes
// its locale's currency formats 5-8 there), built-in ids without one as en-US Excel, and a format's
// text section applied to a text cell.
TEST(ExtractXls, NumbersReadInTheirNumberFormats) {
  xls::Book book;
  book.globals = xls::format(164, u"[$\u20ac-407] #,##0.00") + xls::format(165, u"00000") +
                 xls::format(166, u"[>=1000000]0.0,,\"M\";[>=1000]0.0,\"K\";0") + xls::format(167, u"0;-0;0;\"Ref \"@") +
                 xls::format(7, u"\"$\"#,##0.00_);\\(\"$\"#,##0.00\\)") + xls::xf(0) + xls::xf(164) + xls::xf(165) +
                 xls::xf(166) + xls::xf(167) + xls::xf(7) + xls::xf(39) + xls::xf(12) + xls::xf(46) + xls::xf(0) + xls::xf(0) +
                 xls::xf(0) + xls::xf(0) + xls::xf(0) + xls::xf(0) + xls::xf(167);  // XF 15: the writer's labels
  xls::Sheet sheet{"Damages", {}, false, false};
  sheet.cells = xls::number(0, 0, 1, 1234.56) + xls::rk(0, 1, 2, rkInt(501)) + xls::number(0, 2, 3, 1250000) +
                xls::label(0, 3, u"A-12") + xls::number(0, 4, 5, -1234.5) + xls::number(0, 5, 6, -1234.5) +
                xls::number(0, 6, 7, 12.75) + xls::formulaNumber(0, 7, 8, 1.5);
  book.sheets = {sheet};
  auto r = extract(xls::file(book));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "## Sheet: Damages\n"
                     "\xE2\x82\xAC 1,234.56 | 00501 | 1.3M | Ref A-12 | ($1,234.50) | (1,234.50) | 12 3/4 | 36:00:00\n");
}

TEST(ExtractXls, The1904DateSystemShiftsDates) {
  xls::Book book;
  book.globals = xls::dateMode1904() + formats();
  book.sheets = {{"Dates", xls::number(0, 0, 1, 0) + xls::number(0, 1, 1, 43890) + xls::number(0, 2, 0, 43890), false, false}};
  auto r = extract(xls::file(book));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "## Sheet: Dates\n1904-01-01 | 2024-03-01 | 43890\n");
}

TEST(ExtractXls, AnExcel95WorkbookReadsItsStringsInItsCodePage) {
  xls::Book book;
  book.biff5 = true;
  book.globals = xls::codePage(1251) + formats();
  // "Договор" (contract) in Windows-1251; a formula's text result in the same code page.
  const std::string word = "\xC4\xEE\xE3\xEE\xE2\xEE\xF0";
  const std::string string8 = xls::record(0x0207, std::string("\x03\x00", 2) + "\xE4\xE0\xED");  // "дан"
  book.sheets = {{"\xCB\xE8\xF1\xF2", xls::label8(0, 0, word) + xls::rk(0, 1, 1, rkInt(45352)) +
                                            xls::formulaSpecial(0, 2, 0) + string8, false, false}};
  auto r = extract(xls::file(book), "old.xls");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "## Sheet: \xD0\x9B\xD0\xB8\xD1\x81\xD1\x82\n"
            "\xD0\x94\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80 | 2024-03-01 | \xD0\xB4\xD0\xB0\xD0\xBD\n");
}

TEST(ExtractXls, CellsOutOfOrderEmbeddedChartsAndFarColumnsAreHandled) {
  xls::Book book;
  book.globals = formats();
  // An embedded chart (a BOF … EOF inside the sheet) holds records that must not be read as cells.
  const std::string chart = xls::record(0x0809, std::string("\x00\x06\x20\x00", 4) + std::string(12, '\0')) +
                            xls::number(9, 0, 0, 666) + xls::record(0x000A, "");
  book.sheets = {{"S", xls::number(2, 1, 0, 3) + chart + xls::number(0, 0, 0, 1) + xls::number(0, 300, 0, 9) +
                           xls::number(2, 0, 0, 2), false, false}};
  auto r = extract(xls::file(book));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "## Sheet: S\n1\n2 | 3\n");  // rows put in order

  // A cell for a row 300 rows back, long written out: a line of its own, not lost.
  xls::Book far;
  far.globals = formats();
  far.sheets = {{"Far", {}, false, false}};
  for (uint16_t row = 0; row < 300; ++row) far.sheets[0].cells += xls::number(row, 0, 0, row);
  far.sheets[0].cells += xls::label(3, 1, u"late");
  r = extract(xls::file(far));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("\n43\n | late\n44\n"), std::string::npos);  // rows 0-43 were written (300 - 256)
  EXPECT_NE(r->text.find("\n299\n"), std::string::npos);
}

TEST(ExtractXls, WhatExcelAndOtherWritersGetSlightlyWrongIsRead) {
  // A stray byte after the last EOF (an odd stream size), and a FORMAT counting one character more
  // than it holds: both seen in files Excel and others wrote (Apache POI's test data).
  xls::Book book;
  std::string format = xls::format(164, u"yyyy-mm-dd");
  format[2] = static_cast<char>(format[2] - 1);  // the record one byte shorter, the count as it was
  format.pop_back();
  // And a built-in id (52, a date in Excel's table) redefined as a time: its code decides.
  book.globals = format + xls::format(52, u"hh\":\"mm AM/PM") + xls::xf(0) + xls::xf(164) + xls::xf(52);
  book.sheets = {{"S", xls::number(0, 0, 1, 45352) + xls::number(0, 1, 2, 0.25), false, false}};
  auto r = extract(folio::test::compoundFileBytes({folio::test::CfbNode::stream("Workbook", xls::stream(book) + '\0')}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "## Sheet: S\n2024-03-01 | 06:00\n");
}

TEST(ExtractXls, APasswordProtectedWorkbookFailsWithWhatToDo) {
  xls::Book book;
  book.globals = xls::filePass() + formats();
  book.sheets = {{"S", xls::number(0, 0, 0, 1), false, false}};
  auto r = extract(xls::file(book), "salaries.xls");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("salaries.xls: a password-protected Excel workbook"), std::string::npos) << r.error().message;
}

TEST(ExtractXls, BrokenWorkbooksFailWithTheFileNameNeverACrash) {
  using folio::test::CfbNode;
  xls::Book good;
  good.globals = formats() + xls::sst({u"alpha", u"beta gamma delta"}, 20);
  good.sheets = {{"S", xls::labelSst(0, 0, 1) + xls::number(0, 1, 1, 45352) + xls::formulaSpecial(0, 2, 0) + xls::string(u"x"),
                  false, false}};
  const std::string stream = xls::stream(good);
  const auto fails = [](const std::string& workbook, const std::string& why) {
    auto r = extract(folio::test::compoundFileBytes({CfbNode::stream("Workbook", workbook)}), "broken.xls");
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_NE(r.error().message.find("broken.xls: "), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  };
  fails(stream.substr(0, stream.size() - 2), "cut short");
  fails(stream.substr(0, 30), "runs past the end of the stream");
  fails("", "does not open with a BOF record");
  fails(std::string("\x09\x00\x04\x00\x02\x00\x10\x00", 8), "Excel 2.x-4.0");
  auto bare = extract(std::string("\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00", 10), "old.xls");  // no compound file
  ASSERT_FALSE(bare.ok());
  EXPECT_NE(bare.error().message.find("old.xls: an Excel 2.x-4.0 workbook"), std::string::npos) << bare.error().message;
  fails(xls::record(0x0809, std::string("\x00\x03\x05\x00", 4)), "unknown BIFF version");
  fails(xls::record(0x0809, std::string("\x00\x06\x05\x00", 4)) + xls::record(0x0085, std::string("\xFF\xFF\x00\x00\x00\x00\x01\x00S", 9)),
        "starts past the end");
  fails(xls::record(0x0809, std::string("\x00\x06\x05\x00", 4)) + xls::record(0x00FC, std::string("\x01\0\0\0\x01\0\0\0\x05\0\0ab", 13)),
        "shared string 0 of 1 is cut short");
  xls::Book short_cell;
  short_cell.sheets = {{"S", xls::record(0x0203, std::string(10, '\0')), false, false}};
  fails(xls::stream(short_cell), "a NUMBER record cut short at offset");
  // Every cut of a good stream, and every byte flipped: an error naming the file or a text, never a crash.
  for (size_t n = 0; n < stream.size(); ++n) {
    auto r = extract(folio::test::compoundFileBytes({CfbNode::stream("Workbook", stream.substr(0, n))}), "cut.xls");
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("cut.xls"), std::string::npos) << r.error().message;
    }
  }
  for (size_t i = 0; i < stream.size(); ++i) {
    std::string flipped = stream;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xA5);
    auto r = extract(folio::test::compoundFileBytes({CfbNode::stream("Workbook", flipped)}), "flip.xls");
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("flip.xls"), std::string::npos) << r.error().message;
    }
  }
}

TEST(ExtractXls, ALibreOfficeWorkbookWithItsTitleAndAuthor) {
  // tests/fixtures/xls/ledger.xls: an openpyxl workbook saved as .xls by LibreOffice 7.4
  // (tools/xls/make_xls.py --fixture).
  std::ifstream in(std::filesystem::path(FOLIO_FIXTURES_DIR) / "xls" / "ledger.xls", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto r = extract(bytes, "ledger.xls");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "## Sheet: Ledger\n"
            "Date | Counterparty | Amount | Share\n"
            "2024-03-01 | M\xC3\xBCller GmbH | 1250.5 | 25%\n"
            "2024-03-15 | Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale | -300 | 12.5%\n"
            " | Total | 950.5\n"
            "\n## Sheet: Notes (hidden)\n"
            "Agreed with the auditors on 2024-04-02.\n");
  EXPECT_EQ(r->title, "Quarterly ledger");
  EXPECT_EQ(r->author, "Ren\xC3\xA9" "e Dubois");
}

}  // namespace
}  // namespace folio::ingest
