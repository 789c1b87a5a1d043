#include "app/pipeline/extractive_sentences.h"

#include <cctype>
#include <optional>

namespace folio::app {
namespace {

constexpr size_t npos = std::string_view::npos;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }
bool isUpper(char c) { return std::isupper(static_cast<unsigned char>(c)); }
bool isLower(char c) { return std::islower(static_cast<unsigned char>(c)); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool isDigitDotDigit(std::string_view t, size_t i) {
  return i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) &&
         std::isdigit(static_cast<unsigned char>(t[i + 1]));
}

std::string collapseSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (isSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Ends with . ! ? : or ; (before closing quotes and brackets): the next line starts a new sentence.
bool endsSentence(std::string_view t) {
  t = trim(t);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'' || t.back() == ')' || t.back() == ']')) t.remove_suffix(1);
  if (t.size() >= 3 && (t.substr(t.size() - 3) == "\xE2\x80\x9D" || t.substr(t.size() - 3) == "\xE2\x80\x99")) t.remove_suffix(3);
  return !t.empty() && (t.back() == '.' || t.back() == '!' || t.back() == '?' || t.back() == ':' || t.back() == ';');
}

// Space-separated words holding a letter or digit ("ARTICLE 6." is two, "- 12 -" one).
int wordCount(std::string_view s) {
  int words = 0;
  bool counted = false;  // the current word is counted
  for (char c : s) {
    if (isSpace(c)) {
      counted = false;
    } else if (!counted && isAlnum(c)) {
      ++words;
      counted = true;
    }
  }
  return words;
}

// ---- Inline markup -------------------------------------------------------------------------------

size_t runLength(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && s[j] == s[i]) ++j;
  return j - i;
}

// Text with a flag per byte: code and escaped characters are literal, never emphasis markers.
struct Marked {
  std::string text;
  std::vector<bool> literal;
  void add(std::string_view s, bool lit) {
    text += s;
    literal.insert(literal.end(), s.size(), lit);
  }
};

// "`code`" / "``a ` b``" opening with `n` backticks at i: one past its closing run, or npos.
size_t codeSpanEnd(std::string_view s, size_t i, size_t n) {
  for (size_t j = s.find('`', i + n); j != npos; j = s.find('`', j)) {
    const size_t m = runLength(s, j);
    if (m == n) return j + n;
    j += m;
  }
  return npos;
}

struct LinkSpan {
  size_t text_begin = 0, text_end = 0, end = 0;
};

// "[text](dest)" or "[text][ref]" with '[' at `open`. "[1][2]" is a pair of citations, not a link.
std::optional<LinkSpan> linkAt(std::string_view s, size_t open) {
  int depth = 0;
  size_t close = npos;
  for (size_t i = open; i < s.size() && close == npos; ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '[') ++depth;
    else if (s[i] == ']' && --depth == 0) close = i;
  }
  if (close == npos || close + 1 >= s.size() || (s[close + 1] != '(' && s[close + 1] != '[')) return std::nullopt;
  const size_t end = s.find(s[close + 1] == '(' ? ')' : ']', close + 2);
  if (end == npos) return std::nullopt;
  const std::string_view text = s.substr(open + 1, close - open - 1);
  const bool has_letter = text.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != npos;
  if (s[close + 1] == '[' && !has_letter) return std::nullopt;
  return LinkSpan{open + 1, close, end + 1};
}

// "<https://...>": the address, or nothing.
std::optional<std::string_view> autolinkAt(std::string_view s, size_t open) {
  const size_t close = s.find('>', open);
  if (close == npos) return std::nullopt;
  const std::string_view inner = s.substr(open + 1, close - open - 1);
  const bool scheme = inner.rfind("http://", 0) == 0 || inner.rfind("https://", 0) == 0 || inner.rfind("mailto:", 0) == 0;
  if (!scheme || inner.find(' ') != npos) return std::nullopt;
  return inner;
}

