#include "ingest/mail/mime_decode.h"

#include <algorithm>
#include <cctype>

#include "ingest/charset.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::mail {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string validUtf8(std::string_view s) {
  std::string out;
  appendValidUtf8(out, s);
  return out;
}

}  // namespace

std::string decodeBase64(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') break;
    else continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decodeQuotedPrintable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out.push_back(in[i]);
      continue;
    }
    // A soft line break: "=" then optional spaces and the line end.
    size_t j = i + 1;
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    if (j < in.size() && in[j] == '\n') {
      i = j;
      continue;
    }
    if (j == in.size()) break;
    if (i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
      i += 2;
      continue;
    }
    out.push_back('=');
  }
  return out;
}

std::string decodeHeaderValue(std::string_view value) {
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  while (pos < value.size()) {
    const size_t start = value.find("=?", pos);
    if (start == std::string_view::npos) break;
    // =?charset?enc?text?=
    const size_t q1 = value.find('?', start + 2);
    const size_t q2 = q1 == std::string_view::npos ? q1 : value.find('?', q1 + 1);
    const size_t end = q2 == std::string_view::npos ? q2 : value.find("?=", q2 + 1);
    if (end == std::string_view::npos || q2 != q1 + 2) {
      out += validUtf8(value.substr(pos, start + 2 - pos));
      pos = start + 2;
      last_was_word = false;
      continue;
    }
    const std::string_view between = value.substr(pos, start - pos);
    const bool blank = std::all_of(between.begin(), between.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    if (!(last_was_word && blank)) out += validUtf8(between);
    std::string_view charset = value.substr(start + 2, q1 - start - 2);
    if (const size_t star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);  // RFC 2231 language
    const char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(value[q1 + 1])));
    const std::string_view text = value.substr(q2 + 1, end - q2 - 1);
    std::string raw;
    if (enc == 'B') {
      raw = decodeBase64(text);
    } else if (enc == 'Q') {
      std::string t(text);
      std::replace(t.begin(), t.end(), '_', ' ');
      raw = decodeQuotedPrintable(t);
    } else {
      raw = std::string(value.substr(start, end + 2 - start));
      charset = "utf-8";
    }
    out += toUtf8(raw, charset);
    pos = end + 2;
    last_was_word = true;
  }
  out += validUtf8(value.substr(std::min(pos, value.size())));
  return out;
}

}  // namespace folio::ingest::mail
