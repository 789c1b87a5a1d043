// Evidence for the reasoning prompt: numbered passages ([1]..[n]) that are either chunks or summary
// nodes, each with its document, page span and line span, so a citation maps back to a source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline/summary_store.h"
#include "engine/common/result.h"
#include "ingest/chunker.h"
#include "ingest/library/library.h"

namespace folio::app {

struct Evidence {
  int n = 0;                       // 1-based number in the prompt
  std::string kind;                // "chunk", "section summary", "document summary", "collection summary"
  int64_t document_id = 0;         // 0 for a collection summary
  std::optional<int64_t> chunk_id;
  std::optional<int64_t> node_id;
  std::string path;                // the document's relative path ("" for a collection summary)
  std::string heading;
  int page_first = 0, page_last = 0, line_first = 0, line_last = 0;
  std::string text;
};

Evidence chunkEvidence(const ingest::StoredChunk& c, const std::string& path);
Evidence summaryEvidence(const SummaryNode& n, const std::string& path);

// "pages 4–5, lines 3–9" / "page 4, lines 3–9" / "lines 3–9" / "" (nothing known).
std::string describeSpan(int page_first, int page_last, int line_first, int line_last);
// "[n] path › heading (page 4, lines 3–9)\n<text>\n\n": the block the prompt holds for one item.
std::string formatEvidenceBlock(const Evidence& e);
nlohmann::json evidenceJson(const Evidence& e);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary.
std::string truncateUtf8(std::string_view text, size_t max_bytes);

// Chunks ranked for a question: those holding any of its content words, BM25 (FTS5) over the library
// restricted to `documents`, re-ordered by how many distinct content words of the question each chunk
// covers (then BM25); at most `limit`.
struct RankedChunk {
  ingest::StoredChunk chunk;
  std::string path;
  double bm25 = 0;
  int coverage = 0;
};
Result<std::vector<RankedChunk>> rankChunks(ingest::Library& lib, const std::string& question,
                                            const std::vector<ingest::DocumentRecord>& documents, int limit);

// Distinct content words of `question` (stop words dropped) that occur in `text`, compared on a
// 5-letter prefix so "termination" matches "terminate".
int questionCoverage(const std::vector<std::string>& question_words, const std::string& text);

}  // namespace folio::app
