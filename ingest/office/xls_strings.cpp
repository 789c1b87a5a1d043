#include "ingest/office/xls_strings.h"

#include <algorithm>

#include "ingest/charset.h"

namespace folio::ingest::office {

XlsCursor::XlsCursor(const std::vector<std::string_view>& parts, uint64_t skip_bytes) : parts_(parts) { skip(skip_bytes); }

bool XlsCursor::atEnd() const {
  for (size_t p = part_; p < parts_.size(); ++p) {
    if ((p == part_ ? at_ : 0) < parts_[p].size()) return false;
  }
  return true;
}

bool XlsCursor::skip(uint64_t n) {
  while (n > 0) {
    if (part_ >= parts_.size()) return false;
    const uint64_t left = parts_[part_].size() - at_;
    if (n < left) {
      at_ += n;
      return true;
    }
    n -= left;
    ++part_;
    at_ = 0;
  }
  return true;
}

bool XlsCursor::byte(uint8_t& v) {
  while (part_ < parts_.size() && at_ >= parts_[part_].size()) {
    ++part_;
    at_ = 0;
  }
  if (part_ >= parts_.size()) return false;
  v = static_cast<uint8_t>(parts_[part_][at_++]);
  return true;
}

bool XlsCursor::u8(uint8_t& v) { return byte(v); }

bool XlsCursor::u16(uint16_t& v) {
  uint8_t lo, hi;
  if (!byte(lo) || !byte(hi)) return false;
  v = static_cast<uint16_t>(lo | hi << 8);
  return true;
}

bool XlsCursor::u32(uint32_t& v) {
  uint16_t lo, hi;
  if (!u16(lo) || !u16(hi)) return false;
  v = static_cast<uint32_t>(lo) | static_cast<uint32_t>(hi) << 16;
  return true;
}

bool XlsCursor::count(int count_bytes, uint16_t& v) {
  uint8_t c = 0;
  if (count_bytes != 1) return u16(v);
  if (!u8(c)) return false;
  v = c;
  return true;
}

bool XlsCursor::unicodeString(int count_bytes, std::string& utf8) {
  uint16_t count = 0;
  uint8_t flags = 0;
  if (!this->count(count_bytes, count) || !u8(flags)) return false;
  uint16_t runs = 0;
  uint32_t phonetic = 0;
  if ((flags & 0x08) && !u16(runs)) return false;
  if ((flags & 0x04) && !u32(phonetic)) return false;
  // Gather UTF-16LE, one-byte characters widened, so a surrogate pair split across parts still joins.
  std::string utf16;
  utf16.reserve(size_t{count} * 2);
  bool wide = flags & 0x01;
  uint32_t left = count;
  while (left > 0) {
    if (part_ >= parts_.size()) return false;
    const std::string_view part = parts_[part_];
    const uint64_t width = wide ? 2 : 1;
    const uint64_t n = std::min<uint64_t>(left, (part.size() - at_) / width);
    for (uint64_t i = 0; i < n; ++i) {
      utf16 += part[at_ + i * width];
      utf16 += wide ? part[at_ + i * width + 1] : '\0';
    }
    at_ += n * width;
    left -= static_cast<uint32_t>(n);
    if (left == 0) break;
    // The characters go on in the next part, which opens with their width.
    ++part_;
    at_ = 0;
    if (part_ >= parts_.size() || parts_[part_].empty()) return false;
    wide = parts_[part_][0] & 0x01;
    at_ = 1;
  }
  utf8 = utf16leToUtf8(utf16);
  return skip(uint64_t{runs} * 4 + phonetic);
}

bool XlsCursor::byteString(int count_bytes, const std::string& charset, std::string& utf8) {
  uint16_t count = 0;
  if (!this->count(count_bytes, count)) return false;
  std::string bytes;
  bytes.reserve(count);
  for (uint16_t i = 0; i < count; ++i) {
    uint8_t c;
    if (!byte(c)) return false;
    bytes += static_cast<char>(c);
  }
  utf8 = toUtf8(bytes, charset);
  return true;
}

std::string excelCharset(uint16_t code_page) {
  switch (code_page) {
    case 0: case 367: case 1200: case 32769: return "CP1252";
    case 32768: return "MACINTOSH";
    default: return windowsCodePage(code_page);
  }
}

}  // namespace folio::ingest::office
