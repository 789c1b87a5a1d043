#include "ingest/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "engine/common/ascii_case.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

std::string validUtf8(std::string_view s) {
  std::string out;
  appendValidUtf8(out, s);
  return out;
}

// Converts through iconv; nullopt-like empty `ok` when the charset is unknown or the bytes do not
// convert.
bool convert(std::string_view bytes, const std::string& charset, std::string& out) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  std::string in(bytes);
  char* src = in.data();
  size_t src_left = in.size();
  char buf[4096];
  bool ok = true;
  while (src_left > 0) {
    char* dst = buf;
    size_t dst_left = sizeof buf;
    const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buf, sizeof buf - dst_left);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      if (errno == EILSEQ || errno == EINVAL) {  // a byte the charset has no character for
        out += "\xEF\xBF\xBD";
        ++src;
        --src_left;
        continue;
      }
      ok = false;
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

}  // namespace

std::string toUtf8(std::string_view bytes, std::string_view charset) {
  std::string cs = lowerAscii(charset);
  if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii") return validUtf8(bytes);
  std::string out;
  if (cs.size() <= 40 && convert(bytes, cs, out)) return validUtf8(out);
  if (convert(bytes, "WINDOWS-1252", out)) return validUtf8(out);
  return validUtf8(bytes);
}

std::string windowsCodePage(int cp) {
  switch (cp) {
    case 65001: return "UTF-8";
    case 20127: return "US-ASCII";
    case 1200: return "UTF-16LE";
    case 1201: return "UTF-16BE";
    case 936: return "GBK";
    case 950: return "BIG5";
    case 20866: return "KOI8-R";
    case 21866: return "KOI8-U";
    case 50220: case 50221: case 50222: return "ISO-2022-JP";
    case 51932: return "EUC-JP";
    case 51949: return "EUC-KR";
    case 54936: return "GB18030";
    case 10000: return "MACINTOSH";
    default: break;
  }
  if (cp >= 28591 && cp <= 28606) return "ISO-8859-" + std::to_string(cp - 28590);
  return "CP" + std::to_string(cp);
}

void appendCodePoint(std::string& out, uint32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string utf16leToUtf8(std::string_view bytes, bool stop_at_nul) {
  std::string out;
  out.reserve(bytes.size() / 2);
  const auto unit = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
  };
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    const uint32_t u = unit(i);
    if (u == 0 && stop_at_nul) return out;
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        appendCodePoint(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    appendCodePoint(out, u);  // a lone surrogate becomes U+FFFD
  }
  if (i < bytes.size()) appendCodePoint(out, 0xFFFD);
  return out;
}

}  // namespace folio::ingest
