#include "ingest/chunk_util.h"

#include <algorithm>

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

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; });
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
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
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (begin < end && space(text[static_cast<size_t>(begin)])) ++begin;
  while (end > begin && space(text[static_cast<size_t>(end - 1)])) --end;
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

// The end of a part that starts at `begin` and should hold about `target` tokens, inside one line.
int64_t cutLongLine(std::string_view text, int64_t begin, int64_t end, int target) {
  const int64_t want = std::max<int64_t>(16, static_cast<int64_t>(target) * 3);  // bytes; conservative
  if (end - begin <= want) return end;
  int64_t cut = begin + want;
  // Prefer the last whitespace in the second half of the window.
  for (int64_t i = cut; i > begin + want / 2; --i) {
    if (text[static_cast<size_t>(i)] == ' ' || text[static_cast<size_t>(i)] == '\t') {
      cut = i + 1;
      break;
    }
  }
  cut = static_cast<int64_t>(utf8Boundary(text, static_cast<size_t>(cut)));
  return cut > begin ? cut : begin + want;
}

// The count of text[from, end), or, when a prefix of it is already over `target`, that prefix's count
// (a lower bound, which is all the caller needs then). Counting the rest of a minified line for each of
// its parts was quadratic: 2 MB took 8-14 s.
int lineTokens(std::string_view text, int64_t from, int64_t end, int target, const TokenCounter& tokens) {
  const int64_t probe_bytes = 16 * static_cast<int64_t>(target);  // far more than a target's worth of any text
  if (end - from > probe_bytes) {
    const size_t probe_end = utf8Boundary(text, static_cast<size_t>(from + probe_bytes));
    const int probe = tokens.count(text.substr(static_cast<size_t>(from), probe_end - static_cast<size_t>(from)));
    if (probe > target) return probe;
  }
  return tokens.count(text.substr(static_cast<size_t>(from), static_cast<size_t>(end - from)));
}

}  // namespace

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
  int64_t part_begin = whole.byte_begin;
  const int64_t unit_end = whole.byte_end;
  while (part_begin < unit_end) {
    // Grow line by line while the part stays within the target.
    size_t line = index.lineIndex(part_begin);
    int64_t part_end = part_begin;
    int used = 0;
    while (part_end < unit_end) {
      const int64_t line_end = std::min<int64_t>(index.lineEnd(line) + 1, unit_end);
      const int64_t from = std::max(part_end, index.lineBegin(line));
      const int line_tokens = lineTokens(text, from, line_end, target, tokens);
      if (used > 0 && used + line_tokens > target) break;
      if (used == 0 && line_tokens > target) {
        part_end = cutLongLine(text, from, line_end, target);
        break;
      }
      used += line_tokens;
      part_end = line_end;
      if (++line >= index.lineCount()) break;
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
