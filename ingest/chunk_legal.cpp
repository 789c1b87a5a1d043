// Legal text: numbered clauses ("1.", "1.2", "1.2.3"), "Section 4" / "Article IV" / "Clause 7"
// headings, "# Title" lines (a Word file's unnumbered headings), the definitions section, and
// schedules/exhibits/annexes/appendices. Each deepest clause is
// a chunk with the heading path of its parents ({"10. Term and Termination", "10.2"}); page spans come
// from the offsets, so a clause that continues on the next page spans both pages. Numbering is checked
// for plausibility (a clause number must continue the current sequence) so that wrapped lines starting
// with a number ("2016/679.", "30 days") and page numbers are not taken for headings; nor is any line
// that continues a sentence, across a page break too (a wrapped cross-reference: "under clause" /
// "12.5 is ..."), nor a repeat of the current clause number. Clauses over the
// target size are split at their "(a)", "(b)", "(iv)" items first, then at lines.
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "ingest/chunk_sections.h"
#include "ingest/chunk_util.h"
#include "ingest/chunker.h"
#include "ingest/legal_heading_match.h"

namespace folio::ingest {
namespace {

// The first heading number of a sequence is at most this: a larger one is a page number, a year, a
// reference ("Section 999 - Draft" in a page header), and taking it would refuse every real one after it.
constexpr int kMaxFirstNumber = 50;

// A line that ends inside a sentence: the next line continues it, so "Section 12. The Customer ..." there
// is a cross-reference wrapped to the start of a line, not a heading. Only a comma or a last word that
// calls for more counts: a title, a list item or a table row often lacks its full stop, and a heading after
// it must still be one.
bool endsMidSentence(std::string_view line) {
  if (line.empty()) return false;
  if (line.back() == ',') return true;
  size_t start = line.size();
  while (start > 0 && std::isalpha(static_cast<unsigned char>(line[start - 1]))) --start;
  if (start == line.size()) return false;
  std::string word(line.substr(start));
  // A lower-case reference noun ("under clause") waits for its number; a title would capitalise it.
  static constexpr std::string_view kReferences[] = {"clause", "section", "article", "paragraph"};
  for (std::string_view w : kReferences) {
    if (word == w) return true;
  }
  for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static constexpr std::string_view kCallsForMore[] = {
      "in",   "of",   "to",   "under", "with",  "by",      "and",  "or",  "per", "see", "pursuant", "the",
      "this", "that", "any",  "within", "from", "at",      "on",   "for", "than", "nor", "a",       "an",
      "each", "such", "into", "upon",  "between", "including", "subject", "herein", "hereunder", "thereunder"};
  for (std::string_view w : kCallsForMore) {
    if (word == w) return true;
  }
  return false;
}

bool startsWithUpper(std::string_view s) {
  return !s.empty() && (std::isupper(static_cast<unsigned char>(s[0])) || s[0] == '"' ||
                        static_cast<unsigned char>(s[0]) >= 0xC0 || s.substr(0, 3) == "\xE2\x80\x9C");
}

// Parses a leading clause number "12." / "4.2" / "4.2.1." at the start of `s`; returns its parts and
// the rest of the line.
bool parseNumber(std::string_view s, std::vector<int>& parts, bool& trailing_dot, std::string_view& rest) {
  parts.clear();
  size_t i = 0;
  while (true) {
    size_t j = i;
    int v = 0;
    while (j < s.size() && j - i < 3 && std::isdigit(static_cast<unsigned char>(s[j]))) v = v * 10 + (s[j++] - '0');
    if (j == i || (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))) return false;
    parts.push_back(v);
    i = j;
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      ++i;
      continue;
    }
    break;
  }
  trailing_dot = i < s.size() && s[i] == '.';
  if (trailing_dot) ++i;
  if (i >= s.size() || (s[i] != ' ' && s[i] != '\t')) return false;
  rest = trimSpaces(s.substr(i));
  return !rest.empty();
}

