#include "ingest/library/search.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "ingest/library/cjk_text.h"
#include "ingest/library/fts_prefix_index.h"
#include "ingest/library/fts_top_k.h"

namespace folio::ingest {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid (overlong, surrogate, > U+10FFFF).
size_t utf8Length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) { n = 2; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { n = 3; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { n = 4; cp = b0 & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Valid UTF-8 with control characters (and invalid bytes) turned into spaces.
std::string cleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8Length(s, i);
    if (n == 0) {
      out += ' ';
      ++i;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 1 && (c < 0x20 || c == 0x7F)) out += ' ';
    else out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

bool hasWordCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void addTerm(std::vector<QueryTerm>& terms, std::string_view text, bool phrase, bool prefix) {
  // Trim surrounding spaces; keep the rest verbatim: the tokenizer decides what a word is.
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  if (!hasWordCharacter(text)) return;
  // Each CJK character is indexed as a token of its own (fts_cjk_tokenizer.h), so `日本*` already
  // finds every 日本; as a prefix it would merge the doclists of every character pair starting with 本.
  terms.push_back(QueryTerm{std::string(text), phrase, prefix && !endsWithCjkCharacter(text)});
}

}  // namespace

std::vector<QueryTerm> parseQuery(std::string_view user_text) {
  const std::string text = cleanText(user_text);
  std::vector<QueryTerm> terms;
  size_t i = 0;
  while (i < text.size()) {
    if (isSpace(text[i])) {
      ++i;
      continue;
    }
    if (text[i] == '"') {
      const size_t close = text.find('"', i + 1);
      const size_t end = close == std::string::npos ? text.size() : close;
      addTerm(terms, std::string_view(text).substr(i + 1, end - i - 1), true, false);
      i = close == std::string::npos ? text.size() : close + 1;
      continue;
    }
    size_t end = i;
    while (end < text.size() && !isSpace(text[end]) && text[end] != '"') ++end;
    std::string_view word = std::string_view(text).substr(i, end - i);
    bool prefix = false;
    while (!word.empty() && word.back() == '*') {
      word.remove_suffix(1);
      prefix = true;
    }
    addTerm(terms, word, false, prefix);
    i = end;
  }
  // A repeated term changes nothing about which chunks match but costs a phrase per copy in FTS5's
  // intersection and scoring (a pasted paragraph); keep the first copy. The index folds ASCII case.
  std::unordered_set<std::string> seen;
  std::erase_if(terms, [&](const QueryTerm& t) {
    std::string key = t.text;
    for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    key += t.phrase ? "\x01p" : "\x01w";
    if (t.prefix) key += '*';
    return !seen.insert(std::move(key)).second;
  });
  return terms;
}

std::string ftsExpression(const std::vector<QueryTerm>& terms, bool any_term) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += any_term ? " OR " : " ";
    out += '"';
    for (char c : t.text) {
      if (c == '"') out += '"';  // an FTS5 string doubles its quotes
      out += c;
    }
    out += '"';
    if (t.prefix) out += '*';
  }
  return out;
}

