// Everything else: Markdown-style headings (ATX "## x", setext underlines; HTML arrives with its headings
// written as ATX lines) give the heading path; paragraphs (blank-line separated; a fenced code block is
// one paragraph) are packed into chunks of at most target_tokens, never across a heading. Each chunk
// after the first of a section starts with the last lines of the previous one, up to overlap_tokens
// (whole lines only). A paragraph over the target is split at lines on its own.
//
// Text that is neither Markdown nor HTML (.txt, .conf, .ini, .h.in, README, ...) may use '#' for comments:
// there a "# ..." line is not a heading (or redis.conf, with ~1,700 comment lines, becomes ~1,700 chunks
// of one or two lines). See hashCommented for the rule; in such text only banner lines such as
// "######## INCLUDES ########", "# ===== Section =====" or a title boxed between two rules of '#'
// give (level-1) headings, comment blocks are ordinary paragraphs, and setext underlines still count.
#include <algorithm>
#include <cctype>
#include <optional>
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

// The number of '#' that a line starts with after any spaces and tabs (0: not a '#' line).
size_t hashRun(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] != '#') return 0;
  const size_t end = line.find_first_not_of('#', first);
  return (end == std::string_view::npos ? line.size() : end) - first;
}

bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '/'; }
bool isLowerWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// A configuration directive or statement rather than prose: "[section]", "key = value", "key: value",
// "call(...)", or "lower-case-key value..." (redis.conf's "port 6379"); never a line ending a sentence.
bool directiveShaped(std::string_view line) {
  line = trimSpaces(line);
  if (line.empty() || line[0] == '#' || line.back() == '.' || line.back() == '!' || line.back() == '?') return false;
  if (line.front() == '[' && line.back() == ']') return true;
  if (!isIdentStart(line[0])) return false;
  size_t i = 1;
  while (i < line.size() && isIdentChar(line[i])) ++i;
  if (i < line.size() && line[i] == '(') return true;
  const size_t word_end = i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && (line[i] == '=' || line[i] == ':')) return true;
  const std::string_view word = line.substr(0, word_end);
  const bool lower = word[0] >= 'a' && word[0] <= 'z' && std::all_of(word.begin(), word.end(), isLowerWordChar);
  return lower && i > word_end && i < line.size();
}

