// The BPE model of a byte-level tokenizer: a word's bytes start as byte tokens and the adjacent pair with
// the lowest merge rank is merged (leftmost first) until no pair has a merge, as Hugging Face tokenizers
// does. Short words are merged by scanning an array of pair ranks; long ones with a binary heap over a
// linked list of symbols (O(n log n)). Pairs of two byte tokens come from a dense 256x256 table, other
// pairs from an open-addressing hash table. A per-workspace cache makes repeated words one lookup.
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

  // Reusable per-thread state: the word cache and scratch arrays. Its memory is bounded.
  class Workspace {
   public:
    Workspace() = default;

   private:
    friend class BpeModel;
    struct CacheSlot {
      uint64_t hash = 0;
      uint32_t word_offset = 0, ids_offset = 0;
      uint16_t word_length = 0, ids_length = 0;
      bool used = false;
    };
    struct Candidate {
      uint32_t rank;
      int32_t pos;
      TokenId left, right, result;
    };
    const CacheSlot* findCached(std::string_view word, uint64_t hash) const;
    void addCached(std::string_view word, uint64_t hash, const std::vector<TokenId>& ids);

    std::vector<CacheSlot> slots;  // open addressing, power-of-two size (empty until first use)
    size_t used_slots = 0;
    std::string cached_words;      // the cached words' bytes, back to back
    std::vector<TokenId> cached_ids;
    std::vector<TokenId> ids;
    std::vector<uint32_t> ranks;   // short words: rank of the pair starting at each symbol
    std::vector<TokenId> results;  // short words: the token that pair merges into
    std::vector<int32_t> prev, next;
    std::vector<Candidate> heap;
  };

  // Appends the tokens of one pre-token (raw bytes).
  void encodeWord(std::string_view bytes, Workspace& ws, std::vector<TokenId>& out) const;

  size_t mergeCount() const { return pair_count_; }

 private:
  static constexpr uint32_t kNoRank = ~uint32_t{0};
  struct PairSlot {
    uint64_t key = kEmpty;
    uint32_t rank = kNoRank;
    TokenId result = 0;
  };
  struct PairValue {
    uint32_t rank = kNoRank;
    TokenId result = 0;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t pairKey(TokenId left, TokenId right) {
    return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
  }
  PairValue findPair(TokenId left, TokenId right) const;
  void mergeShort(std::string_view bytes, Workspace& ws) const;
  void mergeLong(std::string_view bytes, Workspace& ws) const;

  std::array<TokenId, 256> byte_ids_{};
  std::vector<PairValue> byte_pairs_;  // [256 * 256]: merges of two byte tokens, by the two bytes
  std::vector<PairSlot> pairs_;        // all merges; open addressing, power-of-two size
  size_t pair_count_ = 0;
  std::unordered_map<std::string, TokenId> whole_words_;
};

}  // namespace folio::engine
