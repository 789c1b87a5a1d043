// Writes Excel 97-2003 workbooks for tests: BIFF8 (or BIFF5) records — cells, formats, shared strings
// split across CONTINUE records the way Excel splits them (each continued part of a string opening with
// its own width flag) — laid out as a Workbook stream with the sheets' offsets filled in, in a compound
// file (compound_file_writer.h). Checked once against xlrd 1.2 (Debian python3-xlrd), an independent
// reader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::test::xls {

// One record: type, length, body.
std::string record(uint16_t type, const std::string& body);

// A BIFF8 string (XLUnicodeString): a 1- or 2-byte count, a flags byte, one byte a character when
// all fit in Latin-1, else UTF-16LE. `text` is UTF-16.
std::string unicodeString(const std::u16string& text, int count_bytes = 2);

// Global records.
std::string codePage(uint16_t cp);
std::string dateMode1904();
std::string filePass();
std::string format(uint16_t id, const std::u16string& code);
std::string xf(uint16_t format_id);  // a cell XF with that number format
// The shared strings, split in records of at most `max_body` bytes (Excel: 8,224): a string's
// characters that do not fit go on in a CONTINUE opening with their width, chosen per part.
std::string sst(const std::vector<std::u16string>& strings, size_t max_body = 8224);

// Cell records.
std::string number(uint16_t row, uint16_t col, uint16_t xf, double value);
std::string rk(uint16_t row, uint16_t col, uint16_t xf, uint32_t rk_value);
std::string mulRk(uint16_t row, uint16_t first_col, const std::vector<std::pair<uint16_t, uint32_t>>& xf_rk);
std::string labelSst(uint16_t row, uint16_t col, uint32_t index);
std::string label(uint16_t row, uint16_t col, const std::u16string& text);
std::string label8(uint16_t row, uint16_t col, const std::string& bytes);  // BIFF5: bytes in the code page
std::string boolErr(uint16_t row, uint16_t col, uint8_t value, bool error);
std::string formulaNumber(uint16_t row, uint16_t col, uint16_t xf, double value);
// A formula with a cached string, bool (1), error (2) or empty (3) result; a string's text follows in
// a STRING record (string()).
std::string formulaSpecial(uint16_t row, uint16_t col, uint8_t kind, uint8_t value = 0);
std::string string(const std::u16string& text);
std::string blank(uint16_t row, uint16_t col);

struct Sheet {
  std::string name;  // Latin-1
  std::string cells;  // cell records, concatenated
  bool hidden = false;
  bool chart = false;  // a chart sheet (its BOF says so)
};

struct Book {
  std::string globals;  // records after the BOF (code page, formats, XFs, SST, …)
  std::vector<Sheet> sheets;
  bool biff5 = false;  // Excel 5.0/95: a "Book" stream, 8-bit sheet names
};

// The Workbook (or Book) stream.
std::string stream(const Book& book);
// A compound file holding it.
std::string file(const Book& book);

}  // namespace folio::test::xls
