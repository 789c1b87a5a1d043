#include "ingest/utf8_text.h"

#include "engine/tokenizer/utf8.h"

namespace folio::ingest {
namespace {
unsigned char byteAt(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }
}  // namespace

size_t utf8SequenceLength(std::string_view s, size_t pos) {
  return pos < s.size() ? engine::utf8::validSequenceLength(s, pos) : 0;
}

bool isValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void appendValidUtf8(std::string& out, std::string_view s) { engine::utf8::appendRepaired(out, s); }

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

std::string elideMiddle(std::string_view text, size_t keep) {
  if (text.size() <= keep) return std::string(text);
  const size_t head = utf8Boundary(text, keep / 2);
  size_t tail = text.size() - keep / 2;
  while (tail < text.size() && (static_cast<unsigned char>(text[tail]) & 0xC0) == 0x80) ++tail;
  return std::string(text.substr(0, head)) + " \xE2\x80\xA6 " + std::string(text.substr(tail));
}

}  // namespace folio::ingest
