#include "app/compare/token_alignment.h"

#include <algorithm>
#include <unordered_map>

namespace folio::app {
namespace {

// Anchoring nests only as deep as this (each level a smaller gap); a deeper gap counts as replaced, so
// no input can exhaust the stack.
constexpr int kMaxDepth = 64;

class Aligner {
 public:
  Aligner(std::span<const uint64_t> a, std::span<const uint64_t> b, const AlignmentLimits& limits,
          const std::atomic<bool>* cancel = nullptr, const AlignmentProgressFn* progress = nullptr)
      : a_(a), b_(b), limits_(limits), cancel_(cancel), progress_(progress && *progress ? progress : nullptr) {}

  std::vector<MatchedRun> run(const std::vector<MatchedRun>& fixed = {}) {
    size_t i = 0, j = 0;
    for (const MatchedRun& f : fixed) {
      align(i, f.a, j, f.b, 0);
      if (stopped()) break;
      match(f.a, f.b, f.length);
      i = f.a + f.length;
      j = f.b + f.length;
    }
    align(i, a_.size(), j, b_.size(), 0);
    return std::move(runs_);
  }

 private:
  // The longest run of pairs (in a's order) increasing in b: patience sorting.
  static std::vector<std::pair<size_t, size_t>> longestIncreasing(const std::vector<std::pair<size_t, size_t>>& unique) {
    if (unique.empty()) return {};
    std::vector<size_t> tails;  // index into unique of the smallest tail of each pile length
    std::vector<size_t> before(unique.size(), SIZE_MAX);
    for (size_t n = 0; n < unique.size(); ++n) {
      const auto at = std::lower_bound(tails.begin(), tails.end(), unique[n].second,
                                       [&](size_t t, size_t bpos) { return unique[t].second < bpos; });
      if (at != tails.begin()) before[n] = *(at - 1);
      if (at == tails.end()) {
        tails.push_back(n);
      } else {
        *at = n;
      }
    }
    std::vector<std::pair<size_t, size_t>> anchors;
    for (size_t n = tails.back(); n != SIZE_MAX; n = before[n]) anchors.push_back(unique[n]);
    std::reverse(anchors.begin(), anchors.end());
    return anchors;
  }

  // One relaxed load: cheap enough for every gap and every row of an exact one.
  bool stopped() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }

  void match(size_t i, size_t j, size_t n) {
    if (n == 0) return;
    if (!runs_.empty() && runs_.back().a + runs_.back().length == i && runs_.back().b + runs_.back().length == j) {
      runs_.back().length += n;
    } else {
      runs_.push_back({i, j, n});
    }
    if (progress_ && i + n >= next_report_) {
      (*progress_)(i + n, a_.size());
      next_report_ = i + n + std::max<size_t>(1, a_.size() / 100);
    }
  }

  // Aligns a[alo, ahi) with b[blo, bhi), appending its matches in order.
  void align(size_t alo, size_t ahi, size_t blo, size_t bhi, int depth) {
    if (stopped()) return;
    size_t prefix = 0;
    while (alo + prefix < ahi && blo + prefix < bhi && a_[alo + prefix] == b_[blo + prefix]) ++prefix;
    match(alo, blo, prefix);
    alo += prefix;
    blo += prefix;
    size_t suffix = 0;
    while (ahi - suffix > alo && bhi - suffix > blo && a_[ahi - suffix - 1] == b_[bhi - suffix - 1]) ++suffix;
    ahi -= suffix;
    bhi -= suffix;
    if (alo < ahi && blo < bhi) {
      const size_t n = ahi - alo, m = bhi - blo;
      if (n <= limits_.exact_cells / m) {
        exact(alo, ahi, blo, bhi);
      } else if (depth < kMaxDepth) {
        anchored(alo, ahi, blo, bhi, depth + 1);
      }
    }
    if (stopped()) return;  // the runs are dropped: no progress past where it stopped
    match(ahi, bhi, suffix);
  }

