// The BPE model of a byte-level tokenizer: a word's bytes start as byte tokens and the adjacent pair with
// the lowest merge rank is merged (leftmost first) until no pair has a merge, as Hugging Face tokenizers
// does. A binary heap of candidate pairs over a linked list of symbols keeps this O(n log n) per word; a
// per-workspace cache makes repeated words one hash lookup.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace folio::engine {

using TokenId = int32_t;

class BpeModel {
 public:
  struct Merge {
    TokenId left = 0, right = 0, result = 0;
  };

  BpeModel() = default;
  // byte_ids[b]: the token of byte b. merges: by rank (index = rank); for a pair listed twice the later
  // rank wins, as in tokenizers. whole_words (optional, for ignore_merges): raw bytes -> id of words
  // that are taken from the vocabulary as they are.
  BpeModel(const std::array<TokenId, 256>& byte_ids, const std::vector<Merge>& merges,
           std::unordered_map<std::string, TokenId> whole_words = {});

  // Reusable per-thread state: the word cache and the symbol arrays.
  class Workspace {
   public:
    Workspace() = default;

   private:
    friend class BpeModel;
    struct StringHash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct CachedIds {
      uint32_t offset = 0, length = 0;
    };
    struct Candidate {
      uint32_t rank;
      int32_t pos;
      TokenId left, right, result;
    };
    std::unordered_map<std::string, CachedIds, StringHash, std::equal_to<>> cache;
    std::vector<TokenId> cached_ids;
    std::vector<TokenId> ids;
    std::vector<int32_t> prev, next;
    std::vector<Candidate> heap;
  };

  // Appends the tokens of one pre-token (raw bytes).
  void encodeWord(std::string_view bytes, Workspace& ws, std::vector<TokenId>& out) const;

  size_t mergeCount() const { return pair_count_; }

 private:
  struct PairSlot {
    uint64_t key = kEmpty;
    uint32_t rank = 0;
    TokenId result = 0;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t pairKey(TokenId left, TokenId right) {
    return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
  }
  const PairSlot* findPair(TokenId left, TokenId right) const;
  void mergeAll(Workspace& ws) const;

  std::array<TokenId, 256> byte_ids_{};
  std::vector<PairSlot> pairs_;  // open addressing, power-of-two size
  size_t pair_count_ = 0;
  std::unordered_map<std::string, TokenId> whole_words_;
};

}  // namespace folio::engine
