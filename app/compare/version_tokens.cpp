#include "app/compare/version_tokens.h"

#include <algorithm>
#include <array>

namespace folio::app {
namespace {

bool isAsciiAlnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The code point of the UTF-8 sequence at `i` and its length (1 and the byte for anything malformed).
std::pair<uint32_t, size_t> decode(std::string_view s, size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return {c, 1};
  const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (n == 1 || i + n > s.size()) return {c, 1};
  uint32_t cp = c & (0x3F >> (n - 1));
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return {c, 1};
    cp = (cp << 6) | (d & 0x3F);
  }
  return {cp, n};
}

// Spaces, and marks that print nothing (soft hyphen, direction marks, word joiner): a PDF keeps them
// where a Word file has none.
bool isWideSpace(uint32_t cp) {
  return cp == 0xA0 || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x202F || cp == 0x2060 || cp == 0x3000 ||
         cp == 0xFEFF;
}
// Punctuation outside ASCII stands alone, as ASCII punctuation does: "“Services”" is a quote, a word, a
// quote, as "\"Services\"" is.
bool isWidePunctuation(uint32_t cp) {
  return (cp >= 0xA1 && cp <= 0xBF) || (cp >= 0x2010 && cp <= 0x205E) || cp == 0xD7 || cp == 0xF7;
}

// What a token compares as: typographic quotes, dashes and ligatures folded into their plain forms.
std::string_view foldedPunctuation(uint32_t cp) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: return "-";
    case 0x2026: return "...";
    default: return {};
  }
}

uint64_t fnv1a(uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}
constexpr uint64_t kFnvSeed = 0xcbf29ce484222325ull;

// A word's key, ligatures (U+FB00–FB04, which PDFs keep where Word files have the letters) unfolded.
uint64_t wordKey(std::string_view w) {
  static constexpr std::array<std::string_view, 5> kLigatures = {"ff", "fi", "fl", "ffi", "ffl"};
  uint64_t h = kFnvSeed;
  size_t i = 0;
  while (i < w.size()) {
    if (static_cast<unsigned char>(w[i]) == 0xEF && i + 2 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0xAC) {
      const unsigned char last = w[i + 2];
      if (last >= 0x80 && last <= 0x84) {
        h = fnv1a(h, kLigatures[last - 0x80]);
        i += 3;
        continue;
      }
    }
    h = fnv1a(h, w.substr(i, 1));
    ++i;
  }
  return h;
}

// Folio's inline marks: "[change 12]", "[comment 3]". Returns their length at `i`, else 0.
size_t folioMarkAt(std::string_view s, size_t i) {
  for (const std::string_view head : {std::string_view("[change "), std::string_view("[comment ")}) {
    if (s.compare(i, head.size(), head) != 0) continue;
    size_t j = i + head.size();
    const size_t digits = j;
    while (j < s.size() && isDigit(s[j])) ++j;
    if (j > digits && j < s.size() && s[j] == ']') return j + 1 - i;
  }
  return 0;
}

bool isFolioSection(std::string_view line) {
  return line == "# Tracked changes" || line == "# Comments" || line == "# Headers and footers";
}

bool isFolioAnnotationLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const std::string_view rest = line.substr(i);
  return rest.starts_with("[comment p.") || rest.starts_with("[reply p.") || rest.starts_with("[signature p.");
}

