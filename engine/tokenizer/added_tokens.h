// Added tokens (specials such as <end_of_sentence>, <think>) are found in the raw text before
// pre-tokenization: the leftmost occurrence wins, and among tokens starting there the longest.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/bpe_model.h"

namespace folio::engine {

struct AddedToken {
  TokenId id = 0;
  std::string content;
  bool special = true;  // specials can be skipped when decoding and kept as text when encoding
};

class AddedTokenMatcher {
 public:
  struct Hit {
    size_t start = 0, length = 0;
    TokenId id = 0;
  };

  AddedTokenMatcher() = default;
  // Tokens with empty content are ignored (the tokenizer refuses them before).
  explicit AddedTokenMatcher(const std::vector<AddedToken>& tokens);

  // The leftmost-longest token that starts in [from, start_limit) and ends within text. With
  // !include_special only non-special added tokens are considered.
  std::optional<Hit> find(std::string_view text, size_t from, size_t start_limit, bool include_special) const;

  // The longest content considered with include_special (0 when there is none).
  size_t maxLength(bool include_special) const { return include_special ? max_all_ : max_plain_; }

 private:
  std::vector<AddedToken> tokens_;
  std::array<std::vector<uint32_t>, 256> by_first_byte_;  // indexes into tokens_, longest first
  size_t max_all_ = 0, max_plain_ = 0;
};

}  // namespace folio::engine