// Whether the '#' lines of a text (outside fenced blocks) are comments rather than Markdown headings:
// at least half of them look like comments. A '#' line looks like a comment when
//   - it cannot be an ATX heading: it is indented, has more than six '#', or no space after them
//     ("#", "#define", "#!/bin/sh", "#Before=x");
//   - or a neighbouring line starts with as many '#' (a comment block: Markdown never stacks two
//     headings of one level);
//   - or the next line is a directive ("# The port\nport 6379", "# comment\nkey = value").
// Measured: redis.conf, sentinel.conf, jemalloc's *.h.in, the .conf/.cfg/.in files under /usr/share and
// /etc are hash-commented; of 520 Markdown files (README.md etc.) with '#' lines, none with a heading is,
// so a Markdown-style README.txt keeps its headings. One isolated "# x" line stays a heading.
bool hashCommented(const TextIndex& index) {
  const size_t n = index.lineCount();
  std::vector<size_t> run(n, 0);  // hashRun per line, 0 inside fences
  bool fenced = false;
  for (size_t li = 0; li < n; ++li) {
    const std::string_view line = index.line(li);
    if (isFence(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) run[li] = hashRun(line);
  }
  size_t hash_lines = 0, comments = 0;
  for (size_t li = 0; li < n; ++li) {
    const size_t k = run[li];
    if (k == 0) continue;
    ++hash_lines;
    const std::string_view line = index.line(li);
    const bool not_heading = line[0] == ' ' || line[0] == '\t' || k > 6 || k >= line.size() || line[k] != ' ' ||
                             trimSpaces(line.substr(k)).empty();
    const bool in_block = (li > 0 && run[li - 1] == k) || (li + 1 < n && run[li + 1] == k);
    const bool before_directive = li + 1 < n && directiveShaped(index.line(li + 1));
    if (not_heading || in_block || before_directive) ++comments;
  }
  return hash_lines > 0 && 2 * comments >= hash_lines;
}

bool hasAlnum(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool isBannerFrame(char c) { return c == '#' || c == '=' || c == '-' || c == '*' || c == '~'; }

// The length of the run of one repeated frame character at the start (the end) of s.
size_t frameRun(std::string_view s) {
  if (s.empty() || !isBannerFrame(s.front())) return 0;
  const size_t end = s.find_first_not_of(s.front());
  return end == std::string_view::npos ? s.size() : end;
}
size_t frameRunBack(std::string_view s) {
  if (s.empty() || !isBannerFrame(s.back())) return 0;
  const size_t last = s.find_last_not_of(s.back());
  return last == std::string_view::npos ? s.size() : s.size() - 1 - last;
}

// The title of a banner line: '#' then a title framed on both sides by a run of at least three of one
// character of # = - * ~ ("#### INCLUDES ####", "# ===== Section ====="); nullopt for other lines
// ("# -*- coding: utf-8 -*-" is framed by mixed characters, "### Note" only on one side).
std::optional<std::string> bannerTitle(std::string_view line) {
  line = trimSpaces(line);
  const size_t hashes = frameRun(line);
  if (hashes == 0 || line[0] != '#') return std::nullopt;
  std::string_view body = trimSpaces(line.substr(hashes));
  size_t lead = hashes;
  if (hashes < 3) {
    lead = frameRun(body);
    body.remove_prefix(lead);
  }
  const size_t trail = frameRunBack(body);
  if (lead < 3 || trail < 3) return std::nullopt;
  body = trimSpaces(body.substr(0, body.size() - trail));
  if (!hasAlnum(body)) return std::nullopt;
  return oneLine(body, 100);
}

// A rule of a box: a '#' line of at least ten characters, all of them frame characters or spaces.
bool isBoxRule(std::string_view line) {
  line = trimSpaces(line);
  return line.size() >= 10 && line[0] == '#' &&
         std::all_of(line.begin(), line.end(), [](char c) { return isBannerFrame(c) || c == ' '; });
}

struct Heading {
  int level = 0;
  std::string title;
  size_t last = 0;  // its last line
};

// The heading that starts at line li: in hash-commented text a banner line or a box (a '#' line between
// two rules), otherwise an ATX heading.
std::optional<Heading> headingAt(const TextIndex& index, size_t li, bool hash_comments) {
  const std::string_view line = index.line(li);
  if (!hash_comments) {
    if (const int level = atxLevel(line)) return Heading{level, atxText(line), li};
    return std::nullopt;
  }
  if (hashRun(line) == 0) return std::nullopt;
  if (auto title = bannerTitle(line)) return Heading{1, std::move(*title), li};
  if (li + 2 < index.lineCount() && isBoxRule(line) && isBoxRule(index.line(li + 2))) {
    std::string_view title = trimSpaces(index.line(li + 1));  // "#   Global Options   #"
    const size_t hashes = hashRun(title);
    title.remove_prefix(hashes);
    while (!title.empty() && title.back() == '#') title.remove_suffix(1);
    title = trimSpaces(title);
    if (hashes > 0 && hasAlnum(title)) return Heading{1, oneLine(title, 100), li + 2};
  }
  return std::nullopt;
}

struct Block {
  bool heading = false;
  int level = 0;
  std::string title;
  size_t first = 0, last = 0;  // line indexes, inclusive
};

std::vector<Block> blocks(const TextIndex& index, bool hash_comments) {
  std::vector<Block> out;
  const size_t n = index.lineCount();
  size_t li = 0;
  while (li < n) {
    const std::string_view line = index.line(li);
    if (isBlank(line)) {
      ++li;
      continue;
    }
    if (auto h = headingAt(index, li, hash_comments)) {
      out.push_back(Block{true, h->level, std::move(h->title), li, h->last});
      li = h->last + 1;
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
      while (li + 1 < n && !isBlank(index.line(li + 1)) && !isFence(index.line(li + 1)) &&
             !headingAt(index, li + 1, hash_comments)) {
        ++li;
      }
      para.last = li;
      ++li;
    }
    out.push_back(para);
  }
  return out;
}

}  // namespace

std::vector<Chunk> chunkGeneric(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options,
                                SourceKind source_kind) {
  const TextIndex index(doc);
  const bool hash_comments =
      source_kind != SourceKind::Markdown && source_kind != SourceKind::Html && source_kind != SourceKind::Word &&
      hashCommented(index);
  const int target = std::max(16, options.target_tokens);
  // A spreadsheet's line is a row: a part cut at a sentence end inside one ("#DIV/0! | 2024-01-20")
  // splits its cells from their row.
  const SplitAt split = source_kind == SourceKind::Spreadsheet ? SplitAt::Lines : SplitAt::Sentences;
  std::vector<Chunk> out;
  std::vector<std::pair<int, std::string>> stack;  // (level, title)
  std::vector<std::string> path;

  int64_t start = -1;     // begin of the pending chunk
  int64_t end = -1;       // end of its last block
  size_t start_line = 0;  // first line of the pending chunk
  bool heading_only = false;  // the pending chunk holds just a heading

  auto kind = [&]() { return path.empty() ? ChunkKind::Paragraph : ChunkKind::Section; };
  auto flush = [&]() {
    if (start >= 0 && end > start) emitUnit(index, Unit{kind(), path, start, end, split}, tokens, options, out);
    start = end = -1;
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

  for (const Block& b : blocks(index, hash_comments)) {
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
      heading_only = true;
      continue;
    }
    const int t = tokens.count(std::string_view(doc.text).substr(static_cast<size_t>(b_begin), static_cast<size_t>(b_end - b_begin)));
    // The chunk as it would be with this block: counted whole, blank lines between blocks included, as
    // emitUnit counts it (a sum of the parts can come out a few tokens under, and the chunk would then
    // be cut again at the target, leaving a remainder of a line or two).
    const int with_block =
        start < 0 ? t
                  : tokens.count(std::string_view(doc.text).substr(static_cast<size_t>(start),
                                                                   static_cast<size_t>(b_end - start)));
    if (start >= 0 && with_block > target && hash_comments && heading_only) {
      // A banner alone would be a chunk that wins every search for its words and says nothing; the
      // chunks after it carry its title in their heading path.
      start = end = -1;
    } else if (start >= 0 && with_block > target) {
      const int64_t overlap = t <= target ? overlapStart() : -1;
      const int64_t prev_end = end;
      flush();
      // The overlap leads the next chunk only where it fits beside the block: otherwise that chunk
      // would be cut again, leaving the block's last lines alone.
      const bool fits = overlap >= 0 && overlap < prev_end &&
                        tokens.count(std::string_view(doc.text).substr(static_cast<size_t>(overlap),
                                                                       static_cast<size_t>(b_end - overlap))) <= target;
      if (fits) {
        start = overlap;
        start_line = index.lineIndex(overlap);
        end = prev_end;
      }
    }
    heading_only = false;
    if (t > target) {
      flush();
      emitUnit(index, Unit{kind(), path, b_begin, b_end, split}, tokens, options, out);
      continue;
    }
    if (start < 0) {
      start = b_begin;
      start_line = b.first;
    }
    end = b_end;
  }
  flush();
  return out;
}

}  // namespace folio::ingest