// A clause's run-in title: "Access and Use" of "1.1 Access and Use. During the Subscription Period ...",
// which a reader looks for in a citation. Up to 8 words before the first full stop (or ending the line), each capitalised
// or a joining word ("Modifications, Severability, and Waiver"); "The Supplier shall deliver." is a
// sentence, not a title.
std::string_view runInTitle(std::string_view rest) {
  // A definition names its term: "6.9 “HHS” means ..." -> "“HHS”".
  for (std::string_view open : {"\xE2\x80\x9C", "\""}) {
    if (!rest.starts_with(open)) continue;
    const size_t close = rest.find(open == "\"" ? "\"" : "\xE2\x80\x9D", open.size());
    if (close != std::string_view::npos && close <= 60) return rest.substr(0, close + (open == "\"" ? 1 : 3));
    return {};
  }
  // Up to its full stop, or the whole line where a heading stands alone ("SECTION 3.01. Notices").
  const size_t stop = std::min(rest.find('.'), rest.size());
  if (stop == 0 || stop > 70) return {};
  if (stop + 1 < rest.size() && rest[stop + 1] != ' ') return {};  // "U.S." or "3.5" inside a sentence
  const std::string_view title = rest.substr(0, stop);
  static constexpr std::string_view kJoining[] = {"and", "of", "the", "to", "for", "or", "in", "on", "by",
                                                  "with", "a", "an", "&", "from", "under", "as", "at"};
  size_t words = 0;
  for (size_t pos = 0; pos < title.size();) {
    size_t end = title.find(' ', pos);
    if (end == std::string_view::npos) end = title.size();
    std::string_view w = title.substr(pos, end - pos);
    pos = end + 1;
    if (w.empty()) continue;
    if (w.back() == ',') w.remove_suffix(1);
    if (++words > 8) return {};
    const bool joining = std::find(std::begin(kJoining), std::end(kJoining), w) != std::end(kJoining);
    if (!joining && !startsWithUpper(w)) return {};
  }
  return title;
}

// A table of contents' entry: a heading's number and title, then its page ("SECTION 2.01. Commitments
// 37", "ARTICLE II THE CREDITS .......... 6"). Taken for headings, a contents page used up the clause
// numbering, and the body's own "SECTION 1.01" was refused as going back.
bool contentsEntry(std::string_view line) {
  size_t end = line.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(line[end - 1]))) --end;
  if (end == line.size() || line.size() - end > 4 || end == 0) return false;
  if (line[end - 1] != ' ' && line[end - 1] != '\t' && line[end - 1] != '.') return false;
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '.')) --end;
  const std::string_view entry = line.substr(0, end);
  if (entry.empty() || !(std::isalpha(static_cast<unsigned char>(entry.back())) || entry.back() == ')')) return false;
  // The title: the words after the leading number or keyword and number, most of them capitalised.
  size_t words = 0, capitalised = 0, pos = 0;
  bool numbered = false;
  while (pos < entry.size()) {
    size_t next = entry.find_first_of(" \t", pos);
    if (next == std::string_view::npos) next = entry.size();
    const std::string_view w = entry.substr(pos, next - pos);
    pos = next + 1;
    if (w.empty()) continue;
    const bool number = std::isdigit(static_cast<unsigned char>(w[0])) ||
                        (!numbered && words == 0 && w.find_first_not_of("IVXLC.") == std::string_view::npos);
    const bool keyword = !numbered && words == 0 && (w == "ARTICLE" || w == "Article" || w == "SECTION" ||
                                                     w == "Section" || w == "Clause" || w == "CLAUSE");
    if (!numbered && (number || keyword)) {
      numbered = number;
      continue;
    }
    if (w.back() == '.') return false;  // a sentence's stop ("1.2 Late Payment. Interest accrues at 5")
    ++words;
    capitalised += std::isupper(static_cast<unsigned char>(w[0])) != 0 || w == "and" || w == "of" || w == "the";
  }
  return numbered && words > 0 && words <= 12 && capitalised * 2 > words;
}

class LegalDetector {
 public:
  explicit LegalDetector(const TextIndex& index) : index_(index) {}

