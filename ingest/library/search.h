// Full-text search over the library: BM25-ranked chunks (heading matches weigh 4x the body) with their
// document, page span, line span and a highlighted snippet.
//
// User text never reaches FTS5 as query syntax: sanitizeQuery turns it into a list of quoted terms, so
// quotes, parentheses, '*', ':', '^', '-', AND/OR/NOT/NEAR and invalid UTF-8 are all plain text.
// "Double-quoted phrases" stay phrases; a trailing '*' on a word asks for a prefix match. A word of
// Chinese, Japanese or Korean text is found inside longer text, as a phrase of its characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/library/database.h"
#include "ingest/library/fts_top_k.h"

namespace folio::ingest {

struct QueryTerm {
  std::string text;     // the words of the term or phrase (UTF-8, no control characters)
  bool phrase = false;  // came from "double quotes"
  bool prefix = false;  // ended in '*' (after a CJK character the '*' is dropped: see parseQuery)
};

// Splits user text into terms; terms without a letter or digit are dropped, and so are repeats.
std::vector<QueryTerm> parseQuery(std::string_view user_text);
// An FTS5 MATCH expression for the terms: every term quoted, joined by AND (all terms) or OR (any).
// Empty when there are no terms.
std::string ftsExpression(const std::vector<QueryTerm>& terms, bool any_term);

struct SearchOptions {
  int limit = 10;
  int snippet_tokens = 24;
  std::string highlight_open = "[";
  std::string highlight_close = "]";
  // When no chunk holds all the terms, search again for chunks holding any of them.
  bool fall_back_to_any = true;
  // Chunks holding any of the terms from the start, ranked by BM25 (a chunk with more of them, or rarer
  // ones, ranks higher): recall for a question in words, where few passages use every word of it.
  bool match_any = false;
  // Only chunks of these documents (empty: the whole library). Scores stay the library's (BM25's IDF
  // counts every document), so a hit scores the same with or without the filter.
  std::vector<int64_t> documents;
};

struct SearchHit {
  int64_t chunk_id = 0;
  int64_t document_id = 0;
  std::string collection;
  std::string path;
  std::string rel_path;
  std::string title;
  int ordinal = 0;
  std::string kind;       // chunk kind
  std::string heading;    // joined heading path
  int page_first = 0, page_last = 0;
  int line_first = 0, line_last = 0;
  double score = 0;       // BM25 (higher is better)
  std::string snippet;    // with the matched terms between highlight_open/close
};

struct SearchResult {
  std::vector<SearchHit> hits;
  std::string fts_query;  // the MATCH expression that produced the hits ("" when nothing to search)
  bool matched_any = false;  // the hits come from the any-term fallback
};

Result<SearchResult> search(Database& db, std::string_view user_query, const SearchOptions& options = {});

// For a question about each document of a scope ("which contracts allow termination for
// convenience?"): the chunks holding any of the query's terms, grouped by document. At most
// `per_document` chunks of each document, best first by BM25 (as search ranks them), from the best
// `max_chunks` chunks of the scope (`documents`; empty: the whole library), which bounds the work on
// a query matching most of a large library. Documents in order of their best chunk.
struct DocumentMatches {
  int64_t document_id = 0;
  std::vector<RankedChunk> chunks;
};
Result<std::vector<DocumentMatches>> bestChunksByDocument(Database& db, std::string_view user_query,
                                                          const std::vector<int64_t>& documents, int per_document,
                                                          int max_chunks);

}  // namespace folio::ingest
