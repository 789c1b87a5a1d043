#include "ingest/chunk_util.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/common/check.h"
#include "ingest/utf8_text.h"

namespace folio::ingest {

TokenCounter::~TokenCounter() = default;

int EstimatingTokenCounter::count(std::string_view text) const {
  int64_t words = 0, punct = 0;
  bool in_word = false;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool word_char = std::isalnum(c) || c == '_' || c >= 0x80;
    if (word_char) {
      if (!in_word) ++words;
      in_word = true;
      continue;
    }
    in_word = false;
    if (!std::isspace(c)) ++punct;
  }
  const int64_t by_bytes = (static_cast<int64_t>(text.size()) + 3) / 4;
  const int64_t by_words = words + (punct + 1) / 2;
  return static_cast<int>(std::min<int64_t>(std::max(by_bytes, by_words), INT32_MAX));
}

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

bool isBlank(std::string_view s) { return std::all_of(s.begin(), s.end(), isSpace); }

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

WordCase wordCase(std::string_view line) {
  WordCase c;
  for (size_t pos = 0; pos < line.size();) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    if (end > pos) {
      ++c.words;
      const auto first = static_cast<unsigned char>(line[pos]);
      c.capitalised += (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9') || first >= 0x80;
    }
    pos = end + 1;
  }
  return c;
}

TextIndex::TextIndex(const ExtractedText& doc) : doc_(doc) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < doc.text.size(); ++i) {
    if (doc.text[i] == '\n' && i + 1 < doc.text.size()) line_starts_.push_back(static_cast<int64_t>(i + 1));
  }
  for (const int64_t start : doc.page_starts) page_first_line_.push_back(lineIndex(start));
}

size_t TextIndex::lineIndex(int64_t offset) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return it == line_starts_.begin() ? 0 : static_cast<size_t>(it - line_starts_.begin() - 1);
}

int64_t TextIndex::lineEnd(size_t line) const {
  int64_t end = line + 1 < line_starts_.size() ? line_starts_[line + 1] : static_cast<int64_t>(doc_.text.size());
  if (end > line_starts_[line] && doc_.text[static_cast<size_t>(end - 1)] == '\n') --end;
  return end;
}

std::string_view TextIndex::line(size_t line) const {
  const int64_t b = lineBegin(line), e = lineEnd(line);
  return std::string_view(doc_.text).substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
}

int TextIndex::pageOf(int64_t offset) const {
  if (doc_.page_starts.empty()) return 0;
  const auto it = std::upper_bound(doc_.page_starts.begin(), doc_.page_starts.end(), offset);
  return std::max(1, static_cast<int>(it - doc_.page_starts.begin()));
}

int TextIndex::lineNumber(int64_t offset) const {
  const size_t line = lineIndex(offset);
  if (doc_.page_starts.empty()) return static_cast<int>(line) + 1;
  const int page = pageOf(offset);
  return static_cast<int>(line - page_first_line_[static_cast<size_t>(page - 1)]) + 1;
}

bool makeChunk(const TextIndex& index, ChunkKind kind, std::vector<std::string> heading_path, int64_t begin,
               int64_t end, const TokenCounter& tokens, Chunk& out) {
  const std::string& text = index.doc().text;
  begin = std::clamp<int64_t>(begin, 0, static_cast<int64_t>(text.size()));
  end = std::clamp<int64_t>(end, begin, static_cast<int64_t>(text.size()));
  while (begin < end && isSpace(text[static_cast<size_t>(begin)])) ++begin;
  while (end > begin && isSpace(text[static_cast<size_t>(end - 1)])) --end;
  if (begin >= end) return false;
  // Start at the beginning of the first line when only indentation precedes it, so code keeps its shape.
  const int64_t line_begin = index.lineBegin(index.lineIndex(begin));
  if (isBlank(std::string_view(text).substr(static_cast<size_t>(line_begin), static_cast<size_t>(begin - line_begin)))) {
    begin = line_begin;
  }
  out = Chunk{};
  out.kind = kind;
  out.heading_path = std::move(heading_path);
  out.byte_begin = begin;
  out.byte_end = end;
  out.text = text.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
  out.page_first = index.pageOf(begin);
  out.page_last = index.pageOf(end - 1);
  out.line_first = index.lineNumber(begin);
  out.line_last = index.lineNumber(end - 1);
  out.token_count = tokens.count(out.text);
  return true;
}