// Code spans, escapes, links, images and autolinks of `s` appended to `out`; link text is read the same way.
void appendInline(std::string_view s, Marked& out) {
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      out.add(s.substr(i + 1, 1), true);
      i += 2;
    } else if (c == '`') {
      const size_t n = runLength(s, i), end = codeSpanEnd(s, i, n);
      out.add(end == npos ? s.substr(i, n) : trim(s.substr(i + n, end - 2 * n - i)), true);
      i = end == npos ? i + n : end;
    } else if (auto link = (c == '[' || (c == '!' && i + 1 < s.size() && s[i + 1] == '['))
                               ? linkAt(s, c == '!' ? i + 1 : i)
                               : std::nullopt) {
      appendInline(s.substr(link->text_begin, link->text_end - link->text_begin), out);
      i = link->end;
    } else if (auto address = c == '<' ? autolinkAt(s, i) : std::nullopt) {
      out.add(*address, true);
      i += address->size() + 2;
    } else {
      out.add(s.substr(i, 1), false);
      ++i;
    }
  }
}

bool emphasisMarker(const Marked& m, size_t i) {
  const char c = m.text[i];
  return !m.literal[i] && (c == '*' || c == '_' || c == '~');
}

// A run that can open emphasis: not after a letter or digit (so "a*b", "max_tokens" stay), before a non-space.
bool opens(std::string_view s, size_t i, size_t n) {
  return i + n < s.size() && !isSpace(s[i + n]) && (i == 0 || !isAlnum(s[i - 1]));
}

bool closes(std::string_view s, size_t j, size_t n) {
  return j > 0 && !isSpace(s[j - 1]) && (j + n == s.size() || !isAlnum(s[j + n]));
}

// The nearest run that closes the run of `n` × s[open] at `open`, within its sentence: "*args here?
// Price* excludes tax." holds no emphasis.
size_t closerOf(const Marked& m, size_t open, size_t n, const std::vector<bool>& drop) {
  const std::string& s = m.text;
  for (size_t j = open + n; j < s.size();) {
    if ((s[j] == '.' || s[j] == '!' || s[j] == '?') && j + 1 < s.size() && s[j + 1] == ' ') return npos;
    const size_t len = runLength(s, j);
    if (s[j] == s[open] && len == n && emphasisMarker(m, j) && !drop[j] && closes(s, j, n)) return j;
    j += len;
  }
  return npos;
}

// `m` without the marker runs of paired emphasis (1–3 of * or _, 2 of ~); unpaired ones stay.
std::string dropEmphasis(const Marked& m) {
  const std::string& s = m.text;
  std::vector<bool> drop(s.size(), false);
  for (size_t i = 0; i < s.size();) {
    const size_t n = runLength(s, i);
    const bool length_ok = s[i] == '~' ? n == 2 : n <= 3;
    if (emphasisMarker(m, i) && !drop[i] && length_ok && opens(s, i, n)) {
      if (const size_t j = closerOf(m, i, n, drop); j != npos)
        for (size_t k = 0; k < n; ++k) drop[i + k] = drop[j + k] = true;
    }
    i += n;
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i)
    if (!drop[i]) out += s[i];
  return out;
}

// Without a leading "> " quote marker, "- " / "* " / "+ " bullet and "[ ]" / "[x]" task box.
std::string_view dropLineMarkers(std::string_view line) {
  line = trim(line);
  while (line.size() >= 2 && line[0] == '>' && line[1] == ' ') line = trim(line.substr(1));
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
    line = trim(line.substr(1));
    if (line.size() >= 3 && line[0] == '[' && line[2] == ']' && (line[1] == ' ' || line[1] == 'x' || line[1] == 'X'))
      line = trim(line.substr(3));
  }
  return line;
}

bool startsListItem(std::string_view line) {
  line = trim(line);
  return line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ';
}

// ---- Lines ---------------------------------------------------------------------------------------

enum class LineKind { Blank, Prose, Heading, Table, Code, Drop };

struct Line {
  std::string_view text;  // trimmed
  LineKind kind = LineKind::Prose;
};

