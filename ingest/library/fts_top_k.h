// The best k chunks of chunks_fts for a MATCH expression, ranked exactly as `ORDER BY rank` ranks
// them (FTS5's bm25 with the schema's column weights; ties in ascending rowid order), at a fraction of
// its cost on terms that match many chunks.
//
// `ORDER BY rank LIMIT k` computes bm25 for every matching row, and bm25 reads each row's length from
// chunks_fts_docsize (one B-tree lookup per row), then sorts them all. Here an FTS5 auxiliary function
// (folio_top_k) sees each matching row once and keeps a bounded heap of the best k: a row's score can
// be no higher than its score at the shortest length its phrase positions allow (a column with a
// match at token offset o holds at least o + 1 tokens), which needs only the position lists already
// in memory, so rows whose bound is below the k-th best score so far are dropped without the length
// lookup. Scores of the rows that are kept are computed with bm25's own formula, in the same
// floating-point order, so they are bit-identical to bm25(). For a query of one phrase, the phrase's
// row count (for its IDF) comes from this pass instead of a second pass over the phrase, which for a
// prefix term would merge the doclists of every term under the prefix once more.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::ingest {

// bm25 weights of chunks_fts's columns (text, heading), as configured for its rank in schema.cpp.
inline constexpr double kChunkTextWeight = 1.0;
inline constexpr double kChunkHeadingWeight = 4.0;

struct RankedChunk {
  int64_t chunk_id = 0;  // chunks_fts rowid = chunks.id
  double score = 0;      // bm25 (higher is better): -rank
};

// Registers folio_top_k on the connection; Database::open does this for every connection.
Status registerTopKRanking(sqlite3* db);

// The best `limit` chunks for `fts_expression`, best first. Empty when nothing matches. With `only`, the
// best among those chunk ids (scored as in the whole table: the IDF counts every matching row).
Result<std::vector<RankedChunk>> topRankedChunks(Database& db, std::string_view fts_expression, int limit,
                                                 const std::unordered_set<int64_t>* only = nullptr);

}  // namespace folio::ingest