namespace {

bool isLowerAscii(char c) { return c >= 'a' && c <= 'z'; }

// Words whose full stop ends no sentence, compared without case ("e.g." and "i.e." have an inner stop).
constexpr std::array<std::string_view, 46> kAbbreviations{
    "no",   "nos",    "art",  "arts", "sec",  "secs", "sect", "cl",   "para", "paras", "pt", "ch",
    "chap", "sch",    "vol",  "fig",  "figs", "eq",   "ref",  "refs", "p",    "pp",    "cf", "vs",
    "viz",  "approx", "ca",   "mr",   "mrs",  "ms",   "dr",   "prof", "st",   "jr",    "sr", "ltd",
    "inc",  "co",     "corp", "nr",   "reg",  "dept", "al",   "eg",   "ie",   "op"};

bool isAbbreviation(std::string_view word) {
  if (word.size() > 6) return false;
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), lower) != kAbbreviations.end();
}

// Past the closing quotes and brackets at text[j] ( ) ] " ' ’ ” ).
size_t skipClosers(std::string_view text, size_t j) {
  while (j < text.size()) {
    if (text[j] == ')' || text[j] == ']' || text[j] == '"' || text[j] == '\'') {
      ++j;
    } else if (text.substr(j, 3) == "\xE2\x80\x99" || text.substr(j, 3) == "\xE2\x80\x9D") {
      j += 3;
    } else {
      break;
    }
  }
  return j;
}

// The end (after its closers) of the last sentence that ends within [from, to), or -1.
int64_t lastSentenceEnd(std::string_view text, int64_t from, int64_t to) {
  for (int64_t i = to - 1; i >= from; --i) {
    if (!endsSentenceAt(text, static_cast<size_t>(i))) continue;
    const int64_t end = static_cast<int64_t>(skipClosers(text, static_cast<size_t>(i) + 1));
    if (end <= to) return end;
  }
  return -1;
}

// Where a part is reached by: `end` and a count of text[from, end) or more.
struct Fit {
  int64_t end = 0;
  int tokens = 0;
};

// The end of the next piece of text[from, to) that fitPrefix counts: `piece` bytes, or after the last
// whitespace in its second half (so that words are not split between pieces), on a UTF-8 boundary.
int64_t pieceEnd(std::string_view text, int64_t from, int64_t to, int64_t piece) {
  if (to - from <= piece) return to;
  for (int64_t i = from + piece - 1; i > from + piece / 2; --i) {
    if (isSpace(text[static_cast<size_t>(i)])) return i + 1;
  }
  const int64_t end = static_cast<int64_t>(utf8Boundary(text, static_cast<size_t>(from + piece)));
  return end > from ? end : from + piece;
}

// The longest prefix of text[from, to) found to count at most `budget` tokens. Pieces are counted one
// by one and added while their sum fits: the counter is subadditive, so the sum bounds the count of the
// prefix. The prefix is then counted whole to spend what the sum overestimated, a few rounds at most;
// each byte is counted a few times, not once per part of a long line.
Fit fitPrefix(std::string_view text, int64_t from, int64_t to, int budget, int target, const TokenCounter& tokens) {
  auto count = [&](int64_t b, int64_t e) { return tokens.count(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b))); };
  const int64_t piece = std::clamp<int64_t>(target / 4, 4, 64);  // a piece is at most a quarter of the target
  Fit fit{from, 0};
  for (int round = 0; round < 4 && fit.end < to; ++round) {
    int64_t end = fit.end;
    int sum = fit.tokens;
    while (end < to) {
      const int64_t next = pieceEnd(text, end, to, piece);
      const int c = count(end, next);
      if (sum + c > budget) break;
      sum += c;
      end = next;
    }
    if (end == fit.end) break;
    fit = Fit{end, end == to ? sum : count(from, end)};
  }
  return fit;
}

// How much of the rest of a line, text[from, to), fits in `budget`: all of it with its count, or (when
// `want_prefix`) the prefix fitPrefix finds, else nothing. An ordinary line is counted whole; one far
// longer than a target's worth of any text is not, since counting the rest of a minified line for each
// of its parts was quadratic (2 MB took 8-14 s).
Fit fitLine(std::string_view text, int64_t from, int64_t to, int budget, int target, const TokenCounter& tokens,
            bool want_prefix) {
  if (to - from <= 16 * static_cast<int64_t>(target)) {
    const int c = tokens.count(text.substr(static_cast<size_t>(from), static_cast<size_t>(to - from)));
    if (c <= budget) return Fit{to, c};
    if (!want_prefix) return Fit{from, c};
  }
  return fitPrefix(text, from, to, budget, target, tokens);
}