void tokenizeLine(std::string_view text, size_t line_begin, size_t line_end, uint32_t chunk,
                  std::vector<VersionToken>& out) {
  size_t i = line_begin;
  // A heading's '#' marks (Word, HTML and Markdown headings as Folio writes them) are layout.
  while (i < line_end && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i < line_end && text[i] == '#') {
    size_t j = i;
    while (j < line_end && text[j] == '#') ++j;
    if (j < line_end && text[j] == ' ') i = j;
  }
  while (i < line_end) {
    const unsigned char c = text[i];
    if (isSpace(c)) {
      ++i;
      continue;
    }
    if (c == '[') {
      if (const size_t n = folioMarkAt(text.substr(0, line_end), i)) {
        i += n;
        continue;
      }
    }
    if (isAsciiAlnum(c) || c >= 0x80) {
      const auto [cp, len] = decode(text, i);
      if (c >= 0x80 && isWideSpace(cp)) {
        i += len;
        continue;
      }
      if (c >= 0x80 && (isWidePunctuation(cp) || !foldedPunctuation(cp).empty())) {
        const std::string_view folded = foldedPunctuation(cp);
        out.push_back({fnv1a(kFnvSeed, folded.empty() ? text.substr(i, len) : folded), chunk,
                       static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
        i += len;
        continue;
      }
      size_t j = i;
      bool digits_only = true;
      while (j < line_end) {
        const unsigned char d = text[j];
        if (isAsciiAlnum(d)) {
          digits_only = digits_only && isDigit(d);
          ++j;
        } else if (d >= 0x80) {
          const auto [dcp, dlen] = decode(text, j);
          if (isWideSpace(dcp) || isWidePunctuation(dcp) || !foldedPunctuation(dcp).empty()) break;
          digits_only = false;
          j += dlen;
        } else if ((d == '.' || d == ',') && digits_only && j > i && j + 1 < line_end && isDigit(text[j + 1])) {
          ++j;  // "6.1", "1,500": one number
        } else {
          break;
        }
      }
      out.push_back({wordKey(text.substr(i, j - i)), chunk, static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
      i = j;
      continue;
    }
    out.push_back({fnv1a(kFnvSeed, text.substr(i, 1)), chunk, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
    ++i;
  }
}

bool isClauseNumber(std::string_view t) {
  if (t.empty() || t.size() > 12 || !isDigit(t.front())) return false;
  for (const char c : t) {
    if (!isDigit(c) && c != '.') return false;
  }
  return true;
}

// A clause number opening a line compares by its depth and the word after it, not by its value: "4.1
// Duration" and "3.1 Duration" are the same clause renumbered, so one deleted clause does not make
// every later heading a change (compareVersions lists the renumbering apart), and "3. Insurance" is
// not taken for the "3. Term" that replaced it.
void keyClauseNumber(VersionText& v, size_t first) {
  if (first >= v.tokens.size()) return;
  const VersionToken& t = v.tokens[first];
  const std::string_view number = std::string_view(v.chunks[t.chunk].text).substr(t.begin, t.end - t.begin);
  if (!isClauseNumber(number)) return;
  // A clause's number stands before its title or its text's first word, capitalised ("6.1 Duration",
  // "8.4 “Confidential", "12. General"); a PDF line that starts with a number ("60 days") is no clause.
  // The first word after it ("8.8 “Evaluation Purposes”": Evaluation), not a quote or bracket, which
  // many definitions share.
  size_t next = first + 1;
  while (next < v.tokens.size() && next < first + 4 && v.tokens[next].chunk == t.chunk) {
    const unsigned char c = v.chunks[t.chunk].text[v.tokens[next].begin];
    if (isAsciiAlnum(c) || (c >= 0x80 && !isWidePunctuation(decode(v.chunks[t.chunk].text, v.tokens[next].begin).first))) break;
    ++next;
  }
  if (next >= v.tokens.size() || v.tokens[next].chunk != t.chunk) return;
  const unsigned char initial = v.chunks[t.chunk].text[v.tokens[next].begin];
  if (!(initial >= 'A' && initial <= 'Z') && initial < 0x80) return;
  uint64_t key = fnv1a(kFnvSeed, "\x01clause-number");
  key = fnv1a(key, std::string(static_cast<size_t>(std::count(number.begin(), number.end(), '.')), '.'));
  key ^= next < v.tokens.size() ? v.tokens[next].key * 0x9E3779B97F4A7C15ull : 0;
  v.tokens[first].key = key;
  v.tokens[first].clause_start = true;
}

// A list item's letter or number opening a line, "(c) use the Services …", compares by the word after
// it as a clause number does: deleting item (b) relabels (c) as (b), which is no change of its text.
void keyListItem(VersionText& v, size_t first) {
  if (first + 3 >= v.tokens.size()) return;
  auto text = [&](size_t i) {
    const VersionToken& t = v.tokens[i];
    return std::string_view(v.chunks[t.chunk].text).substr(t.begin, t.end - t.begin);
  };
  const std::string_view label = text(first + 1);
  if (text(first) != "(" || text(first + 2) != ")" || label.empty() || label.size() > 4) return;
  const bool letters = std::all_of(label.begin(), label.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  const bool digits = std::all_of(label.begin(), label.end(), [](char c) { return isDigit(c); });
  if (!letters && !digits) return;
  if (v.tokens[first + 3].chunk != v.tokens[first].chunk) return;
  // An item follows the end of what introduces it (":", ";", "." or a closing "; and"/"; or"); a
  // cross-reference "(ii)" a PDF's line happens to start with follows a word mid-sentence.
  // (across a chunk boundary too: a PDF's chunker may have split at the cross-reference)
  if (first > 0) {
    const std::string_view before = text(first - 1);
    const bool closing_word = (before == "and" || before == "or") && first > 1 &&
                              text(first - 2) == ";";  // "…; or", not ", and" mid-sentence
    if (before != ":" && before != ";" && before != "." && !closing_word) return;
  }
  uint64_t key = fnv1a(kFnvSeed, letters ? "\x01list-letter" : "\x01list-number");
  key ^= v.tokens[first + 3].key * 0x9E3779B97F4A7C15ull;
  v.tokens[first + 1].key = key;
  v.tokens[first + 1].list_item = true;
}

}  // namespace

VersionText tokenizeVersion(std::vector<ingest::StoredChunk> chunks) {
  VersionText v;
  v.chunks = std::move(chunks);
  bool in_folio_section = false;
  for (uint32_t k = 0; k < v.chunks.size(); ++k) {
    const std::string_view text = v.chunks[k].text;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
      if (isFolioSection(line)) {
        in_folio_section = true;
      } else if (in_folio_section && line.starts_with("# ")) {
        in_folio_section = false;
      }
      if (!in_folio_section && !isFolioAnnotationLine(line)) {
        const size_t first = v.tokens.size();
        tokenizeLine(text, pos, end, k, v.tokens);
        keyClauseNumber(v, first);
        keyListItem(v, first);
      }
      if (end == text.size()) break;
      pos = end + 1;
    }
  }
  return v;
}

std::string_view tokenText(const VersionText& v, size_t i) {
  const VersionToken& t = v.tokens[i];
  return std::string_view(v.chunks[t.chunk].text).substr(t.begin, t.end - t.begin);
}

std::string tokenRangeText(const VersionText& v, size_t first, size_t last) {
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) {
      const VersionToken& prev = v.tokens[i - 1];
      const VersionToken& cur = v.tokens[i];
      if (prev.chunk != cur.chunk || prev.end != cur.begin) out += ' ';
    }
    out += tokenText(v, i);
  }
  return out;
}

bool isClauseNumberToken(const VersionText& v, size_t i) { return isClauseNumber(tokenText(v, i)); }

bool startsLine(const VersionText& v, size_t i) {
  const VersionToken& t = v.tokens[i];
  const std::string_view text = v.chunks[t.chunk].text;
  size_t p = t.begin;
  while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\t')) --p;
  if (p == 0 || text[p - 1] == '\n') return true;
  // after a heading's '#' marks
  size_t q = p;
  while (q > 0 && text[q - 1] == '#') --q;
  return q < p && (q == 0 || text[q - 1] == '\n');
}

}  // namespace folio::app
