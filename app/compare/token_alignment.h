// Which tokens of two versions are the same text: a longest-common-subsequence alignment of two key
// sequences, made affordable for whole documents the way `git diff --patience` does it — common prefix
// and suffix first, then tokens that occur exactly once in each side as anchors (their longest run in
// the same order), recursing between anchors; only gaps small enough are aligned exactly (dynamic
// programming), so a 2,000-page pair with local edits costs about linear time. A gap too large for that
// and without anchors counts as replaced.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace folio::app {

struct MatchedRun {
  size_t a = 0, b = 0, length = 0;  // a[a, a+length) == b[b, b+length)
};

struct AlignmentLimits {
  size_t exact_cells = size_t{1} << 22;  // a gap of n x m tokens up to this is aligned exactly
};

// Runs in increasing order on both sides, adjacent runs merged.
std::vector<MatchedRun> alignTokens(std::span<const uint64_t> a, std::span<const uint64_t> b,
                                    const AlignmentLimits& limits = {});

// The same, reference version: plain O(n·m) dynamic programming (for tests on small inputs).
std::vector<MatchedRun> alignTokensExactly(std::span<const uint64_t> a, std::span<const uint64_t> b);

}  // namespace folio::app
