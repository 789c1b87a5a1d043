#include "ingest/html_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "engine/common/ascii_case.h"
#include "engine/tokenizer/utf8.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {
namespace {

struct NamedEntity {
  std::string_view name;
  uint32_t cp;
};
constexpr std::array kEntities{
    NamedEntity{"amp", '&'},      NamedEntity{"lt", '<'},       NamedEntity{"gt", '>'},
    NamedEntity{"quot", '"'},     NamedEntity{"apos", '\''},    NamedEntity{"nbsp", 0xA0},
    NamedEntity{"copy", 0xA9},    NamedEntity{"reg", 0xAE},     NamedEntity{"trade", 0x2122},
    NamedEntity{"mdash", 0x2014}, NamedEntity{"ndash", 0x2013}, NamedEntity{"hellip", 0x2026},
    NamedEntity{"lsquo", 0x2018}, NamedEntity{"rsquo", 0x2019}, NamedEntity{"ldquo", 0x201C},
    NamedEntity{"rdquo", 0x201D}, NamedEntity{"bull", 0x2022},  NamedEntity{"middot", 0xB7},
    NamedEntity{"sect", 0xA7},    NamedEntity{"para", 0xB6},    NamedEntity{"deg", 0xB0},
    NamedEntity{"plusmn", 0xB1},  NamedEntity{"times", 0xD7},   NamedEntity{"divide", 0xF7},
    NamedEntity{"laquo", 0xAB},   NamedEntity{"raquo", 0xBB},   NamedEntity{"euro", 0x20AC},
    NamedEntity{"pound", 0xA3},   NamedEntity{"yen", 0xA5},     NamedEntity{"cent", 0xA2},
    NamedEntity{"shy", 0xAD},     NamedEntity{"eacute", 0xE9},  NamedEntity{"uuml", 0xFC},
    NamedEntity{"ouml", 0xF6},    NamedEntity{"auml", 0xE4},    NamedEntity{"szlig", 0xDF},
};

constexpr std::array<std::string_view, 30> kBlockTags{
    "p",      "div",     "br",     "li",    "ul",     "ol",     "tr",      "table",   "section", "article",
    "header", "footer",  "nav",    "aside", "main",   "pre",    "blockquote", "hr",   "dd",      "dt",
    "dl",     "figure",  "figcaption", "form", "h1",  "h2",     "h3",      "h4",      "h5",      "h6"};

// Character references to invalid code points (NUL, surrogates, past U+10FFFF) decode to U+FFFD.
void appendCodePoint(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  engine::utf8::appendCodePoint(out, cp);
}

// Decodes a character reference at html[i] == '&'; appends it and returns the bytes consumed, or 0
// when it is not a reference (the '&' is then literal).
size_t decodeEntity(std::string_view html, size_t i, std::string& out) {
  size_t j = i + 1;
  if (j < html.size() && html[j] == '#') {
    ++j;
    const bool hex = j < html.size() && (html[j] == 'x' || html[j] == 'X');
    if (hex) ++j;
    uint32_t cp = 0;
    size_t digits = 0;
    while (j < html.size() && digits < 8 &&
           (hex ? std::isxdigit(static_cast<unsigned char>(html[j])) : std::isdigit(static_cast<unsigned char>(html[j])))) {
      const char c = html[j];
      cp = cp * (hex ? 16 : 10) +
           static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
      ++j;
      ++digits;
    }
    if (digits == 0) return 0;
    if (j < html.size() && html[j] == ';') ++j;
    appendCodePoint(out, cp);
    return j - i;
  }
  size_t e = j;
  while (e < html.size() && e - j < 10 && std::isalnum(static_cast<unsigned char>(html[e]))) ++e;
  if (e == j) return 0;
  const std::string_view name = html.substr(j, e - j);
  for (const auto& ent : kEntities) {
    if (ent.name == name) {
      appendCodePoint(out, ent.cp);
      return e - i + ((e < html.size() && html[e] == ';') ? 1 : 0);
    }
  }
  return 0;
}

// Text with character references decoded and whitespace collapsed (for RCDATA such as <title>).
std::string plainText(std::string_view s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = !out.empty();
      ++i;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    const size_t n = c == '&' ? decodeEntity(s, i, out) : 0;
    if (n == 0) {
      out.push_back(c);
      ++i;
    } else {
      i += n;
    }
  }
  return out;
}

class Converter {
 public:
  explicit Converter(std::string_view html) : html_(html) {}

  HtmlText run() {
    size_t i = 0;
    while (i < html_.size()) {
      const char c = html_[i];
      if (c == '<') {
        i = tag(i);
      } else if (c == '&') {
        std::string decoded;
        const size_t n = decodeEntity(html_, i, decoded);
        if (n == 0) {
          text("&");
          ++i;
        } else {
          text(decoded);
          i += n;
        }
      } else {
        size_t j = i;
        while (j < html_.size() && html_[j] != '<' && html_[j] != '&') ++j;
        text(html_.substr(i, j - i));
        i = j;
      }
    }
    return finish();
  }

