#include "ingest/library/fts_cjk_tokenizer.h"

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/library/cjk_text.h"
#include "ingest/library/database.h"
#include "ingest/library/fts5_api.h"
#include "ingest/library/identifier_parts.h"

namespace folio::ingest {
namespace {

using TokenCallback = int (*)(void* ctx, int flags, const char* token, int size, int start, int end);

// An instance: the wrapped tokenizer, created with the arguments after the first one (after
// `identifiers`, when that comes first). Identifier parts go through a second instance of it: the
// wrapped tokenizers keep per-instance buffers, so they are not re-entered from their own callback.
struct CjkTokenizer {
  fts5_tokenizer parent{};
  Fts5Tokenizer* parent_instance = nullptr;
  Fts5Tokenizer* parts_instance = nullptr;  // only with `identifiers`
};

void deleteTokenizer(Fts5Tokenizer* instance) {
  auto* tokenizer = reinterpret_cast<CjkTokenizer*>(instance);
  if (tokenizer->parent_instance) tokenizer->parent.xDelete(tokenizer->parent_instance);
  if (tokenizer->parts_instance) tokenizer->parent.xDelete(tokenizer->parts_instance);
  delete tokenizer;
}

int createTokenizer(void* api_ptr, const char** argv, int argc, Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(api_ptr);
  const bool identifiers = argc > 0 && std::string_view(argv[0]) == kIdentifiersOption;
  if (identifiers) {
    ++argv;
    --argc;
  }
  const char* parent_name = argc > 0 ? argv[0] : "unicode61";
  const char** parent_argv = argc > 0 ? argv + 1 : nullptr;
  const int parent_argc = argc > 0 ? argc - 1 : 0;
  std::unique_ptr<CjkTokenizer> tokenizer(new (std::nothrow) CjkTokenizer);
  if (!tokenizer) return SQLITE_NOMEM;
  void* parent_data = nullptr;
  int rc = api->xFindTokenizer(api, parent_name, &parent_data, &tokenizer->parent);
  if (rc != SQLITE_OK) return rc;
  rc = tokenizer->parent.xCreate(parent_data, parent_argv, parent_argc, &tokenizer->parent_instance);
  if (rc == SQLITE_OK && identifiers)
    rc = tokenizer->parent.xCreate(parent_data, parent_argv, parent_argc, &tokenizer->parts_instance);
  if (rc != SQLITE_OK) {
    deleteTokenizer(reinterpret_cast<Fts5Tokenizer*>(tokenizer.release()));
    return rc;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer.release());
  return SQLITE_OK;
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

// A document's word as the wrapped tokenizer returns it, then the tokens of its identifier parts
// (identifier_parts.h) colocated with it, each different token once.
struct IdentifierForward {
  Forward forward;
  const char* text;  // the whole text `forward.base` is an offset into
  const CjkTokenizer* tokenizer;
};

// One part's tokens: `forward.base` is the part's offset in the whole text.
struct PartForward {
  Forward forward;
  std::vector<std::string>* emitted;  // the word's token and its parts' tokens so far
};

int emitPart(void* state, int /*flags*/, const char* token, int size, int start, int end) {
  auto* p = static_cast<PartForward*>(state);
  const std::string_view t(token, static_cast<size_t>(size));
  if (std::find(p->emitted->begin(), p->emitted->end(), t) != p->emitted->end()) return SQLITE_OK;
  p->emitted->emplace_back(t);
  return p->forward.token(p->forward.ctx, FTS5_TOKEN_COLOCATED, token, size, p->forward.base + start,
                          p->forward.base + end);
}

int forwardWithParts(void* state, int flags, const char* token, int size, int start, int end) {
  const auto* f = static_cast<const IdentifierForward*>(state);
  const int word_begin = f->forward.base + start;
  int rc = f->forward.token(f->forward.ctx, flags, token, size, word_begin, f->forward.base + end);
  if (rc != SQLITE_OK) return rc;
  const std::string_view word(f->text + word_begin, static_cast<size_t>(end - start));
  const auto parts = identifierParts(word);
  if (parts.empty()) return SQLITE_OK;
  std::vector<std::string> emitted{std::string(token, static_cast<size_t>(size))};
  for (const auto& part : parts) {
    PartForward p{Forward{f->forward.ctx, f->forward.token, word_begin + static_cast<int>(part.offset)}, &emitted};
    rc = f->tokenizer->parent.xTokenize(f->tokenizer->parts_instance, &p, FTS5_TOKENIZE_DOCUMENT,
                                        word.data() + part.offset, static_cast<int>(part.size), emitPart);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
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
  // Identifier parts are indexed, not asked for: a query word `activeExpireCycle` finds the word
  // itself, and `expire` finds it through its part.
  const bool parts = tokenizer->parts_instance && (flags & FTS5_TOKENIZE_DOCUMENT);
  auto other = [&](size_t begin, size_t end) {
    if (begin == end) return SQLITE_OK;
    Forward forward{ctx, token, static_cast<int>(begin)};
    if (parts) {
      IdentifierForward with_parts{forward, data, tokenizer};
      return tokenizer->parent.xTokenize(tokenizer->parent_instance, &with_parts, flags, data + begin,
                                         static_cast<int>(end - begin), forwardWithParts);
    }
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
