#include "tests/support/xls_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "tests/support/compound_file_writer.h"
#include "tests/support/little_endian.h"

namespace folio::test::xls {
namespace {

std::string u16(uint32_t v) {
  std::string b(2, '\0');
  put16le(b, 0, v);
  return b;
}

std::string u32(uint32_t v) {
  std::string b(4, '\0');
  put32le(b, 0, v);
  return b;
}

std::string f64(double v) {
  const auto bits = std::bit_cast<uint64_t>(v);
  return u32(static_cast<uint32_t>(bits)) + u32(static_cast<uint32_t>(bits >> 32));
}

std::string cellHead(uint16_t row, uint16_t col, uint16_t xf) { return u16(row) + u16(col) + u16(xf); }

bool latin1(const std::u16string& s, size_t from, size_t to) {
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from), s.begin() + static_cast<std::ptrdiff_t>(to),
                     [](char16_t c) { return c < 0x100; });
}

std::string characters(const std::u16string& s, size_t from, size_t to, bool wide) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += wide ? u16(s[i]) : std::string(1, static_cast<char>(s[i]));
  return out;
}

std::string bof(uint16_t version, uint16_t kind) {
  return record(0x0809, u16(version) + u16(kind) + u16(0x0DBB) + u16(0x07CC) + u32(0) + u32(0));
}

}  // namespace

std::string record(uint16_t type, const std::string& body) { return u16(type) + u16(static_cast<uint32_t>(body.size())) + body; }

std::string unicodeString(const std::u16string& text, int count_bytes) {
  const bool wide = !latin1(text, 0, text.size());
  std::string out = count_bytes == 1 ? std::string(1, static_cast<char>(text.size())) : u16(static_cast<uint32_t>(text.size()));
  out += static_cast<char>(wide ? 1 : 0);
  return out + characters(text, 0, text.size(), wide);
}

std::string codePage(uint16_t cp) { return record(0x0042, u16(cp)); }
std::string dateMode1904() { return record(0x0022, u16(1)); }
std::string filePass() { return record(0x002F, u16(1) + std::string(52, '\x5A')); }
std::string format(uint16_t id, const std::u16string& code) { return record(0x041E, u16(id) + unicodeString(code)); }
std::string xf(uint16_t format_id) { return record(0x00E0, u16(0) + u16(format_id) + std::string(16, '\0')); }

std::string sst(const std::vector<std::u16string>& strings, size_t max_body) {
  std::vector<std::string> parts(1, u32(static_cast<uint32_t>(strings.size())) + u32(static_cast<uint32_t>(strings.size())));
  const auto room = [&] { return max_body - parts.back().size(); };
  for (const std::u16string& s : strings) {
    if (room() < 4) parts.emplace_back();  // a string's count and flags are never split
    size_t done = 0;
    bool first = true;
    while (first || done < s.size()) {
      if (!first) parts.emplace_back();
      // A run of Latin-1 characters goes one byte each, others two (so the width changes between parts).
      const size_t space = room() - (first ? 3 : 1);
      const bool wide = s[done] >= 0x100;
      size_t n = std::min(s.size() - done, wide ? space / 2 : space);
      if (!wide) {
        size_t run = 0;
        while (run < n && s[done + run] < 0x100) ++run;
        n = run;
      }
      if (first) {
        parts.back() += u16(static_cast<uint32_t>(s.size()));
      }
      parts.back() += static_cast<char>(wide ? 1 : 0);
      parts.back() += characters(s, done, done + n, wide);
      done += n;
      first = false;
    }
  }
  std::string out = record(0x00FC, parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) out += record(0x003C, parts[i]);
  return out;
}

std::string number(uint16_t row, uint16_t col, uint16_t xf_index, double value) {
  return record(0x0203, cellHead(row, col, xf_index) + f64(value));
}
std::string rk(uint16_t row, uint16_t col, uint16_t xf_index, uint32_t rk_value) {
  return record(0x027E, cellHead(row, col, xf_index) + u32(rk_value));
}
std::string mulRk(uint16_t row, uint16_t first_col, const std::vector<std::pair<uint16_t, uint32_t>>& xf_rk) {
  std::string body = u16(row) + u16(first_col);
  for (const auto& [x, v] : xf_rk) body += u16(x) + u32(v);
  return record(0x00BD, body + u16(static_cast<uint32_t>(first_col + xf_rk.size() - 1)));
}
std::string labelSst(uint16_t row, uint16_t col, uint32_t index) { return record(0x00FD, cellHead(row, col, 15) + u32(index)); }
std::string label(uint16_t row, uint16_t col, const std::u16string& text) {
  return record(0x0204, cellHead(row, col, 15) + unicodeString(text));
}
std::string label8(uint16_t row, uint16_t col, const std::string& bytes) {
  return record(0x0204, cellHead(row, col, 15) + u16(static_cast<uint32_t>(bytes.size())) + bytes);
}
std::string boolErr(uint16_t row, uint16_t col, uint8_t value, bool error) {
  return record(0x0205, cellHead(row, col, 15) + std::string(1, static_cast<char>(value)) + std::string(1, error ? '\1' : '\0'));
}
std::string formulaNumber(uint16_t row, uint16_t col, uint16_t xf_index, double value) {
  // The cached value, flags, a cache id, then the formula's tokens (here a 1-byte "1": ptgInt is 3 bytes).
  return record(0x0006, cellHead(row, col, xf_index) + f64(value) + u16(0) + u32(0) + u16(3) + "\x1E\x01" + std::string(1, '\0'));
}
std::string formulaSpecial(uint16_t row, uint16_t col, uint8_t kind, uint8_t value) {
  const std::string result = std::string(1, static_cast<char>(kind)) + '\0' + static_cast<char>(value) + std::string(3, '\0') + u16(0xFFFF);
  return record(0x0006, cellHead(row, col, 15) + result + u16(0) + u32(0) + u16(3) + "\x1E\x01" + std::string(1, '\0'));
}
std::string string(const std::u16string& text) { return record(0x0207, unicodeString(text)); }
std::string blank(uint16_t row, uint16_t col) { return record(0x0201, cellHead(row, col, 15)); }

std::string stream(const Book& book) {
  const uint16_t version = book.biff5 ? 0x0500 : 0x0600;
  std::vector<std::string> substreams;
  for (const Sheet& s : book.sheets) substreams.push_back(bof(version, s.chart ? 0x0020 : 0x0010) + s.cells + record(0x000A, ""));
  const auto sheetRecord = [&](const Sheet& s, uint32_t offset) {
    std::string body = u32(offset) + static_cast<char>(s.hidden ? 1 : 0) + static_cast<char>(s.chart ? 2 : 0);
    if (book.biff5) {
      body += static_cast<char>(s.name.size()) + s.name;
    } else {
      body += static_cast<char>(s.name.size()) + std::string(1, '\0') + s.name;
    }
    return record(0x0085, body);
  };
  size_t globals = bof(version, 0x0005).size() + book.globals.size() + 4;
  for (const Sheet& s : book.sheets) globals += sheetRecord(s, 0).size();
  std::string out = bof(version, 0x0005) + book.globals;
  size_t at = globals;
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    out += sheetRecord(book.sheets[i], static_cast<uint32_t>(at));
    at += substreams[i].size();
  }
  out += record(0x000A, "");
  for (const std::string& s : substreams) out += s;
  return out;
}

std::string file(const Book& book) {
  return compoundFileBytes({CfbNode::stream(book.biff5 ? "Book" : "Workbook", stream(book))});
}

}  // namespace folio::test::xls
