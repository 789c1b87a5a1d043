#include "engine/tokenizer/bpe_model.h"

#include <algorithm>
#include <bit>

namespace folio::engine {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64 finaliser: spreads pair keys over the table
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Words longer than this are merged without the cache (they are rare and would bloat it).
constexpr size_t kMaxCachedWordBytes = 256;
// The cache is dropped when it holds this many ids, bounding a workspace's memory on endless input.
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
}

const BpeModel::PairSlot* BpeModel::findPair(TokenId left, TokenId right) const {
  const uint64_t key = pairKey(left, right);
  const size_t mask = pairs_.size() - 1;
  for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    if (pairs_[i].key == key) return &pairs_[i];
    if (pairs_[i].key == kEmpty) return nullptr;
  }
}

void BpeModel::mergeAll(Workspace& ws) const {
  const auto n = static_cast<int32_t>(ws.ids.size());
  ws.prev.resize(n);
  ws.next.resize(n);
  for (int32_t i = 0; i < n; ++i) {
    ws.prev[i] = i - 1;
    ws.next[i] = i + 1 < n ? i + 1 : -1;
  }
  // Min-heap on (rank, position): the lowest rank first, the leftmost among equal ranks.
  const auto later = [](const Workspace::Candidate& a, const Workspace::Candidate& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  auto& heap = ws.heap;
  heap.clear();
  const auto consider = [&](int32_t pos) {
    const int32_t right = ws.next[pos];
    if (right < 0) return;
    if (const PairSlot* slot = findPair(ws.ids[pos], ws.ids[right])) {
      heap.push_back({slot->rank, pos, ws.ids[pos], ws.ids[right], slot->result});
      std::push_heap(heap.begin(), heap.end(), later);
    }
  };
  for (int32_t i = 0; i + 1 < n; ++i) consider(i);
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

void BpeModel::encodeWord(std::string_view bytes, Workspace& ws, std::vector<TokenId>& out) const {
  if (bytes.empty()) return;
  if (bytes.size() == 1) {
    out.push_back(byte_ids_[static_cast<uint8_t>(bytes[0])]);
    return;
  }
  const bool cacheable = bytes.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    if (auto it = ws.cache.find(bytes); it != ws.cache.end()) {
      const auto* first = ws.cached_ids.data() + it->second.offset;
      out.insert(out.end(), first, first + it->second.length);
      return;
    }
  }
  if (!whole_words_.empty()) {
    if (auto it = whole_words_.find(std::string(bytes)); it != whole_words_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  ws.ids.clear();
  for (const char b : bytes) ws.ids.push_back(byte_ids_[static_cast<uint8_t>(b)]);
  mergeAll(ws);
  out.insert(out.end(), ws.ids.begin(), ws.ids.end());
  if (cacheable) {
    if (ws.cached_ids.size() + ws.ids.size() > kMaxCachedIds) {
      ws.cache.clear();
      ws.cached_ids.clear();
    }
    ws.cache.emplace(std::string(bytes), Workspace::CachedIds{static_cast<uint32_t>(ws.cached_ids.size()),
                                                               static_cast<uint32_t>(ws.ids.size())});
    ws.cached_ids.insert(ws.cached_ids.end(), ws.ids.begin(), ws.ids.end());
  }
}

}  // namespace folio::engine
