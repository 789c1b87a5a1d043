// A Hugging Face byte-level BPE tokenizer (GPT-2 / MiniMax style): vocabulary, merges, added tokens,
// pre-tokenizer steps and the ByteLevel decoder, loaded from tokenizer.json or built from parts.
//
// Encoding: added tokens are cut out of the raw text first (leftmost, longest); the text between them
// is pre-tokenized (pre_tokenizer.h) and each pre-token's bytes are merged by BPE (bpe_model.h). Any
// byte sequence encodes, invalid UTF-8 included, and decode(encode(x)) == x byte for byte.
// Thread safety: a Tokenizer is immutable after creation; encode/decode may run on many threads.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/common/result.h"
#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/bpe_model.h"
#include "engine/tokenizer/pre_tokenizer.h"

namespace folio::engine {

// Everything a byte-level BPE tokenizer is made of. tokenizer.json loading fills one of these; tests
// and tools can build one directly (e.g. from a merges.txt).
struct TokenizerSpec {
  std::vector<std::pair<std::string, TokenId>> vocab;        // token in the byte-level alphabet -> id
  std::vector<std::pair<std::string, std::string>> merges;   // by rank
  std::vector<AddedToken> added_tokens;
  PreTokenizerConfig pre_tokenizer;
  bool ignore_merges = false;  // a pre-token that is itself in the vocabulary is taken whole
};

// Whether added tokens marked special are recognised in text given to encode. Document text from users
// should use AsText so that a literal "<end_of_sentence>" in a file cannot end a turn.
enum class SpecialTokens { Parse, AsText };

struct DecodeOptions {
  bool skip_special = false;
};

class Tokenizer {
 public:
  // Ids above this are refused: they would make the id tables absurdly large.
  static constexpr TokenId kMaxTokenId = (1 << 24) - 1;

  // Errors name the field ("model.merges[12]: ...") and are BadInput or Unsupported.
  static Result<Tokenizer> create(const TokenizerSpec& spec);
  // Parses tokenizer.json text; `source` (a file name) prefixes every error message.
  static Result<Tokenizer> fromJson(std::string_view json_text, const std::string& source);
  static Result<Tokenizer> fromFile(const std::filesystem::path& path);

  std::vector<TokenId> encode(std::string_view text, SpecialTokens specials = SpecialTokens::Parse) const;

  // The bytes the ids stand for (specials as their content). Ids that name no token are skipped.
  // The result is not necessarily valid UTF-8 (see IncrementalDecoder for text to show).
  std::string decode(std::span<const TokenId> ids, DecodeOptions options = {}) const;

  // The id of an added token's content or of a vocabulary entry (byte-level alphabet).
  std::optional<TokenId> tokenId(std::string_view token) const;
  // The id of a special (added) token by its content, e.g. "<end_of_sentence>".
  std::optional<TokenId> specialTokenId(std::string_view content) const;
  // As specialTokenId, with an error naming the token when the tokenizer lacks it.
  Result<TokenId> requireSpecialToken(std::string_view content) const;

  bool isSpecial(TokenId id) const;
  bool isKnown(TokenId id) const;
  // The raw bytes of one token; empty for an unknown id.
  std::string_view tokenBytes(TokenId id) const;
  // 1 + the highest id in use.
  size_t vocabSize() const { return token_offsets_.size() - 1; }
  size_t mergeCount() const { return bpe_.mergeCount(); }
  const std::vector<AddedToken>& addedTokens() const { return added_tokens_; }

 private:
  friend class StreamEncoder;
  Tokenizer() = default;

  std::unordered_map<std::string, TokenId> vocab_;           // alphabet string -> id
  std::vector<AddedToken> added_tokens_;
  AddedTokenMatcher added_matcher_;
  PreTokenizer pre_tokenizer_;
  BpeModel bpe_;
  std::string token_bytes_;              // every token's raw bytes, back to back
  std::vector<uint32_t> token_offsets_;  // [vocabSize()+1] into token_bytes_
  std::vector<uint8_t> token_flags_;     // [vocabSize()] kKnown | kSpecial
  static constexpr uint8_t kKnown = 1, kSpecial = 2;
};

}  // namespace folio::engine
