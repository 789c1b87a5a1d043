// Everything else: Markdown-style headings (ATX "## x", setext underlines; HTML arrives with its headings
// written as ATX lines) give the heading path; paragraphs (blank-line separated; a fenced code block is
// one paragraph) are packed into chunks of at most target_tokens, never across a heading. Each chunk
// after the first of a section starts with the last lines of the previous one, up to overlap_tokens
// (whole lines only). A paragraph over the target is split at lines on its own.
#include <algorithm>
#include <string>

#include "ingest/chunk_util.h"
#include "ingest/chunker.h"

namespace folio::ingest {
namespace {

// ATX heading level (1..6) or 0.
int atxLevel(std::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  line.remove_prefix(indent);
  size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  if (n == 0 || n > 6 || n >= line.size() || line[n] != ' ' || trimSpaces(line.substr(n)).empty()) return 0;
  return static_cast<int>(n);
}

std::string atxText(std::string_view line) {
  line = trimSpaces(line);
  line.remove_prefix(line.find_first_not_of('#'));
  line = trimSpaces(line);
  while (!line.empty() && line.back() == '#') line.remove_suffix(1);
  return oneLine(line, 100);
}

bool isUnderline(std::string_view line, char c) {
  line = trimSpaces(line);
  return line.size() >= 3 && line.find_first_not_of(c) == std::string_view::npos;
}

bool isFence(std::string_view line) {
  line = trimSpaces(line);
  return line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~";
}

struct Block {
  bool heading = false;
  int level = 0;
  std::string title;
  size_t first = 0, last = 0;  // line indexes, inclusive
};

std::vector<Block> blocks(const TextIndex& index) {
  std::vector<Block> out;
  const size_t n = index.lineCount();
  size_t li = 0;
  while (li < n) {
    const std::string_view line = index.line(li);
    if (isBlank(line)) {
      ++li;
      continue;
    }
    if (const int level = atxLevel(line)) {
      out.push_back(Block{true, level, atxText(line), li, li});
      ++li;
      continue;
    }
    if (li + 1 < n && trimSpaces(line).size() <= 120 && (isUnderline(index.line(li + 1), '=') || isUnderline(index.line(li + 1), '-'))) {
      out.push_back(Block{true, isUnderline(index.line(li + 1), '=') ? 1 : 2, oneLine(line, 100), li, li + 1});
      li += 2;
      continue;
    }
    Block para;
    para.first = li;
    if (isFence(line)) {
      ++li;
      while (li < n && !isFence(index.line(li))) ++li;
      para.last = std::min(li, n - 1);
      ++li;
    } else {
      while (li + 1 < n && !isBlank(index.line(li + 1)) && !atxLevel(index.line(li + 1)) && !isFence(index.line(li + 1))) ++li;
      para.last = li;
      ++li;
    }
    out.push_back(para);
  }
  return out;
}

}  // namespace

std::vector<Chunk> chunkGeneric(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options) {
  const TextIndex index(doc);
  const int target = std::max(16, options.target_tokens);
  std::vector<Chunk> out;
  std::vector<std::pair<int, std::string>> stack;  // (level, title)
  std::vector<std::string> path;

  int64_t start = -1;     // begin of the pending chunk
  int64_t end = -1;       // end of its last block
  size_t start_line = 0;  // first line of the pending chunk
  int used = 0;

  auto kind = [&]() { return path.empty() ? ChunkKind::Paragraph : ChunkKind::Section; };
  auto flush = [&]() {
    if (start >= 0 && end > start) emitUnit(index, Unit{kind(), path, start, end}, tokens, options, out);
    start = end = -1;
    used = 0;
  };
  // The start of the overlap: whole lines before `end`, at most overlap_tokens, after start_line.
  auto overlapStart = [&]() -> int64_t {
    if (options.overlap_tokens <= 0 || end <= start) return -1;
    size_t li = index.lineIndex(end - 1);
    int budget = options.overlap_tokens;
    int64_t from = -1;
    while (li > start_line) {
      const int t = tokens.count(index.line(li));
      if (t > budget) break;
      budget -= t;
      from = index.lineBegin(li);
      --li;
    }
    return from;
  };

  for (const Block& b : blocks(index)) {
    const int64_t b_begin = index.lineBegin(b.first);
    const int64_t b_end = index.lineEnd(b.last);
    if (b.heading) {
      flush();
      while (!stack.empty() && stack.back().first >= b.level) stack.pop_back();
      stack.emplace_back(b.level, b.title);
      path.clear();
      for (const auto& [level, title] : stack) path.push_back(title);
      start = b_begin;
      end = b_end;
      start_line = b.first;
      used = tokens.count(index.line(b.first));
      continue;
    }
    const int t = tokens.count(std::string_view(doc.text).substr(static_cast<size_t>(b_begin), static_cast<size_t>(b_end - b_begin)));
    if (start >= 0 && used + t > target) {
      const int64_t overlap = t <= target ? overlapStart() : -1;
      const int64_t prev_end = end;
      flush();
      if (overlap >= 0 && overlap < prev_end) {
        start = overlap;
        start_line = index.lineIndex(overlap);
        end = prev_end;
        used = tokens.count(std::string_view(doc.text).substr(static_cast<size_t>(overlap), static_cast<size_t>(prev_end - overlap)));
      }
    }
    if (t > target) {
      flush();
      emitUnit(index, Unit{kind(), path, b_begin, b_end}, tokens, options, out);
      continue;
    }
    if (start < 0) {
      start = b_begin;
      start_line = b.first;
    }
    end = b_end;
    used += t;
  }
  flush();
  return out;
}

}  // namespace folio::ingest