namespace {

constexpr std::string_view kHitSelect =
    "SELECT chunks_fts.rowid, snippet(chunks_fts, 0, ?2, ?3, '…', ?4), c.document_id, c.ordinal, c.kind, c.heading, "
    "c.page_first, c.page_last, c.line_first, c.line_last, d.path, d.rel_path, d.title, col.name "
    "FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN documents d ON d.id = c.document_id "
    "JOIN collections col ON col.id = d.collection_id WHERE chunks_fts MATCH ?1 ";

SearchHit readHit(const Statement& s, double score) {
  SearchHit h;
  h.chunk_id = s.columnInt64(0);
  h.score = score;
  h.snippet = s.columnText(1);
  h.document_id = s.columnInt64(2);
  h.ordinal = s.columnInt(3);
  h.kind = s.columnText(4);
  h.heading = s.columnText(5);
  h.page_first = s.columnInt(6);
  h.page_last = s.columnInt(7);
  h.line_first = s.columnInt(8);
  h.line_last = s.columnInt(9);
  h.path = s.columnText(10);
  h.rel_path = s.columnText(11);
  h.title = s.columnText(12);
  h.collection = s.columnText(13);
  return h;
}

void bindSnippetOptions(Statement& s, const std::string& expression, const SearchOptions& options) {
  s.bind(1, expression)
      .bind(2, options.highlight_open)
      .bind(3, options.highlight_close)
      .bind(4, std::clamp(options.snippet_tokens, 1, 64));
}

// Snippet and provenance of each ranked chunk, one MATCH + rowid lookup per chunk (a seek in each
// term's doclist). A chunk deleted since the ranking is left out.
Result<std::vector<SearchHit>> hitsByLookup(Database& db, const std::string& expression,
                                            const std::vector<RankedChunk>& ranked, const SearchOptions& options) {
  auto s = db.prepare(std::string(kHitSelect) + "AND chunks_fts.rowid = ?5");
  if (!s) return s.error();
  std::vector<SearchHit> hits;
  for (const RankedChunk& r : ranked) {
    bindSnippetOptions(*s, expression, options);
    s->bind(5, r.chunk_id);
    auto row = s->step();
    if (!row) return row.error();
    if (*row) hits.push_back(readHit(*s, r.score));
    s->reset();
  }
  return hits;
}

// The same from one statement that filters the matches by rowid: setting up a prefix term that no
// prefix index serves merges the doclists of every term with that prefix, which is worth doing once
// rather than once per hit. (It steps through every match between the lowest and highest hit, which
// costs more than the lookups when there is no merge to save.)
Result<std::vector<SearchHit>> hitsInOnePass(Database& db, const std::string& expression,
                                             const std::vector<RankedChunk>& ranked, const SearchOptions& options) {
  // "+rowid" keeps the IN list away from FTS5 (which would run the query once per value).
  std::string sql = std::string(kHitSelect) + "AND chunks_fts.rowid BETWEEN ?5 AND ?6 AND +chunks_fts.rowid IN (";
  for (size_t i = 0; i < ranked.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(7 + i);
  sql += ")";
  auto s = db.prepare(sql);
  if (!s) return s.error();
  bindSnippetOptions(*s, expression, options);
  int64_t lo = ranked.front().chunk_id, hi = lo;
  for (size_t i = 0; i < ranked.size(); ++i) {
    lo = std::min(lo, ranked[i].chunk_id);
    hi = std::max(hi, ranked[i].chunk_id);
    s->bind(static_cast<int>(7 + i), ranked[i].chunk_id);
  }
  s->bind(5, lo).bind(6, hi);
  std::vector<std::optional<SearchHit>> slots(ranked.size());  // rows come in rowid order; keep rank order
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    const int64_t id = s->columnInt64(0);
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (ranked[i].chunk_id == id) slots[i] = readHit(*s, ranked[i].score);
    }
  }
  std::vector<SearchHit> hits;
  for (auto& h : slots) {
    if (h) hits.push_back(std::move(*h));
  }
  return hits;
}

// Ranking first (fts_top_k.h: the best `limit` rows without bm25 and a sort over every match), then the
// snippet and provenance of those rows only.
Result<std::vector<SearchHit>> runQuery(Database& db, const std::vector<QueryTerm>& terms, bool any_term,
                                        const SearchOptions& options, const std::unordered_set<int64_t>* only,
                                        std::string& expression) {
  expression = ftsExpression(terms, any_term);
  auto ranked = topRankedChunks(db, expression, options.limit, only);
  if (!ranked) return ranked.error();
  if (ranked->empty()) return std::vector<SearchHit>{};
  bool merges = false;  // a prefix term is answered by merging doclists (fts_prefix_index.h)
  for (const QueryTerm& t : terms) {
    if (!t.prefix || merges) continue;
    auto served = servedByPrefixIndex(db, t.text);
    if (!served) return served.error();
    merges = !*served;
  }
  constexpr size_t kMaxInList = 1000;  // well below SQLite's limit on bound parameters
  return merges && ranked->size() <= kMaxInList ? hitsInOnePass(db, expression, *ranked, options)
                                               : hitsByLookup(db, expression, *ranked, options);
}

