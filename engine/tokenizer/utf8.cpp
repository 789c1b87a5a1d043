#include "engine/tokenizer/utf8.h"

namespace folio::engine::utf8 {
namespace {

// Allowed range of the second byte for a lead byte (Unicode Table 3-7); {0, 0} when not a lead byte.
struct SecondByteRange {
  uint8_t lo = 0, hi = 0;
  size_t length = 0;
};

SecondByteRange rangeAfter(uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {0x80, 0xBF, 2};
  if (lead == 0xE0) return {0xA0, 0xBF, 3};
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) return {0x80, 0xBF, 3};
  if (lead == 0xED) return {0x80, 0x9F, 3};  // no surrogates
  if (lead == 0xF0) return {0x90, 0xBF, 4};
  if (lead >= 0xF1 && lead <= 0xF3) return {0x80, 0xBF, 4};
  if (lead == 0xF4) return {0x80, 0x8F, 4};  // nothing past U+10FFFF
  return {};
}

// How many bytes from pos belong to a (possibly cut-off) valid sequence, and whether it is complete.
struct Scan {
  size_t matched = 0;
  bool complete = false;
};

Scan scan(std::string_view s, size_t pos) {
  const auto lead = static_cast<uint8_t>(s[pos]);
  if (lead < 0x80) return {1, true};
  const SecondByteRange r = rangeAfter(lead);
  if (r.length == 0) return {0, false};
  size_t n = 1;
  while (n < r.length && pos + n < s.size()) {
    const auto b = static_cast<uint8_t>(s[pos + n]);
    const uint8_t lo = n == 1 ? r.lo : 0x80;
    const uint8_t hi = n == 1 ? r.hi : 0xBF;
    if (b < lo || b > hi) return {n, false};
    ++n;
  }
  return {n, n == r.length};
}

}  // namespace

size_t validSequenceLength(std::string_view s, size_t pos) {
  const Scan sc = scan(s, pos);
  return sc.complete ? sc.matched : 0;
}

size_t incompletePrefixLength(std::string_view s, size_t pos) {
  const Scan sc = scan(s, pos);
  // A prefix is "incomplete but valid" only when it stopped because the input ended.
  if (sc.complete || sc.matched == 0 || pos + sc.matched != s.size()) return 0;
  return sc.matched;
}

size_t incompleteTailLength(std::string_view s) {
  // A sequence is at most 4 bytes, so an unfinished one starts within the last 3 bytes.
  const size_t first = s.size() > 3 ? s.size() - 3 : 0;
  for (size_t pos = first; pos < s.size(); ++pos) {
    const auto b = static_cast<uint8_t>(s[pos]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte: not a start
    const size_t n = incompletePrefixLength(s, pos);
    if (n > 0) return n;
  }
  return 0;
}

void appendRepaired(std::string& out, std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    const Scan sc = scan(s, pos);
    if (sc.complete) {
      out.append(s.substr(pos, sc.matched));
      pos += sc.matched;
    } else {
      out.append(kReplacementChar);
      pos += sc.matched == 0 ? 1 : sc.matched;  // the maximal invalid subpart
    }
  }
}

std::string repaired(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  appendRepaired(out, s);
  return out;
}

void appendCodePoint(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace folio::engine::utf8
