// Fuzzes the folio_cjk FTS5 tokenizer over document text (untrusted bytes, invalid UTF-8 included):
// the first line of the input is a query, the rest a document. Checks, in every tokenizing mode, that
// offsets lie inside the text and that positions (tokens not colocated) come in order without
// overlapping, and that the document, query and aux modes agree on the number of positions (phrases
// and snippets depend on it); then indexes the document in an FTS5 table, searches it for the query,
// checks that highlight() gives back the document exactly once the markers are removed, and that the
// index passes FTS5's integrity check (which tokenizes the row again, identifier parts included).
// The tokenizer is configured as chunks_fts is (schema.h, kChunkTokenizer).
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/library/database.h"
#include "ingest/library/fts5_api.h"
#include "ingest/library/schema.h"

namespace {

using namespace folio::ingest;

struct Check {
  std::string_view text;
  int positions = 0;
  int last_end = 0;
};

int checkToken(void* ctx, int flags, const char* token, int size, int start, int end) {
  auto* c = static_cast<Check*>(ctx);
  if (size <= 0 || !token || start < 0 || start > end || static_cast<size_t>(end) > c->text.size()) std::abort();
  if (flags & FTS5_TOKEN_COLOCATED) {
    if (c->positions == 0) std::abort();  // a colocated token needs a position to share
    return SQLITE_OK;
  }
  if (start < c->last_end) std::abort();  // highlight() walks positions forward through the text
  c->last_end = end;
  ++c->positions;
  return SQLITE_OK;
}

struct Fixture {
  Database db;
  fts5_tokenizer methods{};
  Fts5Tokenizer* tokenizer = nullptr;
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto db = Database::open(":memory:");
    if (!db || !db->exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='" + std::string(kChunkTokenizer) + "')"))
      std::abort();
    auto* fx = new Fixture{std::move(*db)};
    auto api = fts5Api(fx->db.handle());
    void* user_data = nullptr;
    if (!api || (*api)->xFindTokenizer(*api, "folio_cjk", &user_data, &fx->methods) != SQLITE_OK) std::abort();
    const char* args[] = {"identifiers", "porter", "unicode61", "remove_diacritics", "2"};
    if (kChunkTokenizer != "folio_cjk identifiers porter unicode61 remove_diacritics 2") std::abort();
    if (fx->methods.xCreate(user_data, args, 5, &fx->tokenizer) != SQLITE_OK) std::abort();
    return fx;
  }();
  return *f;
}

int positions(std::string_view text, int mode) {
  Fixture& f = fixture();
  Check c{text};
  if (f.methods.xTokenize(f.tokenizer, &c, mode, text.data(), static_cast<int>(text.size()), checkToken) != SQLITE_OK)
    std::abort();
  return c.positions;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view query = nl == std::string_view::npos ? std::string_view() : in.substr(0, nl);
  const std::string_view doc = nl == std::string_view::npos ? in : in.substr(nl + 1);
  const int n = positions(doc, FTS5_TOKENIZE_DOCUMENT);
  if (positions(doc, FTS5_TOKENIZE_AUX) != n || positions(doc, FTS5_TOKENIZE_QUERY) != n) std::abort();
  (void)positions(query, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX);

  // Markers and NUL would be ambiguous in the round trip below.
  if (in.find_first_of(std::string_view("\0\x01\x02", 3)) != std::string_view::npos) return 0;
  Database& db = fixture().db;
  auto insert = db.prepare("INSERT INTO t(rowid, x) VALUES (1, ?1)");
  if (!insert || !insert->bind(1, doc).run()) std::abort();
  auto find = db.prepare("SELECT highlight(t, 0, char(1), char(2)) FROM t WHERE t MATCH ?1");
  if (!find) std::abort();
  find->bind(1, query.empty() ? std::string("x") : quoted(query));
  auto row = find->step();
  if (!row) std::abort();
  if (*row) {
    std::string plain;
    for (char c : find->columnTextView(0)) {
      if (c != '\x01' && c != '\x02') plain += c;
    }
    if (plain != doc) std::abort();
  }
  find->reset();
  if (!db.exec("INSERT INTO t(t) VALUES('integrity-check')")) std::abort();
  if (!db.exec("DELETE FROM t")) std::abort();
  return 0;
}
