#include "ingest/library/fts_prefix_index.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/library/fts5_api.h"
#include "ingest/library/schema.h"

namespace folio::ingest {
namespace {

// The words of kChunkTokenizer: the tokenizer's name, then its arguments.
std::vector<std::string> tokenizerWords() {
  std::vector<std::string> words;
  std::string_view spec = kChunkTokenizer;
  while (!spec.empty()) {
    const size_t end = std::min(spec.find(' '), spec.size());
    if (end > 0) words.emplace_back(spec.substr(0, end));
    spec.remove_prefix(std::min(end + 1, spec.size()));
  }
  return words;
}

size_t utf8Characters(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Error tokenizerError(Database& db, int rc, const std::string& what) {
  return Error{ErrorKind::Internal, db.name() + ": " + what + ": " + sqlite3_errstr(rc)};
}

int keepLastToken(void* last, int /*flags*/, const char* token, int size, int /*start*/, int /*end*/) {
  static_cast<std::string*>(last)->assign(token, static_cast<size_t>(size));
  return SQLITE_OK;
}

}  // namespace

Result<bool> servedByPrefixIndex(Database& db, std::string_view prefix) {
  auto api = fts5Api(db.handle());
  if (!api) return api.error();
  const auto words = tokenizerWords();
  void* user_data = nullptr;
  fts5_tokenizer methods{};
  if (int rc = (*api)->xFindTokenizer(*api, words.front().c_str(), &user_data, &methods); rc != SQLITE_OK) {
    return tokenizerError(db, rc, "finding the FTS5 tokenizer `" + words.front() + "`");
  }
  std::vector<const char*> args;
  for (size_t i = 1; i < words.size(); ++i) args.push_back(words[i].c_str());
  Fts5Tokenizer* tokenizer = nullptr;
  if (int rc = methods.xCreate(user_data, args.data(), static_cast<int>(args.size()), &tokenizer);
      rc != SQLITE_OK) {
    return tokenizerError(db, rc, "creating the FTS5 tokenizer `" + std::string(kChunkTokenizer) + "`");
  }
  // Only the last token of a term carries the '*' (`foo-bar*` is the phrase "foo bar*").
  std::string last;
  const int rc = methods.xTokenize(tokenizer, &last, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                                   prefix.data(), static_cast<int>(prefix.size()), keepLastToken);
  methods.xDelete(tokenizer);
  if (rc != SQLITE_OK)
    return tokenizerError(db, rc, "tokenizing the prefix query term `" + std::string(prefix) + "`");
  const size_t length = utf8Characters(last);
  return !last.empty() && std::any_of(kChunkPrefixLengths.begin(), kChunkPrefixLengths.end(),
                                      [&](int n) { return static_cast<size_t>(n) == length; });
}

}  // namespace folio::ingest
