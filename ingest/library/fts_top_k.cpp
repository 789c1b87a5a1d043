#include "ingest/library/fts_top_k.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

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

// One query's ranking state, owned by topRankedChunks and handed to every folio_top_k call.
struct TopKState {
  size_t k = 0;
  bool ready = false;
  double avgdl = 0;
  std::vector<double> idf;   // per phrase
  std::vector<double> freq;  // per phrase, for the current row
  std::vector<RankedChunk> heap;  // the best rows so far; heap front = the worst of them
};

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
  st.idf.assign(static_cast<size_t>(phrases), 0.0);
  st.freq.assign(static_cast<size_t>(phrases), 0.0);
  for (int i = 0; i < phrases; ++i) {
    int64_t hits = 0;
    if (int rc = api->xQueryPhrase(fts, i, &hits, countRow); rc != SQLITE_OK) return rc;
    double idf = std::log((static_cast<double>(rows) - static_cast<double>(hits) + 0.5) /
                          (static_cast<double>(hits) + 0.5));
    if (idf <= 0.0) idf = 1e-6;
    st.idf[static_cast<size_t>(i)] = idf;
  }
  st.ready = true;
  return SQLITE_OK;
}

// Weighted frequency of each phrase in the current row (bm25's aFreq).
int phraseFrequencies(const Fts5ExtensionApi* api, Fts5Context* fts, TopKState& st) {
  for (size_t i = 0; i < st.freq.size(); ++i) {
    double f = 0;
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    if (int rc = api->xPhraseFirst(fts, static_cast<int>(i), &it, &column, &offset); rc != SQLITE_OK) return rc;
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
      f += static_cast<size_t>(column) < kColumnWeights.size() ? kColumnWeights[static_cast<size_t>(column)] : 1.0;
    }
    st.freq[i] = f;
  }
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
  if (int rc = phraseFrequencies(api, fts, *st); rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  const sqlite3_int64 rowid = api->xRowid(fts);
  const bool full = st->heap.size() >= st->k;
  // bm25 falls as the row gets longer, so its value at length 0 bounds the row's score from above
  // (also after rounding: every operation involved is monotonic).
  if (full && bm25(*st, 0.0) < st->heap.front().score) return;
  int length = 0;
  if (int rc = api->xColumnSize(fts, -1, &length); rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  const RankedChunk row{rowid, bm25(*st, static_cast<double>(length))};
  if (full) {
    if (!ranksBefore(row, st->heap.front())) return;
    std::pop_heap(st->heap.begin(), st->heap.end(), ranksBefore);
    st->heap.back() = row;
  } else {
    st->heap.push_back(row);
  }
  std::push_heap(st->heap.begin(), st->heap.end(), ranksBefore);
}

Result<fts5_api*> fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    rc = sqlite3_step(stmt);
    rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "looking up the FTS5 API");
  if (!api) return Error{ErrorKind::Unsupported, "this SQLite has no FTS5 (needed for the library's search index)"};
  return api;
}

}  // namespace

Status registerTopKRanking(sqlite3* db) {
  auto api = fts5Api(db);
  if (!api) return api.error();
  const int rc = (*api)->xCreateFunction(*api, "folio_top_k", nullptr, topKFunction, nullptr);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "registering folio_top_k");
  return {};
}

Result<std::vector<RankedChunk>> topRankedChunks(Database& db, std::string_view fts_expression, int limit) {
  std::vector<RankedChunk> best;
  if (limit <= 0) return best;
  // folio_top_k returns NULL for every row (FTS5 does not allow auxiliary functions inside aggregates).
  auto s = db.prepare("SELECT folio_top_k(chunks_fts, ?2) FROM chunks_fts WHERE chunks_fts MATCH ?1");
  if (!s) return s.error();
  TopKState state;
  state.k = static_cast<size_t>(limit);
  state.heap.reserve(state.k);
  s->bind(1, fts_expression).bindPointer(2, &state, kStateType);
  FOLIO_TRY(s->run());
  best = std::move(state.heap);
  std::sort(best.begin(), best.end(), ranksBefore);
  return best;
}

}  // namespace folio::ingest
