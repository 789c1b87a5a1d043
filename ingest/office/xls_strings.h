// Strings of an Excel 97-2003 workbook. BIFF8 ([MS-XLS] 2.5.293-296) writes a character count, a flags
// byte (bit 0: two bytes a character, else one — the low byte of UTF-16, so Latin-1; bit 2: phonetic
// data follows; bit 3: formatting runs follow), the characters, then the runs and phonetic data, which
// are skipped. A string split across a record and its CONTINUE records restarts at each new part with a
// flags byte of its own, so its width may change midway. BIFF5/7 strings are bytes in the workbook's
// code page (the CODEPAGE record).
//
// Untrusted input: a read past the record's last part fails (the caller names the record); lengths
// are 8- or 16-bit, so no string holds more than 65,535 characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest::office {

// Reads through a record's parts (xls_records.h) as one byte sequence, except inside a string's
// characters. Every read returns false when the parts run out.
class XlsCursor {
 public:
  explicit XlsCursor(const std::vector<std::string_view>& parts, uint64_t skip = 0);
  bool skip(uint64_t n);
  bool u8(uint8_t& v);
  bool u16(uint16_t& v);
  bool u32(uint32_t& v);
  bool atEnd() const;

  // A BIFF8 string whose character count is 1 or 2 bytes wide (`count_bytes`), as UTF-8.
  bool unicodeString(int count_bytes, std::string& utf8);
  // A BIFF5/7 string: a 1- or 2-byte count, then bytes in the workbook's code page (`charset`, iconv's
  // name), as UTF-8.
  bool byteString(int count_bytes, const std::string& charset, std::string& utf8);

 private:
  bool byte(uint8_t& v);
  bool count(int count_bytes, uint16_t& v);  // a string's character count, 1 or 2 bytes wide
  const std::vector<std::string_view>& parts_;
  size_t part_ = 0;
  uint64_t at_ = 0;
};

// The iconv name of an Excel CODEPAGE value (367 ASCII and 32769 Windows-1252 as Windows-1252, 32768
// Mac Roman, 1200 — BIFF8's UTF-16 — as Windows-1252 for the few 8-bit strings left).
std::string excelCharset(uint16_t code_page);

}  // namespace folio::ingest::office
