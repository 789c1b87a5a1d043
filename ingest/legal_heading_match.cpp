#include "ingest/legal_heading_match.h"

#include <array>

namespace folio::ingest {
namespace {

constexpr std::string_view kEnDash = "\xE2\x80\x93";
constexpr std::string_view kEmDash = "\xE2\x80\x94";

bool isRegexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isRoman(char c) { return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C'; }
// A word character for \b: [A-Za-z0-9_].
bool isWordChar(char c) { return isDigit(c) || isUpper(c) || (c >= 'a' && c <= 'z') || c == '_'; }
char asciiLower(char c) { return isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

size_t skipSpaces(std::string_view s, size_t i) {
  while (i < s.size() && isRegexSpace(s[i])) ++i;
  return i;
}

template <class Pred>
size_t runLength(std::string_view s, size_t i, Pred pred) {
  size_t n = 0;
  while (i + n < s.size() && pred(s[i + n])) ++n;
  return n;
}

bool startsWithAt(std::string_view s, size_t i, std::string_view word) { return s.substr(i, word.size()) == word; }

bool equalsIgnoringCaseAt(std::string_view s, size_t i, std::string_view lower_word) {
  if (s.size() - i < lower_word.size()) return false;
  for (size_t k = 0; k < lower_word.size(); ++k) {
    if (asciiLower(s[i + k]) != lower_word[k]) return false;
  }
  return true;
}

bool wordBoundaryAt(std::string_view s, size_t i) {
  const bool before = i > 0 && isWordChar(s[i - 1]);
  const bool after = i < s.size() && isWordChar(s[i]);
  return before != after;
}

// The keyword of `words` that starts `line` and is followed by \s+; returns the offset after the spaces.
// Requiring the space settles ANNEX against ANNEXURE as the regex's backtracking does.
template <size_t N>
std::optional<size_t> keywordThenSpaces(std::string_view line, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (startsWithAt(line, 0, w) && w.size() < line.size() && isRegexSpace(line[w.size()])) {
      return skipSpaces(line, w.size());
    }
  }
  return std::nullopt;
}

// Lengths of the number group ([0-9]{1,3} | [A-Z] | [IVXLC]{1,6}) that could start at `i`; 0 = none.
// A shorter take of a digit or Roman run leaves a digit or letter next, which no tail accepts, so only
// whole runs are candidates.
struct NumberTakes {
  size_t digits = 0, letter = 0, roman = 0;
};

NumberTakes numberTakes(std::string_view s, size_t i, bool single_letter) {
  NumberTakes t;
  const size_t d = runLength(s, i, isDigit);
  if (d >= 1 && d <= 3) t.digits = d;
  if (single_letter && i < s.size() && isUpper(s[i])) t.letter = 1;
  const size_t r = runLength(s, i, isRoman);
  if (r >= 1 && r <= 6) t.roman = r;
  return t;
}

// \s*($|[:\-]|–|—) from `i`.
bool scheduleTail(std::string_view s, size_t i) {
  i = skipSpaces(s, i);
  return i == s.size() || s[i] == ':' || s[i] == '-' || startsWithAt(s, i, kEnDash) || startsWithAt(s, i, kEmDash);
}

// (\s*$|\s*[:\-.]|\s*–|\s*—|\s+[A-Z]) from `i`.
bool articleTail(std::string_view s, size_t i) {
  const size_t j = skipSpaces(s, i);
  if (j == s.size() || s[j] == ':' || s[j] == '-' || s[j] == '.') return true;
  if (startsWithAt(s, j, kEnDash) || startsWithAt(s, j, kEmDash)) return true;
  return j > i && isUpper(s[j]);
}

}  // namespace

bool isDefinitionsTitle(std::string_view title) {
  for (size_t i = 0; i < title.size(); ++i) {
    if (!wordBoundaryAt(title, i)) continue;
    if (equalsIgnoringCaseAt(title, i, "definition")) {
      const size_t end = i + 10;
      if (wordBoundaryAt(title, end)) return true;
      if (end < title.size() && asciiLower(title[end]) == 's' && wordBoundaryAt(title, end + 1)) return true;
    } else if (equalsIgnoringCaseAt(title, i, "interpretation") && wordBoundaryAt(title, i + 14)) {
      return true;
    }
  }
  return false;
}

bool isScheduleHeading(std::string_view line) {
  static constexpr std::array<std::string_view, 10> kWords{"SCHEDULE", "Schedule", "EXHIBIT",  "Exhibit",  "ANNEX",
                                                           "Annex",    "APPENDIX", "Appendix", "ANNEXURE", "Annexure"};
  const auto at = keywordThenSpaces(line, kWords);
  if (!at) return false;
  const NumberTakes t = numberTakes(line, *at, true);
  for (size_t take : {t.digits, t.letter, t.roman}) {
    if (take > 0 && scheduleTail(line, *at + take)) return true;
  }
  return false;
}

std::optional<std::string_view> articleOrSectionNumber(std::string_view line) {
  static constexpr std::array<std::string_view, 6> kWords{"ARTICLE", "Article", "SECTION", "Section", "CLAUSE", "Clause"};
  const auto at = keywordThenSpaces(line, kWords);
  if (!at) return std::nullopt;
  const NumberTakes t = numberTakes(line, *at, false);
  for (size_t take : {t.digits, t.roman}) {
    if (take == 0) continue;
    const size_t after = *at + take;
    // \.? is greedy: with the dot first, then without it (when a '.' follows, the tail accepts it).
    const bool dot = after < line.size() && line[after] == '.';
    if ((dot && articleTail(line, after + 1)) || articleTail(line, after)) return line.substr(*at, take);
  }
  return std::nullopt;
}

}  // namespace folio::ingest
