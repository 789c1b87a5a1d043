// Evidence for the reasoning prompt: numbered passages ([1]..[n]) that are either chunks or summary
// nodes, each with its document, page span and line span, so a citation maps back to a source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline/passage_signals.h"
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

// The document ids a search of `documents` filters on (SearchOptions::documents): none when they are
// every searchable document of the library, which needs no filter (its chunk ids would be every chunk).
Result<std::vector<int64_t>> searchFilter(ingest::Library& lib, const std::vector<ingest::DocumentRecord>& documents);

// Chunks ranked for a question: those holding any of its ranking words (rankingWords; a dotted
// number is searched as the phrase of its parts), BM25 (FTS5) over the library restricted to
// `documents`, re-ordered by the ranking words of the question each chunk covers — in its text,
// heading or document path (passage_signals.h), each weighing by its rarity in the library, more when
// the file's name holds it, a test file's less unless the question asks about tests — plus BM25; at
// most `limit`.
struct RankedChunk {
  ingest::StoredChunk chunk;
  std::string path;
  double bm25 = 0;
  int coverage = 0;    // distinct ranking words of the question covered
  double weight = 0;   // their weights (wordWeights), times kTestWeight for a test
  std::string defined_term;  // chosen as the definition of this term (definitionsUsed)
};
inline constexpr double kTestWeight = 0.6;
// A passage of a contract: a numbered clause, a definition, a schedule (the legal chunker's kinds).
bool isContractClause(const ingest::StoredChunk& c);
// The path of the file a chunk of an archive or a message lies in, from its heading ("File: src/expire.c
// › activeExpireCycle": src/expire.c; "Attachment: a.zip › File: lease.pdf, page 2 › 4.2": lease.pdf);
// "" for the document's own text.
std::string innerFilePath(std::string_view heading);
// The last part of a heading path: a clause's own title ("8.1 Liability Caps" of "8. Limitation … › 8.1 …").
std::string_view lastHeadingPart(std::string_view heading);
// A word the document's file name holds weighs more: the file is about it (src/expire.c, "Lease - Unit
// 4.pdf").
inline constexpr double kNameWeight = 2.0;

// How a passage covers one of the question's ranking words: not; in its text (coverageKeys) or its
// document's folders; or in its document's file name, whatever the text holds (pathCoverageKeys).
enum class Coverage { None, Text, Name };
// For each of the question's words; two adjacent words also when written as one ("slowlog").
std::vector<Coverage> coveredWords(const std::vector<std::string>& question_words, const std::string& text,
                                   const PathKeys& path);
Result<std::vector<RankedChunk>> rankChunks(ingest::Library& lib, const std::string& question,
                                            const std::vector<ingest::DocumentRecord>& documents, int limit);

// Words of a question or passage as ranking compares them: content words (contentWords), numbers of
// any length, a dotted clause number ("5.5", "184.5.1") kept whole (in "clause 5.5" the number is the
// most specific word), and a single letter after a noun it names ("Schedule B", "Exhibit A"). Lower case, in text order, each with its byte offset in `text`.
struct RankingWord {
  std::string word;
  size_t offset = 0;
};
std::vector<RankingWord> rankingWordsAt(std::string_view text);
std::vector<std::string> rankingWords(std::string_view text);
// rankingWords without repeats (by coverageKey), in order of first use.
std::vector<std::string> distinctRankingWords(std::string_view text);

// What a word is compared on: a 5-letter prefix so "termination" matches "terminate"; a word with a
// digit whole ("184.5" is not "184.55").
std::string coverageKey(const std::string& word);
// The keys `text` covers: those of its ranking words, of each dotted number's shorter clause numbers
// ("184.5.1" is part of 184.5 and of 184), and of the words inside identifiers ("activeExpireCycle"
// covers "expire"; the search index splits them the same way, ingest/library/identifier_parts.h).
std::unordered_set<std::string> coverageKeys(std::string_view text);

// Distinct ranking words of the question (rankingWords) that occur in `text`, compared by coverageKey.
int questionCoverage(const std::vector<std::string>& question_words, const std::string& text);

}  // namespace folio::app