 private:
  // Handles the markup starting at html_[i] == '<'; returns the index after it.
  size_t tag(size_t i) {
    if (html_.compare(i, 4, "<!--") == 0) {
      const size_t end = html_.find("-->", i + 4);
      return end == std::string_view::npos ? html_.size() : end + 3;
    }
    if (i + 1 < html_.size() && (html_[i + 1] == '!' || html_[i + 1] == '?')) {
      const size_t end = html_.find('>', i);
      return end == std::string_view::npos ? html_.size() : end + 1;
    }
    size_t j = i + 1;
    const bool closing = j < html_.size() && html_[j] == '/';
    if (closing) ++j;
    const size_t name_begin = j;
    while (j < html_.size() && (std::isalnum(static_cast<unsigned char>(html_[j])) || html_[j] == '-')) ++j;
    if (j == name_begin) {  // "<" not followed by a tag name is text
      text("<");
      return i + 1;
    }
    const std::string name = lowerAscii(html_.substr(name_begin, j - name_begin));
    // Skip attributes, honouring quotes.
    char quote = 0;
    while (j < html_.size()) {
      const char c = html_[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
      ++j;
    }
    const size_t after = j < html_.size() ? j + 1 : html_.size();
    if (!closing && (name == "script" || name == "style" || name == "template" || name == "title")) {
      const std::string close = "</" + name;
      size_t k = after;
      while (k < html_.size()) {
        k = html_.find("</", k);
        if (k == std::string_view::npos) break;
        if (lowerAscii(html_.substr(k, close.size())) == close) break;
        k += 2;
      }
      const size_t content_end = k == std::string_view::npos ? html_.size() : k;
      if (name == "title" && title_.empty()) {
        title_ = plainText(html_.substr(after, content_end - after));
      }
      if (content_end >= html_.size()) return html_.size();
      const size_t gt = html_.find('>', content_end);
      return gt == std::string_view::npos ? html_.size() : gt + 1;
    }
    if (name == "head") in_head_ = !closing;
    if (name == "pre") pre_ = !closing;
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      paragraphBreak();
      if (!closing) {
        out_.append(static_cast<size_t>(name[1] - '0'), '#');
        out_.push_back(' ');
        at_line_start_ = true;  // drop leading spaces of the heading text
      }
      return after;
    }
    if (std::find(kBlockTags.begin(), kBlockTags.end(), name) != kBlockTags.end() || name == "td" || name == "th") {
      if (name == "p" || name == "pre" || name == "table" || name == "blockquote" || name == "section" ||
          name == "article" || name == "ul" || name == "ol") {
        paragraphBreak();
      } else if (name == "td" || name == "th") {
        if (!at_line_start_) out_.push_back('\t');
        at_line_start_ = true;
      } else {
        lineBreak();
      }
    }
    return after;
  }

  void text(std::string_view s) {
    if (in_head_) return;
    if (pre_) {
      out_.append(s);
      at_line_start_ = !out_.empty() && out_.back() == '\n';
      pending_space_ = false;
      return;
    }
    for (char c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !at_line_start_) out_.push_back(' ');
      pending_space_ = false;
      at_line_start_ = false;
      out_.push_back(c);
    }
  }

  void lineBreak() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
    at_line_start_ = true;
    pending_space_ = false;
  }

  void paragraphBreak() {
    lineBreak();
    if (out_.size() >= 2 && out_[out_.size() - 2] != '\n') out_.push_back('\n');
    at_line_start_ = true;
  }

  HtmlText finish() {
    lineBreak();
    // Drop leading blank lines; a heading marker with no text ("# \n") is dropped too.
    std::string cleaned;
    size_t pos = 0;
    int blank_run = 0;
    while (pos < out_.size()) {
      size_t nl = out_.find('\n', pos);
      if (nl == std::string::npos) nl = out_.size();
      std::string_view line(out_.data() + pos, nl - pos);
      pos = nl + 1;
      const bool empty_heading = !line.empty() && line.find_first_not_of('#') == line.size() - 1 && line.back() == ' ';
      if (line.empty() || empty_heading) {
        if (!cleaned.empty() && blank_run == 0) cleaned.push_back('\n');
        ++blank_run;
        continue;
      }
      blank_run = 0;
      cleaned.append(line);
      cleaned.push_back('\n');
    }
    while (cleaned.size() >= 2 && cleaned[cleaned.size() - 1] == '\n' && cleaned[cleaned.size() - 2] == '\n') cleaned.pop_back();
    HtmlText result;
    appendValidUtf8(result.text, cleaned);
    appendValidUtf8(result.title, title_);
    return result;
  }

  std::string_view html_;
  std::string out_;
  std::string title_;
  bool in_head_ = false;
  bool pre_ = false;
  bool at_line_start_ = true;
  bool pending_space_ = false;
};

}  // namespace

HtmlText htmlToText(std::string_view html) { return Converter(html).run(); }

}  // namespace folio::ingest