// The end of a part within one line, text[from, fit_end) being what fits: after the last whitespace or
// ; , } in the second half of it, else at fit_end; at least one character.
int64_t cutInLine(std::string_view text, int64_t from, int64_t fit_end) {
  for (int64_t i = fit_end - 1; i > from + (fit_end - from) / 2; --i) {
    const char c = text[static_cast<size_t>(i)];
    if (isSpace(c) || c == ';' || c == ',' || c == '}') return i + 1;
  }
  if (fit_end > from) return fit_end;
  const size_t n = utf8SequenceLength(text, static_cast<size_t>(from));
  return from + static_cast<int64_t>(std::max<size_t>(n, 1));
}

}  // namespace

bool endsSentenceAt(std::string_view text, size_t i) {
  if (i >= text.size()) return false;
  const char mark = text[i];
  if (mark != '.' && mark != ';' && mark != '?' && mark != '!') return false;
  size_t next = skipClosers(text, i + 1);
  if (next < text.size() && !isSpace(text[next])) return false;  // "5.5", "a.b", "e.g" before its last stop
  if (mark != '.') return true;
  while (next < text.size() && isSpace(text[next])) ++next;
  if (next < text.size() && isLowerAscii(text[next])) return false;  // "etc. and", "1.2.3. within"
  size_t b = i;
  while (b > 0 && i - b < 64 && !isSpace(text[b - 1])) --b;
  std::string_view word = text.substr(b, i - b);
  while (!word.empty() && (word.front() == '(' || word.front() == '[' || word.front() == '"' || word.front() == '\'')) {
    word.remove_prefix(1);
  }
  if (word.empty() || word.find('.') != std::string_view::npos) return false;  // ". . .", "e.g.", "i.e.", "1.2.3."
  if (word.find_first_not_of("0123456789") == std::string_view::npos) return false;  // a clause or list number
  if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))) return false;  // "J. Smith", "a. the"
  return !isAbbreviation(word);
}

void emitUnit(const TextIndex& index, const Unit& unit, const TokenCounter& tokens, const ChunkOptions& options,
              std::vector<Chunk>& out) {
  Chunk whole;
  if (!makeChunk(index, unit.kind, unit.heading_path, unit.begin, unit.end, tokens, whole)) return;
  const int target = std::max(16, options.target_tokens);
  if (whole.token_count <= target) {
    out.push_back(std::move(whole));
    return;
  }
  const std::string_view text = index.doc().text;
  const bool sentences = unit.split == SplitAt::Sentences;
  // Parts of about equal size: as many as the target needs, each a little over the even share so that
  // cuts at sentence or line ends still make that many. Filling each part to the target left the last
  // one a line or two (a 530-token unit gave 512 + 18).
  const int parts = (whole.token_count + target - 1) / target;
  const int budget = std::min(target, (whole.token_count + parts - 1) / parts * 11 / 10);
  int64_t part_begin = whole.byte_begin;
  const int64_t unit_end = whole.byte_end;
  while (part_begin < unit_end) {
    // Grow line by line while the part stays within the target; the line that does not fit tells how
    // far into it the part could reach (fit_end).
    size_t line = index.lineIndex(part_begin);
    int64_t part_end = part_begin, fit_end = part_begin;
    int64_t over_from = -1;  // where the rest of the line that did not fit starts
    int used = 0;
    while (part_end < unit_end) {
      const int64_t line_end = std::min<int64_t>(index.lineEnd(line) + 1, unit_end);
      const int64_t from = std::max(part_end, index.lineBegin(line));
      const Fit fit = fitLine(text, from, line_end, budget - used, target, tokens, sentences || used == 0);
      if (fit.end < line_end) {
        over_from = from;
        fit_end = fit.end;
        break;
      }
      used += fit.tokens;
      part_end = line_end;
      if (++line >= index.lineCount()) break;
    }
    if (over_from >= 0) {
      const int64_t sentence_end = sentences ? lastSentenceEnd(text, part_begin + (fit_end - part_begin) / 2, fit_end) : -1;
      if (sentence_end > part_begin) {
        part_end = sentence_end;
      } else if (part_end == part_begin) {
        part_end = cutInLine(text, over_from, fit_end);
      }
    }
    if (part_end <= part_begin) part_end = unit_end;  // cannot happen; keeps the loop finite
    Chunk part;
    if (makeChunk(index, unit.kind, unit.heading_path, part_begin, part_end, tokens, part)) out.push_back(std::move(part));
    part_begin = part_end;
  }
}

std::string oneLine(std::string_view s, size_t max_bytes) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() > max_bytes) {
    out.resize(utf8Boundary(out, max_bytes));
    out += "\xE2\x80\xA6";
  }
  return out;
}

}  // namespace folio::ingest
