#include "ingest/library/search.h"

#include <algorithm>

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
  terms.push_back(QueryTerm{std::string(text), phrase, prefix});
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

Result<std::vector<SearchHit>> runQuery(Database& db, const std::string& expression, const SearchOptions& options) {
  // The inner query lets FTS5 sort by rank and stop at the limit; snippets are made for those rows only.
  auto s = db.prepare(
      "SELECT f.rowid, f.rank, f.snip, c.document_id, c.ordinal, c.kind, c.heading, c.page_first, c.page_last, "
      "c.line_first, c.line_last, d.path, d.rel_path, d.title, col.name "
      "FROM (SELECT rowid, rank, snippet(chunks_fts, 0, ?2, ?3, '…', ?4) AS snip FROM chunks_fts "
      "      WHERE chunks_fts MATCH ?1 ORDER BY rank LIMIT ?5) AS f "
      "JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id "
      "JOIN collections col ON col.id = d.collection_id ORDER BY f.rank");
  if (!s) return s.error();
  s->bind(1, expression)
      .bind(2, options.highlight_open)
      .bind(3, options.highlight_close)
      .bind(4, std::clamp(options.snippet_tokens, 1, 64))
      .bind(5, std::max(options.limit, 0));
  std::vector<SearchHit> hits;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    SearchHit h;
    h.chunk_id = s->columnInt64(0);
    h.score = -s->columnDouble(1);
    h.snippet = s->columnText(2);
    h.document_id = s->columnInt64(3);
    h.ordinal = s->columnInt(4);
    h.kind = s->columnText(5);
    h.heading = s->columnText(6);
    h.page_first = s->columnInt(7);
    h.page_last = s->columnInt(8);
    h.line_first = s->columnInt(9);
    h.line_last = s->columnInt(10);
    h.path = s->columnText(11);
    h.rel_path = s->columnText(12);
    h.title = s->columnText(13);
    h.collection = s->columnText(14);
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace

Result<SearchResult> search(Database& db, std::string_view user_query, const SearchOptions& options) {
  SearchResult result;
  const auto terms = parseQuery(user_query);
  if (terms.empty() || options.limit <= 0) return result;
  result.fts_query = ftsExpression(terms, false);
  auto hits = runQuery(db, result.fts_query, options);
  if (!hits) return hits.error().context("search for `" + std::string(user_query) + "`");
  result.hits = std::move(*hits);
  if (result.hits.empty() && terms.size() > 1 && options.fall_back_to_any) {
    result.fts_query = ftsExpression(terms, true);
    result.matched_any = true;
    auto any = runQuery(db, result.fts_query, options);
    if (!any) return any.error().context("search for `" + std::string(user_query) + "`");
    result.hits = std::move(*any);
  }
  return result;
}

}  // namespace folio::ingest