  // Anchors: word sequences of length k that occur exactly once on each side, their longest run in
  // the same order on both (patience sorting); single words first, then longer sequences where no
  // single word is unique (long texts repeat their words).
  void anchored(size_t alo, size_t ahi, size_t blo, size_t bhi, int depth) {
    // Last, for text that repeats itself whole (the same schedule forty times): sequences occurring
    // equally often on both sides, at most kMaxRepeats times, their n-th occurrences paired.
    constexpr size_t kMaxRepeats = 64;
    for (const auto& [k, repeats] : {std::pair{size_t{1}, size_t{1}}, std::pair{size_t{4}, size_t{1}},
                                     std::pair{size_t{16}, size_t{1}}, std::pair{size_t{16}, kMaxRepeats},
                                     std::pair{size_t{4}, kMaxRepeats}}) {
      if (ahi - alo < k || bhi - blo < k || stopped()) break;
      const std::vector<std::pair<size_t, size_t>> anchors =
          repeats == 1 ? uniqueAnchors(alo, ahi, blo, bhi, k) : repeatedAnchors(alo, ahi, blo, bhi, k, repeats);
      if (anchors.empty()) continue;
      size_t i = alo, j = blo;
      for (const auto& [ai, bj] : anchors) {
        if (stopped()) return;
        if (ai < i || bj < j) continue;  // overlaps the anchor before
        align(i, ai, j, bj, depth);
        match(ai, bj, k);
        i = ai + k;
        j = bj + k;
      }
      align(i, ahi, j, bhi, depth);
      return;
    }
    // nothing to anchor on: the gap counts as replaced
  }

  std::vector<uint64_t> grams(std::span<const uint64_t> keys, size_t lo, size_t hi, size_t k) const {
    std::vector<uint64_t> out;
    if (hi - lo < k) return out;
    out.reserve(hi - lo - k + 1);
    for (size_t i = lo; i + k <= hi; ++i) {
      uint64_t h = 0x9E3779B97F4A7C15ull;
      for (size_t t = 0; t < k; ++t) h = (h ^ keys[i + t]) * 0x100000001B3ull + (h >> 29);
      out.push_back(h);
    }
    return out;
  }

  std::vector<std::pair<size_t, size_t>> uniqueAnchors(size_t alo, size_t ahi, size_t blo, size_t bhi, size_t k) const {
    struct Seen {
      uint32_t in_a = 0, in_b = 0;
      size_t at_a = 0, at_b = 0;
    };
    const std::vector<uint64_t> ga = grams(a_, alo, ahi, k), gb = grams(b_, blo, bhi, k);
    std::unordered_map<uint64_t, Seen> seen;
    seen.reserve(ga.size() + gb.size());
    for (size_t i = 0; i < ga.size(); ++i) {
      Seen& s = seen[ga[i]];
      ++s.in_a;
      s.at_a = alo + i;
    }
    for (size_t j = 0; j < gb.size(); ++j) {
      auto it = seen.find(gb[j]);
      if (it == seen.end()) continue;
      ++it->second.in_b;
      it->second.at_b = blo + j;
    }
    std::vector<std::pair<size_t, size_t>> unique;  // in a's order
    for (size_t i = 0; i < ga.size(); ++i) {
      const Seen& s = seen[ga[i]];
      if (s.in_a == 1 && s.in_b == 1 && std::equal(a_.begin() + static_cast<long>(s.at_a), a_.begin() + static_cast<long>(s.at_a + k),
                                                   b_.begin() + static_cast<long>(s.at_b))) {
        unique.emplace_back(s.at_a, s.at_b);
      }
    }
    return longestIncreasing(unique);
  }