bool isFence(std::string_view t) { return t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0; }

// "---", "***", "___", "===" (spaces allowed between): a rule or a setext underline.
bool isRule(std::string_view t) {
  if (t.empty() || std::string_view("-*_=").find(t[0]) == npos) return false;
  size_t marks = 0;
  for (char c : t) {
    if (c == t[0]) ++marks;
    else if (c != ' ') return false;
  }
  return marks >= 3;
}

// The text of an ATX heading ("## Title ##" -> "Title"), or nothing.
std::optional<std::string_view> atxText(std::string_view t) {
  const size_t n = runLength(t, 0);
  if (t.empty() || t[0] != '#' || n > 6 || (n < t.size() && t[n] != ' ')) return std::nullopt;
  t = trim(t.substr(n));
  while (!t.empty() && t.back() == '#') t.remove_suffix(1);
  return trim(t);
}

// "|---|:--:|" / "--- | ---": the line under a table's header.
bool isTableSeparator(std::string_view t) {
  return t.find('-') != npos && t.find('|') != npos && t.find_first_not_of("|-: ") == npos;
}

// A short line shaped like a title: ALL CAPS, or mostly capitalised words and no sentence end
// ("ARTICLE 6. CONFIDENTIALITY", "6.1 Confidential Information", "Section 4 - Fees and Payment").
bool titleShaped(std::string_view t) {
  if (t.size() > 100) return false;
  int words = 0, letters = 0, upper = 0, long_words = 0, capitalised = 0;
  char first_letter = 0;
  for (size_t i = 0; i < t.size();) {
    while (i < t.size() && isSpace(t[i])) ++i;
    if (i == t.size()) break;
    ++words;
    int word_letters = 0;
    char initial = 0;
    for (; i < t.size() && !isSpace(t[i]); ++i) {
      if (!std::isalpha(static_cast<unsigned char>(t[i]))) continue;
      if (!initial) initial = t[i];
      ++word_letters;
      upper += isUpper(t[i]);
    }
    if (!first_letter) first_letter = initial;
    letters += word_letters;
    if (word_letters >= 4) {
      ++long_words;
      capitalised += isUpper(initial);
    }
  }
  if (words > 12 || letters < 3) return false;
  if (upper == letters) return true;
  return !endsSentence(t) && t.back() != ',' && isUpper(first_letter) && long_words > 0 && 3 * capitalised >= 2 * long_words;
}

// The last non-blank line before `i` ends a sentence, or is no prose (a paragraph starts at `i`).
bool opensParagraph(const std::vector<Line>& lines, size_t i) {
  while (i > 0 && lines[i - 1].kind == LineKind::Blank) --i;
  return i == 0 || lines[i - 1].kind != LineKind::Prose || endsSentence(lines[i - 1].text);
}

// A prose line is a heading when it is title-shaped, opens a paragraph and the next line does not
// continue it in lower case.
bool proseHeading(const std::vector<Line>& lines, size_t i) {
  const bool next_continues = i + 1 < lines.size() && lines[i + 1].kind == LineKind::Prose && isLower(lines[i + 1].text[0]);
  return !next_continues && titleShaped(lines[i].text) && opensParagraph(lines, i);
}

// Marks the structure Markdown writes explicitly: fences and code, blank lines, rules and setext
// underlines, "#" headings, table rows.
LineKind structuralKind(std::string_view t, bool& in_fence) {
  if (isFence(t)) {
    in_fence = !in_fence;
    return LineKind::Drop;
  }
  if (t.empty()) return LineKind::Blank;
  if (in_fence) return LineKind::Code;
  if (isRule(t) || isTableSeparator(t)) return LineKind::Drop;
  if (atxText(t)) return LineKind::Heading;
  if (t[0] == '|') return LineKind::Table;
  return LineKind::Prose;
}

