// Which tokens of two versions are the same text: a longest-common-subsequence alignment of two key
// sequences, made affordable for whole documents the way `git diff --patience` does it — common prefix
// and suffix first, then tokens that occur exactly once in each side as anchors (their longest run in
// the same order), recursing between anchors; only gaps small enough are aligned exactly (dynamic
// programming), so a 2,000-page pair with local edits costs about linear time. A gap too large for that
// and without anchors counts as replaced.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace folio::app {

struct MatchedRun {
  size_t a = 0, b = 0, length = 0;  // a[a, a+length) == b[b, b+length)
};

struct AlignmentLimits {
  size_t exact_cells = size_t{1} << 22;  // a gap of n x m tokens up to this is aligned exactly
};

// How far the alignment has come: `done` of a's `total` tokens lie before the last run found.
using AlignmentProgressFn = std::function<void(size_t done, size_t total)>;

// Runs in increasing order on both sides, adjacent runs merged. `cancel` (may be null) is looked at in
// every step of the alignment (each gap, each row of an exact one): once it is set the alignment stops
// where it is and its runs are incomplete — the caller checks the flag and drops them. `progress` is
// called as a's aligned part grows, at most once per hundredth.
std::vector<MatchedRun> alignTokens(std::span<const uint64_t> a, std::span<const uint64_t> b,
                                    const AlignmentLimits& limits = {}, const std::atomic<bool>* cancel = nullptr,
                                    const AlignmentProgressFn& progress = {});

// Of `candidates` (passages the same in a and b, in a's order, not overlapping), those standing in the
// same order on both sides whose `weights` (one each) sum highest: the heaviest increasing subsequence.
std::vector<MatchedRun> inSameOrder(const std::vector<MatchedRun>& candidates, const std::vector<size_t>& weights);

// alignTokens with `fixed` (from inSameOrder) matched first and the rest aligned between them: what a
// caller knows to be the same place in both (a section's heading) is not traded for a longer passage
// elsewhere.
std::vector<MatchedRun> alignTokensAround(std::span<const uint64_t> a, std::span<const uint64_t> b,
                                          const std::vector<MatchedRun>& fixed, const AlignmentLimits& limits = {},
                                          const std::atomic<bool>* cancel = nullptr,
                                          const AlignmentProgressFn& progress = {});

// The same, reference version: plain O(n·m) dynamic programming (for tests on small inputs).
std::vector<MatchedRun> alignTokensExactly(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace folio::app