  std::vector<std::pair<size_t, size_t>> repeatedAnchors(size_t alo, size_t ahi, size_t blo, size_t bhi, size_t k,
                                                         size_t max_repeats) const {
    std::vector<std::pair<uint64_t, size_t>> ga, gb;  // (sequence, position), sorted: equal sequences together
    const std::vector<uint64_t> ha = grams(a_, alo, ahi, k), hb = grams(b_, blo, bhi, k);
    for (size_t i = 0; i < ha.size(); ++i) ga.emplace_back(ha[i], alo + i);
    for (size_t j = 0; j < hb.size(); ++j) gb.emplace_back(hb[j], blo + j);
    std::sort(ga.begin(), ga.end());
    std::sort(gb.begin(), gb.end());
    std::vector<std::pair<size_t, size_t>> pairs;
    size_t i = 0, j = 0;
    while (i < ga.size() && j < gb.size()) {
      if (ga[i].first != gb[j].first) {
        (ga[i].first < gb[j].first ? i : j)++;
        continue;
      }
      size_t ie = i, je = j;
      while (ie < ga.size() && ga[ie].first == ga[i].first) ++ie;
      while (je < gb.size() && gb[je].first == gb[j].first) ++je;
      if (ie - i == je - j && ie - i <= max_repeats) {
        for (size_t n = 0; n < ie - i; ++n) {
          const size_t pa = ga[i + n].second, pb = gb[j + n].second;
          if (std::equal(a_.begin() + static_cast<long>(pa), a_.begin() + static_cast<long>(pa + k), b_.begin() + static_cast<long>(pb))) {
            pairs.emplace_back(pa, pb);
          }
        }
      }
      i = ie;
      j = je;
    }
    std::sort(pairs.begin(), pairs.end());
    return longestIncreasing(pairs);
  }

  void exact(size_t alo, size_t ahi, size_t blo, size_t bhi) {
    const size_t n = ahi - alo, m = bhi - blo;
    // lcs[i][j]: the LCS of a[alo+i, ahi) and b[blo+j, bhi), so the walk goes forward.
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      if (stopped()) return;
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a_[alo + i] == b_[blo + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (a_[alo + i] == b_[blo + j]) {
        match(alo + i, blo + j, 1);
        ++i;
        ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        ++i;
      } else {
        ++j;
      }
    }
  }

  std::span<const uint64_t> a_, b_;
  AlignmentLimits limits_;
  const std::atomic<bool>* cancel_;
  const AlignmentProgressFn* progress_;
  size_t next_report_ = 0;
  std::vector<MatchedRun> runs_;
};

}  // namespace

std::vector<MatchedRun> alignTokens(std::span<const uint64_t> a, std::span<const uint64_t> b,
                                    const AlignmentLimits& limits, const std::atomic<bool>* cancel,
                                    const AlignmentProgressFn& progress) {
  return Aligner(a, b, limits, cancel, &progress).run();
}

std::vector<MatchedRun> inSameOrder(const std::vector<MatchedRun>& candidates, const std::vector<size_t>& weights) {
  const size_t n = candidates.size();
  if (n == 0) return {};
  // b's ranks; a Fenwick tree over them keeps the heaviest chain ending below each rank.
  std::vector<size_t> bs;
  for (const MatchedRun& c : candidates) bs.push_back(c.b);
  std::sort(bs.begin(), bs.end());
  std::vector<std::pair<size_t, size_t>> tree(n + 1, {0, SIZE_MAX});  // (weight, candidate)
  std::vector<size_t> before(n, SIZE_MAX), total(n, 0);
  for (size_t k = 0; k < n; ++k) {
    const size_t rank = static_cast<size_t>(std::lower_bound(bs.begin(), bs.end(), candidates[k].b) - bs.begin());
    std::pair<size_t, size_t> best{0, SIZE_MAX};
    for (size_t r = rank; r > 0; r -= r & (~r + 1)) best = std::max(best, tree[r]);  // ranks below
    total[k] = best.first + weights[k];
    before[k] = best.second;
    for (size_t r = rank + 1; r <= n; r += r & (~r + 1)) tree[r] = std::max(tree[r], std::pair{total[k], k});
  }
  std::vector<MatchedRun> out;
  for (size_t k = static_cast<size_t>(std::max_element(total.begin(), total.end()) - total.begin()); k != SIZE_MAX; k = before[k])
    out.push_back(candidates[k]);
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<MatchedRun> alignTokensAround(std::span<const uint64_t> a, std::span<const uint64_t> b,
                                          const std::vector<MatchedRun>& fixed, const AlignmentLimits& limits,
                                          const std::atomic<bool>* cancel, const AlignmentProgressFn& progress) {
  return Aligner(a, b, limits, cancel, &progress).run(fixed);
}

std::vector<MatchedRun> alignTokensExactly(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  AlignmentLimits unlimited;
  unlimited.exact_cells = SIZE_MAX;
  return Aligner(a, b, unlimited).run();
}

}  // namespace folio::app