  std::optional<Heading> operator()(size_t li, std::string_view raw) {
    const std::string_view line = trimSpaces(raw);
    const bool continues = continuesPrevious(li, line);
    if (line.empty()) return std::nullopt;
    if (std::exchange(article_untitled_, false)) {
      if (auto title = articleTitle(line)) return title;
    }
    if (contentsEntry(line)) return std::nullopt;
    // Text, HTML and Word exports hold a clause's whole paragraph on one line: a long line is no title,
    // but may still open with the clause's number.
    if (line.size() > 400) return continues ? std::nullopt : numbered(line);
    if (line[0] == '#') {
      if (auto h = marked(line)) return h;
    }
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(line[0])));
    if (c == 'S' || c == 'E' || c == 'A') {
      if (auto h = schedule(line)) return h;
    }
    if (continues) return std::nullopt;
    if (c == 'A' || c == 'S' || c == 'C') {
      if (auto h = articleOrSection(line)) return h;
    }
    return numbered(line);
  }

 private:
  // Whether `line` continues a sentence of the last non-blank line. A blank line between them is a
  // paragraph break, unless a page starts in between: PDF pages end with a blank line, and "under
  // clause" at the foot of page 12 goes on as "12.5 is ..." at the top of page 13. Lines come in order
  // (sectionUnits).
  bool continuesPrevious(size_t li, std::string_view line) {
    const int page = index_.pageOf(index_.lineBegin(li));
    if (line.empty()) {
      blank_since_previous_ = true;
      return false;
    }
    const bool continues = endsMidSentence(previous_) && (!blank_since_previous_ || page != previous_page_);
    previous_ = line;
    previous_page_ = page;
    blank_since_previous_ = false;
    return continues;
  }

  // A heading marked as Markdown ("## Recitals"): a Word or OpenDocument file's heading without a
  // number (text_blocks.h). It opens a section, and clause numbering may start again under it.
  std::optional<Heading> marked(std::string_view line) {
    size_t k = 0;
    while (k < line.size() && line[k] == '#') ++k;
    if (k > 6 || k >= line.size() || line[k] != ' ') return std::nullopt;
    const std::string_view title = trimSpaces(line.substr(k));
    if (title.empty() || title.size() > 120) return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(title[0]))) return numbered(title);  // "# 5. Termination"
    in_schedule_ = isScheduleHeading(title);
    top_defs_ = !in_schedule_ && isDefinitionsTitle(title);
    section_defs_ = top_defs_;
    top_ = 0;
    sub_.clear();
    const ChunkKind kind = in_schedule_ ? ChunkKind::Schedule : top_defs_ ? ChunkKind::Definitions : ChunkKind::Section;
    return Heading{0, oneLine(title, 80), kind, false, false};
  }

  std::optional<Heading> schedule(std::string_view line) {
    if (line.size() > 120 || !isScheduleHeading(line)) return std::nullopt;
    in_schedule_ = true;
    section_defs_ = false;
    top_ = 0;
    return Heading{0, oneLine(line, 80), ChunkKind::Schedule, false, false};
  }

  std::optional<Heading> articleOrSection(std::string_view line) {
    const auto number = articleOrSectionNumber(line);
    if (!number) return std::nullopt;
    const size_t at = static_cast<size_t>(number->data() - line.data());
    const size_t after = at + number->size();
    if (crossReference(line, after)) return std::nullopt;
    // "Section 2.01 Borrowings. Each Borrowing ...": a clause numbered within its article, as US
    // agreements number them, headed as written.
    if (after + 1 < line.size() && line[after] == '.' && std::isdigit(static_cast<unsigned char>(line[after + 1]))) {
      // "Section 2.05 shall not apply ..." opens a sentence about the section: a heading names it.
      size_t title = after;
      while (title < line.size() && (std::isdigit(static_cast<unsigned char>(line[title])) || line[title] == '.')) ++title;
      if (!startsWithUpper(trimSpaces(line.substr(title)))) return std::nullopt;
      auto clause = numbered(line.substr(at));
      if (clause) clause->entry.insert(0, line.substr(0, at));
      return clause;
    }
    if (line.size() > 120) return std::nullopt;
    const std::string num(*number);
    const int value = std::isdigit(static_cast<unsigned char>(num[0])) ? std::stoi(num) : romanValue(num);
    if (article_ == 0 ? value > kMaxFirstNumber : (value <= article_ || value > article_ + 3)) return std::nullopt;
    article_ = value;
    section_defs_ = false;
    top_ = 0;
    in_schedule_ = false;
    const bool defs = isDefinitionsTitle(line);
    top_defs_ = defs;
    // "ARTICLE II" alone: its title is on the next line ("THE LOANS").
    article_untitled_ = trimSpaces(line.substr(after)).find_first_not_of(".:-") == std::string_view::npos;
    return Heading{0, oneLine(line, 80), defs ? ChunkKind::Definitions : ChunkKind::Section, false, false};
  }

  // The title line under an untitled "ARTICLE II": short, no clause number, no sentence, in capitals or
  // capitalised words ("THE LOANS", "Representations and Warranties").
  std::optional<Heading> articleTitle(std::string_view line) {
    // No digit: "SECTION 2.01. Commitments" right under "ARTICLE II" is its first section, not its title.
    if (line.size() > 80 || line.find_first_of("0123456789") != std::string_view::npos || line.back() == '.' ||
        line.back() == ',' || line.back() == ';' || !std::isupper(static_cast<unsigned char>(line[0])))
      return std::nullopt;
    const WordCase c = wordCase(line);
    if (c.words > 10 || c.capitalised * 2 <= c.words) return std::nullopt;
    const bool defs = isDefinitionsTitle(line);
    top_defs_ = defs;
    section_defs_ = defs;
    return Heading{0, std::string(line), defs ? ChunkKind::Definitions : ChunkKind::Section, false, false, true};
  }

  // A reference wrapped to the start of a line: "Section 2.1 (Restrictions on Customer); or (c) uses the
  // Product ...". A heading names its article or section; a reference gives another's number with its
  // title in brackets, or runs on into a list of terms.
  static bool crossReference(std::string_view line, size_t after_number) {
    // A ';' in what would be its title; a clause's body after its title may hold any.
    if (line.substr(0, line.find(". ", after_number)).find(';') != std::string_view::npos) return true;
    size_t i = after_number;
    while (i + 1 < line.size() && line[i] == '.' && std::isdigit(static_cast<unsigned char>(line[i + 1]))) {
      ++i;
      while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    }
    while (i < line.size() && line[i] == ' ') ++i;
    return i < line.size() && line[i] == '(';
  }

  static int romanValue(std::string_view r) {
    int total = 0, prev = 0;
    for (auto it = r.rbegin(); it != r.rend(); ++it) {
      const int v = *it == 'I' ? 1 : *it == 'V' ? 5 : *it == 'X' ? 10 : *it == 'L' ? 50 : 100;
      total += v < prev ? -v : v;
      prev = std::max(prev, v);
    }
    return total;
  }

  std::optional<Heading> numbered(std::string_view line) {
    std::vector<int> parts;
    bool dot = false;
    std::string_view rest;
    if (!parseNumber(line, parts, dot, rest)) return std::nullopt;
    if (parts.size() == 1) {
      // "12. Title": needs the dot and a capitalised word, and must continue the sequence.
      if (!dot || !startsWithUpper(rest)) return std::nullopt;
      const int n = parts[0];
      if (top_ == 0 ? n > kMaxFirstNumber : (n <= top_ || n > top_ + 3)) return std::nullopt;
      top_ = n;
      sub_.clear();
      const bool short_title = rest.size() <= 80 && rest.back() != '.' && rest.back() != ',' && rest.back() != ';';
      // Under a marked "Definitions" section, its numbered clauses are definitions.
      top_defs_ = section_defs_ || (short_title && isDefinitionsTitle(rest));
      const ChunkKind kind = top_defs_ ? ChunkKind::Definitions : in_schedule_ ? ChunkKind::Schedule : ChunkKind::Clause;
      // "2. Support. During the Subscription Period, ..." names its clause "2. Support".
      const std::string_view title = short_title ? std::string_view() : runInTitle(rest);
      const std::string entry = title.empty() ? oneLine(line, 80) : std::to_string(n) + ". " + std::string(title);
      return Heading{1, entry, kind, false, !short_title};
    }
    // "4.2" / "4.2.1": the first number must be the current clause (or the next, if its heading was missed).
    // Under "Article 2" the clauses may be numbered 2.1, 2.2 without a "2." heading.
    const bool article_number = top_ == 0 && parts[0] == article_;
    if (parts[0] != top_ && parts[0] != top_ + 1 && !article_number) return std::nullopt;
    if (parts[0] != top_) {
      top_ = parts[0];
      sub_.clear();
    }
    if (parts.size() > 4) return std::nullopt;
    // Clause numbers only move forward: "27.5 is 27005 dollars." inside clause 27.5 is a wrapped
    // reference to it, not a second 27.5.
    if (!sub_.empty() && parts <= sub_) return std::nullopt;
    // As written: "2.03", not "2.3".
    std::string number(trimSpaces(line.substr(0, static_cast<size_t>(rest.data() - line.data()))));
    while (!number.empty() && number.back() == '.') number.pop_back();
    sub_ = parts;
    if (const std::string_view title = runInTitle(rest); !title.empty()) {
      number += ' ';
      number.append(title);
    }
    const ChunkKind kind = top_defs_ ? ChunkKind::Definitions : in_schedule_ ? ChunkKind::Schedule : ChunkKind::Clause;
    return Heading{static_cast<int>(parts.size()), number, kind, false, true};
  }

  int top_ = 0;
  int article_ = 0;
  bool top_defs_ = false;
  bool section_defs_ = false;  // the last marked section is the definitions
  bool in_schedule_ = false;
  bool article_untitled_ = false;  // the last line was an "ARTICLE II" heading without its title
  std::vector<int> sub_;
  const TextIndex& index_;
  std::string_view previous_;  // the last non-blank line, trimmed
  int previous_page_ = 0;
  bool blank_since_previous_ = false;
};

