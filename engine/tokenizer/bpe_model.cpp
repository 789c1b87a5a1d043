#include "engine/tokenizer/bpe_model.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace folio::engine {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64 finaliser: spreads pair keys over the table
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Words up to this many bytes are merged by scanning (cheaper than a heap when n is small).
constexpr size_t kShortWordBytes = 48;
// Words longer than this are not cached (they are rare and would bloat the cache).
constexpr size_t kMaxCachedWordBytes = 256;
// Cache bounds: the table stops growing here and is emptied when full, so memory stays bounded.
constexpr size_t kMaxCacheSlots = size_t{1} << 18;
constexpr size_t kMaxCachedIds = size_t{4} << 20;

}  // namespace

BpeModel::BpeModel(const std::array<TokenId, 256>& byte_ids, const std::vector<Merge>& merges,
                   std::unordered_map<std::string, TokenId> whole_words)
    : byte_ids_(byte_ids), whole_words_(std::move(whole_words)) {
  pairs_.assign(std::bit_ceil(std::max<size_t>(16, merges.size() * 2)), PairSlot{});
  const size_t mask = pairs_.size() - 1;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const Merge& m = merges[rank];
    const uint64_t key = pairKey(m.left, m.right);
    size_t i = mix(key) & mask;
    while (pairs_[i].key != kEmpty && pairs_[i].key != key) i = (i + 1) & mask;
    if (pairs_[i].key == kEmpty) ++pair_count_;
    pairs_[i] = {key, static_cast<uint32_t>(rank), m.result};
  }
  byte_pairs_.resize(256 * 256);
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) byte_pairs_[a * 256 + b] = findPair(byte_ids_[a], byte_ids_[b]);
  }
}

BpeModel::PairValue BpeModel::findPair(TokenId left, TokenId right) const {
  const uint64_t key = pairKey(left, right);
  const size_t mask = pairs_.size() - 1;
  for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    if (pairs_[i].key == key) return {pairs_[i].rank, pairs_[i].result};
    if (pairs_[i].key == kEmpty) return {};
  }
}

// Lowest rank first, leftmost among equal ranks: the same order as the heap in mergeLong.
void BpeModel::mergeShort(std::string_view bytes, Workspace& ws) const {
  const size_t n = bytes.size();
  auto& ids = ws.ids;
  auto& ranks = ws.ranks;
  auto& results = ws.results;
  ids.resize(n);
  ranks.resize(n);
  results.resize(n);
  for (size_t i = 0; i < n; ++i) ids[i] = byte_ids_[static_cast<uint8_t>(bytes[i])];
  for (size_t i = 0; i + 1 < n; ++i) {
    const PairValue p = byte_pairs_[static_cast<uint8_t>(bytes[i]) * 256 + static_cast<uint8_t>(bytes[i + 1])];
    ranks[i] = p.rank;
    results[i] = p.result;
  }
  ranks[n - 1] = kNoRank;  // no pair starts at the last symbol
  size_t count = n;
  while (count > 1) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < count; ++i) {
      if (ranks[i] < ranks[best]) best = i;
    }
    if (ranks[best] == kNoRank) break;
    ids[best] = results[best];
    // Drop symbol best+1 (and the pair that started there).
    for (size_t i = best + 1; i + 1 < count; ++i) {
      ids[i] = ids[i + 1];
      ranks[i] = ranks[i + 1];
      results[i] = results[i + 1];
    }
    --count;
    ranks[count - 1] = kNoRank;
    const auto refresh = [&](size_t i) {
      const PairValue p = findPair(ids[i], ids[i + 1]);
      ranks[i] = p.rank;
      results[i] = p.result;
    };
    if (best > 0) refresh(best - 1);
    if (best + 1 < count) refresh(best);
  }
  ids.resize(count);
}

