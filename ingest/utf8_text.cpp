#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

unsigned char byteAt(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

// Length of the maximal prefix of s[pos..] that could start a valid sequence (at least 1): the unit
// replaced by one U+FFFD.
size_t invalidRunLength(std::string_view s, size_t pos) {
  const unsigned char c = byteAt(s, pos);
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c == 0xE0) { need = 2; lo = 0xA0; }
  else if (c == 0xED) { need = 2; hi = 0x9F; }
  else if (c >= 0xE1 && c <= 0xEF) need = 2;
  else if (c == 0xF0) { need = 3; lo = 0x90; }
  else if (c == 0xF4) { need = 3; hi = 0x8F; }
  else if (c >= 0xF1 && c <= 0xF3) need = 3;
  else return 1;
  size_t n = 1;
  for (size_t k = 0; k < need && pos + n < s.size(); ++k) {
    const unsigned char b = byteAt(s, pos + n);
    if (b < (k == 0 ? lo : 0x80) || b > (k == 0 ? hi : 0xBF)) break;
    ++n;
  }
  return n;
}
}  // namespace

size_t utf8SequenceLength(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  const unsigned char c = byteAt(s, pos);
  if (c < 0x80) return 1;
  const size_t n = invalidRunLength(s, pos);
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  return n == need ? n : 0;
}

void appendValidUtf8(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Copy the longest ASCII/valid run at once.
    size_t j = i;
    while (j < s.size()) {
      const size_t n = utf8SequenceLength(s, j);
      if (n == 0) break;
      j += n;
    }
    out.append(s.substr(i, j - i));
    if (j >= s.size()) break;
    out.append(kReplacement);
    i = j + invalidRunLength(s, j);
  }
}

std::string normalizeText(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::string unix_lines;
  unix_lines.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r') {
      unix_lines.push_back('\n');
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else {
      unix_lines.push_back(bytes[i]);
    }
  }
  std::string out;
  out.reserve(unix_lines.size());
  appendValidUtf8(out, unix_lines);
  return out;
}

bool looksLikeText(std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return false;
  size_t odd = 0;
  size_t i = 0;
  while (i < head.size()) {
    const unsigned char c = byteAt(head, i);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) {
      ++odd;
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t n = utf8SequenceLength(head, i);
    if (n == 0) {
      // A sequence cut by the end of the head is not evidence of binary content.
      if (head.size() - i < 4) break;
      ++odd;
      ++i;
    } else {
      i += n;
    }
  }
  return odd * 32 <= head.size();
}

size_t utf8Boundary(std::string_view s, size_t pos) {
  if (pos >= s.size()) return s.size();
  size_t p = pos;
  // Step back over at most 3 continuation bytes.
  for (int k = 0; k < 3 && p > 0 && (byteAt(s, p) & 0xC0) == 0x80; ++k) --p;
  if ((byteAt(s, p) & 0xC0) == 0x80) return pos;  // not inside a valid sequence: any cut is as good
  const size_t n = utf8SequenceLength(s, p);
  return (n > 0 && p + n > pos) ? p : pos;
}

}  // namespace folio::ingest
