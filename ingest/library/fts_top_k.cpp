#include "ingest/library/fts_top_k.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "ingest/library/fts5_api.h"

namespace folio::ingest {
namespace {

constexpr char kStateType[] = "folio_top_k_state";  // sqlite3_bind_pointer type tag
constexpr double kK1 = 1.2;                           // bm25 constants, as in FTS5's bm25()
constexpr double kB = 0.75;
constexpr std::array<double, 2> kColumnWeights{kChunkTextWeight, kChunkHeadingWeight};

// "a ranks before b": higher score, then lower rowid (the order `ORDER BY rank` returns ties in).
bool ranksBefore(const RankedChunk& a, const RankedChunk& b) {
  return a.score > b.score || (a.score == b.score && a.chunk_id < b.chunk_id);
}

// Two scores this close (relative) may become equal once multiplied by the IDF: 4x the rounding error.
constexpr double kNearTie = 0x1p-50;

// One query's ranking state, owned by topRankedChunks and handed to every folio_top_k call.
//
// bm25 needs each phrase's IDF, from the number of rows holding the phrase, which FTS5 counts with a
// pass of its own over the phrase (for a prefix: another merge of every term under it). A query of one
// phrase visits exactly those rows, so there the count comes from this pass: rows are ranked by bm25
// with an IDF of 1 (bm25 = IDF x that, the same order), and the real IDF is applied at the end. Rows
// whose unit score comes within kNearTie of the k-th are kept aside, because the multiplication can
// round two such scores to the same value, which then ranks by rowid.
struct TopKState {
  size_t k = 0;
  const std::unordered_set<int64_t>* only = nullptr;  // rows outside it are counted, never kept
  bool ready = false;
  bool deferred_idf = false;  // one phrase: IDF from rows_seen at the end
  int64_t table_rows = 0;
  int64_t rows_seen = 0;
  double avgdl = 0;
  std::vector<double> idf;   // per phrase
  std::vector<double> freq;  // per phrase, for the current row
  int min_length = 0;        // the current row's length as far as its phrase positions prove it
  std::vector<RankedChunk> heap;  // the best rows so far; heap front = the worst of them
  std::vector<RankedChunk> near_ties;  // deferred_idf: rows that missed the heap by less than kNearTie
};

double bm25Idf(int64_t rows, int64_t hits) {
  const double idf = std::log((static_cast<double>(rows) - static_cast<double>(hits) + 0.5) /
                              (static_cast<double>(hits) + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

int countRow(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<int64_t*>(user);
  return SQLITE_OK;
}

// Average row length and per-phrase IDF, computed exactly as FTS5's fts5Bm25GetData does.
int prepare(const Fts5ExtensionApi* api, Fts5Context* fts, TopKState& st) {
  const int phrases = api->xPhraseCount(fts);
  sqlite3_int64 rows = 0, tokens = 0;
  if (int rc = api->xRowCount(fts, &rows); rc != SQLITE_OK) return rc;
  if (int rc = api->xColumnTotalSize(fts, -1, &tokens); rc != SQLITE_OK) return rc;
  st.avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
  st.table_rows = rows;
  st.idf.assign(static_cast<size_t>(phrases), 1.0);
  st.freq.assign(static_cast<size_t>(phrases), 0.0);
  st.deferred_idf = phrases == 1;
  for (int i = 0; i < phrases && !st.deferred_idf; ++i) {
    int64_t hits = 0;
    if (int rc = api->xQueryPhrase(fts, i, &hits, countRow); rc != SQLITE_OK) return rc;
    st.idf[static_cast<size_t>(i)] = bm25Idf(rows, hits);
  }
  st.ready = true;
  return SQLITE_OK;
}

// Weighted frequency of each phrase in the current row (bm25's aFreq), and a lower bound on the row's
// length from the same positions: a column holding a phrase at token offset o has at least o + 1 tokens.
int phraseFrequencies(const Fts5ExtensionApi* api, Fts5Context* fts, TopKState& st) {
  std::array<int, kColumnWeights.size()> column_min{};  // tokens proven per column (0: none seen)
  for (size_t i = 0; i < st.freq.size(); ++i) {
    double f = 0;
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    if (int rc = api->xPhraseFirst(fts, static_cast<int>(i), &it, &column, &offset); rc != SQLITE_OK) return rc;
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
      const auto c = static_cast<size_t>(column);
      f += c < kColumnWeights.size() ? kColumnWeights[c] : 1.0;
      if (c < column_min.size()) column_min[c] = std::max(column_min[c], offset + 1);
    }
    st.freq[i] = f;
  }
  st.min_length = 0;
  for (int n : column_min) st.min_length += n;
  return SQLITE_OK;
}

// bm25 for a row of `length` tokens; the expression is bm25's, term for term, so the result is too.
double bm25(const TopKState& st, double length) {
  double score = 0.0;
  for (size_t i = 0; i < st.freq.size(); ++i) {
    score += st.idf[i] * ((st.freq[i] * (kK1 + 1.0)) / (st.freq[i] + kK1 * (1 - kB + kB * length / st.avgdl)));
  }
  return score;
}

void topKFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* st = argc == 1 ? static_cast<TopKState*>(sqlite3_value_pointer(argv[0], kStateType)) : nullptr;
  if (!st) {
    sqlite3_result_error(ctx, "folio_top_k: called without its ranking state", -1);
    return;
  }
  if (!st->ready) {
    if (int rc = prepare(api, fts, *st); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  ++st->rows_seen;
  const sqlite3_int64 rowid = api->xRowid(fts);
  if (st->only && !st->only->count(rowid)) return;
  if (int rc = phraseFrequencies(api, fts, *st); rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  const bool full = st->heap.size() >= st->k;
  // Rows scoring below this cannot make the result (with a deferred IDF: nor tie with its last row).
  const double cut = !full ? 0.0 : st->deferred_idf ? st->heap.front().score * (1 - kNearTie) : st->heap.front().score;
  // bm25 falls as the row gets longer, so its value at the length the positions prove bounds the row's
  // score from above (also after rounding: every operation involved is monotonic). For a common term
  // this spares most length lookups: a row holding it twice, the second time at token 30, cannot
  // outscore a short row that holds it three times.
  if (full && bm25(*st, static_cast<double>(st->min_length)) < cut) return;
  int length = 0;
  if (int rc = api->xColumnSize(fts, -1, &length); rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  RankedChunk row{rowid, bm25(*st, static_cast<double>(length))};
  if (full) {
    if (!ranksBefore(row, st->heap.front())) {
      if (st->deferred_idf && row.score >= cut) st->near_ties.push_back(row);
      return;
    }
    std::pop_heap(st->heap.begin(), st->heap.end(), ranksBefore);
    std::swap(st->heap.back(), row);  // `row` is now the one evicted
    std::push_heap(st->heap.begin(), st->heap.end(), ranksBefore);
    if (st->deferred_idf && row.score >= st->heap.front().score * (1 - kNearTie)) st->near_ties.push_back(row);
    return;
  }
  st->heap.push_back(row);
  std::push_heap(st->heap.begin(), st->heap.end(), ranksBefore);
}

// The k best of the pass, with bm25 scores: with a deferred IDF, the heap and the near ties scaled by
// the IDF of the rows counted (bm25's `0.0 + idf * x`, the same rounding) and ranked again.
std::vector<RankedChunk> finish(TopKState& st) {
  std::vector<RankedChunk> best = std::move(st.heap);
  if (st.deferred_idf && !best.empty()) {
    const double kth = best.front().score;  // heap front: the worst kept
    for (const RankedChunk& r : st.near_ties) {
      if (r.score >= kth * (1 - kNearTie)) best.push_back(r);
    }
    const double idf = bm25Idf(st.table_rows, st.rows_seen);
    for (RankedChunk& r : best) r.score = 0.0 + idf * r.score;
  }
  std::sort(best.begin(), best.end(), ranksBefore);
  if (best.size() > st.k) best.resize(st.k);
  return best;
}

}  // namespace

Status registerTopKRanking(sqlite3* db) {
  auto api = fts5Api(db);
  if (!api) return api.error();
  const int rc = (*api)->xCreateFunction(*api, "folio_top_k", nullptr, topKFunction, nullptr);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "registering folio_top_k");
  return {};
}

Result<std::vector<RankedChunk>> topRankedChunks(Database& db, std::string_view fts_expression, int limit,
                                                 const std::unordered_set<int64_t>* only) {
  if (limit <= 0) return std::vector<RankedChunk>{};
  // folio_top_k returns NULL for every row, so the WHERE clause drops them all and the statement yields
  // one row, once: as a result column it would hand every matching row back through sqlite3_step. (FTS5
  // does not allow auxiliary functions inside aggregates, but in the WHERE clause they run per row.)
  auto s = db.prepare(
      "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?1 AND folio_top_k(chunks_fts, ?2) IS NOT NULL");
  if (!s) return s.error();
  TopKState state;
  state.k = static_cast<size_t>(limit);
  state.only = only;
  if (only && only->empty()) return std::vector<RankedChunk>{};
  state.heap.reserve(std::min(state.k, only ? only->size() : state.k));
  s->bind(1, fts_expression).bindPointer(2, &state, kStateType);
  FOLIO_TRY(s->run());
  return finish(state);
}

}  // namespace folio::ingest
