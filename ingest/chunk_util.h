// Shared pieces of the chunkers: line/page lookup, chunk construction with provenance, and the
// splitting of units larger than the target size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/chunker.h"

namespace folio::ingest {

// Line and page lookup over ExtractedText::text.
class TextIndex {
 public:
  explicit TextIndex(const ExtractedText& doc);

  size_t lineCount() const { return line_starts_.size(); }
  // 0-based index of the line holding `offset`.
  size_t lineIndex(int64_t offset) const;
  int64_t lineBegin(size_t line) const { return line_starts_[line]; }
  // End of the line's content (before its '\n').
  int64_t lineEnd(size_t line) const;
  std::string_view line(size_t line) const;
  // 1-based page holding `offset`, 0 when the document has no pages.
  int pageOf(int64_t offset) const;
  // 1-based line number of `offset`: within its page for paged documents, else within the text.
  int lineNumber(int64_t offset) const;

  const ExtractedText& doc() const { return doc_; }

 private:
  const ExtractedText& doc_;
  std::vector<int64_t> line_starts_;
  std::vector<size_t> page_first_line_;  // 0-based line index where each page starts
};

// Where emitUnit prefers to cut a unit over the target: prose at sentence ends (a cited part that stops
// mid-sentence shows half a sentence), code at line ends.
enum class SplitAt : uint8_t { Sentences, Lines };

// A run of text the chunkers want as one chunk (before oversize splitting).
struct Unit {
  ChunkKind kind = ChunkKind::Paragraph;
  std::vector<std::string> heading_path;
  int64_t begin = 0, end = 0;
  SplitAt split = SplitAt::Sentences;
};

// Builds the chunk for [begin, end) (trimmed of surrounding whitespace); false when nothing is left.
bool makeChunk(const TextIndex& index, ChunkKind kind, std::vector<std::string> heading_path, int64_t begin,
               int64_t end, const TokenCounter& tokens, Chunk& out);

// Emits `unit` as one chunk, or, when it is over options.target_tokens, as consecutive parts of at most
// that many tokens, each with the unit's kind and heading path. A part ends at the last sentence end in
// the second half of what fits (SplitAt::Sentences), else after its last whole line; a single line over
// the target is cut at whitespace or after ; , } in the second half of what fits, else where what fits
// ends (a UTF-8 boundary). The parts cover the unit's text without overlap; only whitespace is between.
void emitUnit(const TextIndex& index, const Unit& unit, const TokenCounter& tokens, const ChunkOptions& options,
              std::vector<Chunk>& out);

// Whether the '.', ';', '?' or '!' at text[i] ends a sentence: whitespace follows it (after any closing
// quotes and brackets), and a full stop is not followed by lower case nor that of an abbreviation
// ("e.g.", "i.e.", "No.", "Art.", "Sec."), a number ("5.", "1.2.3.") or an initial ("J.").
bool endsSentenceAt(std::string_view text, size_t i);

// Collapses whitespace runs to one space and trims; cuts at max_bytes (on a UTF-8 boundary) with "…".
std::string oneLine(std::string_view s, size_t max_bytes = 100);

bool isBlank(std::string_view s);

// Without leading and trailing spaces and tabs.
std::string_view trimSpaces(std::string_view s);

// Of a line's space-separated words, how many there are and how many open capitalised (an upper-case
// letter, a digit, or a non-ASCII character): whether a short line reads as a title.
struct WordCase {
  size_t words = 0;
  size_t capitalised = 0;
};
WordCase wordCase(std::string_view line);

}  // namespace folio::ingest