// The ids of the chunks of these documents (the search's filter).
Result<std::unordered_set<int64_t>> chunkIdsOf(Database& db, const std::vector<int64_t>& documents) {
  auto s = db.prepare("SELECT id FROM chunks WHERE document_id = ?1");
  if (!s) return s.error();
  std::unordered_set<int64_t> ids;
  for (int64_t d : documents) {
    s->reset();
    s->bind(1, d);
    for (;;) {
      auto row = s->step();
      if (!row) return row.error();
      if (!*row) break;
      ids.insert(s->columnInt64(0));
    }
  }
  return ids;
}

// Holds one read snapshot across the ranking and the detail statements (unless the caller already has a
// transaction open), so a writer committing in between cannot drop or change a ranked hit.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db) : db_(db), own_(!db.inTransaction()) {
    if (own_ && !db_.exec("BEGIN")) own_ = false;  // without it, each statement still reads consistently
  }
  ~ReadSnapshot() {
    if (own_ && db_.inTransaction()) (void)db_.exec("COMMIT");
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Database& db_;
  bool own_;
};

}  // namespace

Result<SearchResult> search(Database& db, std::string_view user_query, const SearchOptions& options) {
  SearchResult result;
  const auto terms = parseQuery(user_query);
  if (terms.empty() || options.limit <= 0) return result;
  const ReadSnapshot snapshot(db);
  std::optional<std::unordered_set<int64_t>> only;
  if (!options.documents.empty()) {
    auto ids = chunkIdsOf(db, options.documents);
    if (!ids) return ids.error();
    only = std::move(*ids);
  }
  const auto* filter = only ? &*only : nullptr;
  auto hits = runQuery(db, terms, options.match_any && terms.size() > 1, options, filter, result.fts_query);
  if (!hits) return hits.error().context("search for `" + std::string(user_query) + "`");
  result.hits = std::move(*hits);
  result.matched_any = options.match_any && terms.size() > 1;
  if (result.hits.empty() && terms.size() > 1 && options.fall_back_to_any && !result.matched_any) {
    result.matched_any = true;
    auto any = runQuery(db, terms, true, options, filter, result.fts_query);
    if (!any) return any.error().context("search for `" + std::string(user_query) + "`");
    result.hits = std::move(*any);
  }
  return result;
}

Result<std::vector<DocumentMatches>> bestChunksByDocument(Database& db, std::string_view user_query,
                                                          const std::vector<int64_t>& documents, int per_document,
                                                          int max_chunks) {
  std::vector<DocumentMatches> out;
  const auto terms = parseQuery(user_query);
  if (terms.empty() || per_document <= 0 || max_chunks <= 0) return out;
  const ReadSnapshot snapshot(db);
  std::optional<std::unordered_set<int64_t>> only;
  if (!documents.empty()) {
    auto ids = chunkIdsOf(db, documents);
    if (!ids) return ids.error();
    only = std::move(*ids);
  }
  auto ranked = topRankedChunks(db, ftsExpression(terms, true), max_chunks, only ? &*only : nullptr);
  if (!ranked) return ranked.error().context("search for `" + std::string(user_query) + "`");
  auto owner = db.prepare("SELECT document_id FROM chunks WHERE id = ?1");
  if (!owner) return owner.error();
  std::unordered_map<int64_t, size_t> at;  // document id -> index in out
  for (const RankedChunk& r : *ranked) {  // best first, so each document's list is too
    owner->reset();
    owner->bind(1, r.chunk_id);
    auto row = owner->step();
    if (!row) return row.error();
    if (!*row) continue;
    const int64_t document = owner->columnInt64(0);
    const auto [it, fresh] = at.try_emplace(document, out.size());
    if (fresh) out.push_back(DocumentMatches{document, {}});
    auto& chunks = out[it->second].chunks;
    if (static_cast<int>(chunks.size()) < per_document) chunks.push_back(r);
  }
  return out;
}

}  // namespace folio::ingest