void BpeModel::mergeLong(std::string_view bytes, Workspace& ws) const {
  const auto n = static_cast<int32_t>(bytes.size());
  ws.ids.resize(n);
  ws.prev.resize(n);
  ws.next.resize(n);
  for (int32_t i = 0; i < n; ++i) {
    ws.ids[i] = byte_ids_[static_cast<uint8_t>(bytes[i])];
    ws.prev[i] = i - 1;
    ws.next[i] = i + 1 < n ? i + 1 : -1;
  }
  // Min-heap on (rank, position): the lowest rank first, the leftmost among equal ranks.
  const auto later = [](const Workspace::Candidate& a, const Workspace::Candidate& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  auto& heap = ws.heap;
  heap.clear();
  const auto push = [&](int32_t pos, int32_t right, PairValue p) {
    if (p.rank == kNoRank) return;
    heap.push_back({p.rank, pos, ws.ids[pos], ws.ids[right], p.result});
    std::push_heap(heap.begin(), heap.end(), later);
  };
  for (int32_t i = 0; i + 1 < n; ++i) {
    push(i, i + 1, byte_pairs_[static_cast<uint8_t>(bytes[i]) * 256 + static_cast<uint8_t>(bytes[i + 1])]);
  }
  const auto consider = [&](int32_t pos) {
    const int32_t right = ws.next[pos];
    if (right >= 0) push(pos, right, findPair(ws.ids[pos], ws.ids[right]));
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Workspace::Candidate c = heap.back();
    heap.pop_back();
    // Skip candidates whose symbols changed since they were queued.
    const int32_t right = ws.next[c.pos];
    if (ws.ids[c.pos] != c.left || right < 0 || ws.ids[right] != c.right) continue;
    ws.ids[c.pos] = c.result;
    ws.ids[right] = -1;
    ws.next[c.pos] = ws.next[right];
    if (ws.next[right] >= 0) ws.prev[ws.next[right]] = c.pos;
    if (ws.prev[c.pos] >= 0) consider(ws.prev[c.pos]);
    consider(c.pos);
  }
  std::erase(ws.ids, TokenId{-1});
}

const BpeModel::Workspace::CacheSlot* BpeModel::Workspace::findCached(std::string_view word, uint64_t hash) const {
  if (slots.empty()) return nullptr;
  const size_t mask = slots.size() - 1;
  for (size_t i = hash & mask; slots[i].used; i = (i + 1) & mask) {
    const CacheSlot& s = slots[i];
    if (s.hash == hash && s.word_length == word.size() &&
        std::memcmp(cached_words.data() + s.word_offset, word.data(), word.size()) == 0) {
      return &s;
    }
  }
  return nullptr;
}

void BpeModel::Workspace::addCached(std::string_view word, uint64_t hash, const std::vector<TokenId>& word_ids) {
  const bool full = (used_slots + 1) * 2 > slots.size();
  if ((full && slots.size() >= kMaxCacheSlots) || cached_ids.size() + word_ids.size() > kMaxCachedIds) {
    std::fill(slots.begin(), slots.end(), CacheSlot{});  // at its bounds: start over
    used_slots = 0;
    cached_words.clear();
    cached_ids.clear();
  } else if (full) {
    // Grow and re-insert by the stored hashes.
    std::vector<CacheSlot> old = std::move(slots);
    slots.assign(std::max<size_t>(256, old.size() * 2), CacheSlot{});
    const size_t mask = slots.size() - 1;
    for (const CacheSlot& s : old) {
      if (!s.used) continue;
      size_t i = s.hash & mask;
      while (slots[i].used) i = (i + 1) & mask;
      slots[i] = s;
    }
  }
  const size_t mask = slots.size() - 1;
  size_t i = hash & mask;
  while (slots[i].used) i = (i + 1) & mask;
  slots[i] = {hash, static_cast<uint32_t>(cached_words.size()), static_cast<uint32_t>(cached_ids.size()),
              static_cast<uint16_t>(word.size()), static_cast<uint16_t>(word_ids.size()), true};
  ++used_slots;
  cached_words.append(word);
  cached_ids.insert(cached_ids.end(), word_ids.begin(), word_ids.end());
}

void BpeModel::encodeWord(std::string_view bytes, Workspace& ws, std::vector<TokenId>& out) const {
  if (bytes.empty()) return;
  if (bytes.size() == 1) {
    out.push_back(byte_ids_[static_cast<uint8_t>(bytes[0])]);
    return;
  }
  const bool cacheable = bytes.size() <= kMaxCachedWordBytes;
  const uint64_t hash = cacheable ? std::hash<std::string_view>{}(bytes) : 0;
  if (cacheable) {
    if (const auto* hit = ws.findCached(bytes, hash)) {
      const TokenId* first = ws.cached_ids.data() + hit->ids_offset;
      out.insert(out.end(), first, first + hit->ids_length);
      return;
    }
  }
  if (!whole_words_.empty()) {
    if (auto it = whole_words_.find(std::string(bytes)); it != whole_words_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  if (bytes.size() <= kShortWordBytes) {
    mergeShort(bytes, ws);
  } else {
    mergeLong(bytes, ws);
  }
  out.insert(out.end(), ws.ids.begin(), ws.ids.end());
  if (cacheable) ws.addCached(bytes, hash, ws.ids);
}

}  // namespace folio::engine
