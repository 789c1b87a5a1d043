#include "ingest/library/fts_cjk_tokenizer.h"

#include <memory>
#include <new>
#include <string>

#include "ingest/library/cjk_text.h"
#include "ingest/library/database.h"
#include "ingest/library/fts5_api.h"

namespace folio::ingest {
namespace {

using TokenCallback = int (*)(void* ctx, int flags, const char* token, int size, int start, int end);

// An instance: the wrapped tokenizer, created with the arguments after the first one.
struct CjkTokenizer {
  fts5_tokenizer parent{};
  Fts5Tokenizer* parent_instance = nullptr;
};

int createTokenizer(void* api_ptr, const char** argv, int argc, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(api_ptr);
  const char* parent_name = argc > 0 ? argv[0] : "unicode61";
  std::unique_ptr<CjkTokenizer> tokenizer(new (std::nothrow) CjkTokenizer);
  if (!tokenizer) return SQLITE_NOMEM;
  void* parent_data = nullptr;
  int rc = api->xFindTokenizer(api, parent_name, &parent_data, &tokenizer->parent);
  if (rc != SQLITE_OK) return rc;
  rc = tokenizer->parent.xCreate(parent_data, argc > 0 ? argv + 1 : nullptr, argc > 0 ? argc - 1 : 0,
                                 &tokenizer->parent_instance);
  if (rc != SQLITE_OK) return rc;
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer.release());
  return SQLITE_OK;
}

void deleteTokenizer(Fts5Tokenizer* instance) {
  auto* tokenizer = reinterpret_cast<CjkTokenizer*>(instance);
  if (tokenizer->parent_instance) tokenizer->parent.xDelete(tokenizer->parent_instance);
  delete tokenizer;
}

// The wrapped tokenizer sees one non-CJK stretch of the text at a time; its offsets are moved back
// into the whole text.
struct Forward {
  void* ctx;
  TokenCallback token;
  int base;
};

int forwardToken(void* forward, int flags, const char* token, int size, int start, int end) {
  const auto* f = static_cast<const Forward*>(forward);
  return f->token(f->ctx, flags, token, size, f->base + start, f->base + end);
}

// Emits the tokens of the CJK run text[begin, end) (whole characters) as fts_cjk_tokenizer.h describes.
int tokenizeCjkRun(int flags, const std::string_view text, size_t begin, size_t end, void* ctx, TokenCallback token) {
  const int mode = flags & (FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_DOCUMENT | FTS5_TOKENIZE_AUX);
  size_t at = begin;
  while (at < end) {
    const size_t size = cjkCharacterLength(text, at);
    const size_t next = at + size;
    const bool last = next >= end;
    const int start = static_cast<int>(at);
    const int stop = static_cast<int>(next);
    const size_t pair = last ? 0 : size + cjkCharacterLength(text, next);
    int rc = SQLITE_OK;
    if (mode == FTS5_TOKENIZE_QUERY) {
      rc = last ? token(ctx, 0, text.data() + at, static_cast<int>(size), start, stop)
                : token(ctx, 0, text.data() + at, static_cast<int>(pair), start, stop);
    } else {
      rc = token(ctx, 0, text.data() + at, static_cast<int>(size), start, stop);
      // highlight() and snippet() skip colocated tokens: aux tokenizing leaves the pairs out.
      if (rc == SQLITE_OK && !last && mode != FTS5_TOKENIZE_AUX) {
        rc = token(ctx, FTS5_TOKEN_COLOCATED, text.data() + at, static_cast<int>(pair), start, stop);
      }
    }
    if (rc != SQLITE_OK) return rc;
    at = next;
  }
  return SQLITE_OK;
}

int tokenize(Fts5Tokenizer* instance, void* ctx, int flags, const char* data, int size, TokenCallback token) {
  auto* tokenizer = reinterpret_cast<CjkTokenizer*>(instance);
  const std::string_view text(data, size > 0 ? static_cast<size_t>(size) : 0);
  auto other = [&](size_t begin, size_t end) {
    if (begin == end) return SQLITE_OK;
    Forward forward{ctx, token, static_cast<int>(begin)};
    return tokenizer->parent.xTokenize(tokenizer->parent_instance, &forward, flags, data + begin,
                                       static_cast<int>(end - begin), forwardToken);
  };
  size_t other_begin = 0;  // where the text the wrapped tokenizer has not seen yet starts
  size_t at = 0;
  while (at < text.size()) {
    // Bytes below 0xE1 start no CJK character (continuation bytes never do): skip them inline, as
    // Latin text is mostly such bytes.
    if (static_cast<unsigned char>(text[at]) < 0xE1 || cjkCharacterLength(text, at) == 0) {
      ++at;
      continue;
    }
    size_t run_end = at;
    while (const size_t n = cjkCharacterLength(text, run_end)) run_end += n;
    if (int rc = other(other_begin, at); rc != SQLITE_OK) return rc;
    if (int rc = tokenizeCjkRun(flags, text, at, run_end, ctx, token); rc != SQLITE_OK) return rc;
    other_begin = at = run_end;
  }
  return other(other_begin, text.size());
}

}  // namespace

Status registerCjkTokenizer(sqlite3* db) {
  auto api = fts5Api(db);
  if (!api) return api.error();
  fts5_tokenizer methods{createTokenizer, deleteTokenizer, tokenize};
  const std::string name(kCjkTokenizerName);
  if (int rc = (*api)->xCreateTokenizer(*api, name.c_str(), *api, &methods, nullptr); rc != SQLITE_OK) {
    return sqliteError(db, rc, "registering the FTS5 tokenizer " + name);
  }
  return {};
}

}  // namespace folio::ingest