// "(a)", "(b)", "(iv)" items at the start of a line.
bool isItemLine(std::string_view line) {
  line = trimSpaces(line);
  if (line.size() < 4 || line[0] != '(') return false;
  const size_t close = line.find(')');
  if (close == std::string_view::npos || close < 2 || close > 5) return false;
  const std::string_view label = line.substr(1, close - 1);
  const bool letters = label.size() <= 2 && std::all_of(label.begin(), label.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  const bool roman = label.find_first_not_of("ivx") == std::string_view::npos;
  return (letters || roman) && close + 1 < line.size() && line[close + 1] == ' ';
}

}  // namespace

std::vector<Chunk> chunkLegal(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options) {
  const TextIndex index(doc);
  LegalDetector detector(index);
  const std::vector<Unit> units = sectionUnits(
      index, [&](size_t li, std::string_view line) { return detector(li, line); }, ChunkKind::Section, {"Preamble"});
  std::vector<Chunk> out;
  for (const Unit& unit : units) {
    Chunk whole;
    if (!makeChunk(index, unit.kind, unit.heading_path, unit.begin, unit.end, tokens, whole)) continue;
    if (whole.token_count <= options.target_tokens) {
      out.push_back(std::move(whole));
      continue;
    }
    // Split at (a)/(b) items; the text before the first item keeps the clause path.
    Unit part = unit;
    const size_t first = index.lineIndex(whole.byte_begin), last = index.lineIndex(whole.byte_end - 1);
    for (size_t li = first + 1; li <= last; ++li) {
      const std::string_view line = index.line(li);
      if (!isItemLine(line)) continue;
      part.end = index.lineBegin(li);
      emitUnit(index, part, tokens, options, out);
      const std::string_view t = trimSpaces(line);
      part = unit;
      part.heading_path.push_back(std::string(t.substr(0, t.find(')') + 1)));
      part.begin = index.lineBegin(li);
    }
    part.end = whole.byte_end;
    emitUnit(index, part, tokens, options, out);
  }
  return out;
}

}  // namespace folio::ingest