std::vector<Line> classifyLines(std::string_view text) {
  std::vector<Line> lines;
  bool in_fence = false;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == npos) end = text.size();
    const std::string_view t = trim(text.substr(start, end - start));
    const LineKind kind = structuralKind(t, in_fence);
    // "Title" over "=====" or "-----" is a heading.
    const bool underline = kind == LineKind::Drop && !in_fence && (t[0] == '=' || t[0] == '-') && isRule(t);
    if (underline && !lines.empty() && lines.back().kind == LineKind::Prose && opensParagraph(lines, lines.size() - 1))
      lines.back().kind = LineKind::Heading;
    lines.push_back({t, kind});
    start = end + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].kind == LineKind::Prose && proseHeading(lines, i)) lines[i].kind = LineKind::Heading;
  return lines;
}

// The text of a heading, table row or code line, as one weak unit.
std::string unitText(const Line& line) {
  if (line.kind == LineKind::Code) return collapseSpace(line.text);
  if (line.kind == LineKind::Heading) return collapseSpace(stripMarkdown(atxText(line.text).value_or(line.text)));
  std::string cells;  // a table row: its cells, comma-separated
  for (size_t begin = 0; begin <= line.text.size();) {
    size_t bar = line.text.find('|', begin);
    if (bar == npos) bar = line.text.size();
    const std::string cell = stripMarkdown(line.text.substr(begin, bar - begin));
    if (!cell.empty()) cells.append(cells.empty() ? "" : ", ").append(cell);
    begin = bar + 1;
  }
  return collapseSpace(cells);
}

// A blank line inside a sentence (a PDF page ends with one): the paragraph so far ends no sentence
// and the next non-blank line is prose that goes on in lower case ("under clause 27.5" / "is 27005").
bool blankInsideSentence(const std::vector<Line>& lines, size_t i, const std::string& paragraph) {
  while (i < lines.size() && lines[i].kind == LineKind::Blank) ++i;
  return !paragraph.empty() && !endsSentence(paragraph) && i < lines.size() && lines[i].kind == LineKind::Prose &&
         isLower(lines[i].text[0]);
}

}  // namespace

std::vector<std::string> splitSentences(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  auto flush = [&](size_t end) {
    auto s = collapseSpace(text.substr(start, end - start));
    if (!s.empty()) out.push_back(std::move(s));
    start = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      flush(i);
      continue;
    }
    if ((c == '.' || c == '!' || c == '?') && !isDigitDotDigit(text, i)) {
      const bool end_of_text = i + 1 == text.size();
      if (end_of_text || text[i + 1] == ' ' || text[i + 1] == '\n') flush(i + 1);
    }
  }
  flush(text.size());
  return out;
}

std::string stripMarkdown(std::string_view line) {
  Marked m;
  appendInline(dropLineMarkers(line), m);
  return dropEmphasis(m);
}

std::vector<Sentence> summarySentences(std::string_view text) {
  const std::vector<Line> lines = classifyLines(text);
  std::vector<Sentence> out;
  std::string paragraph;
  auto flush = [&] {
    for (auto& s : splitSentences(paragraph)) {
      const bool tail = out.empty() && isLower(s[0]);
      const bool fragment = tail || wordCount(s) < kMinSentenceWords;
      out.push_back({std::move(s), fragment ? SentenceTier::Weak : SentenceTier::Prose});
    }
    paragraph.clear();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.kind == LineKind::Prose) {
      if (startsListItem(line.text)) flush();  // each list item is a sentence of its own
      if (!paragraph.empty()) paragraph += '\n';
      paragraph += stripMarkdown(line.text);
    } else if (line.kind != LineKind::Blank || !blankInsideSentence(lines, i, paragraph)) {
      flush();
      if (line.kind == LineKind::Heading || line.kind == LineKind::Table || line.kind == LineKind::Code)
        if (auto unit = unitText(line); !unit.empty())
          out.push_back({std::move(unit), line.kind == LineKind::Code ? SentenceTier::Code : SentenceTier::Weak});
    }
  }
  flush();
  return out;
}

}  // namespace folio::app
