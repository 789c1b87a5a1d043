// The sampler's selection written plainly from its contract (engine::Sampler::sampleWith): every
// drawable id sorted (descending logit, then lower id), fp32 weights, masses summed in that order.
// The host sampler's unit tests and the device sampler's gpu tests compare with it. Sums in another
// association (bands on the host, tiles on the device) or weights a few ulps apart (the device's expf)
// may decide the other way only where a running mass is within rounding of its target; `near` marks
// those decisions, with the tolerance given as a fraction of the total mass.
// Dimension letters: V vocabulary size.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

namespace folio::test {

struct SamplingWalk {
  int32_t fixed = -1;           // the token when nothing is drawable (0) or a +inf is (its lowest id); else −1
  std::vector<int32_t> order;   // [n] the drawable ids in descending order, cut to top-k
  std::vector<float> weight;    // [n] exp((l − max)/T) in fp32, as the sampler computes it
  std::vector<double> cum;      // [n] running mass through each position, summed in order
  int kept = 0;                 // positions kept by top-p (n without it)
  double kept_mass = 0;         // cum[kept − 1]
  bool nucleus_near = false;    // the top-p cut was within the tolerance of its target
};

inline SamplingWalk referenceWalk(std::span<const float> logits, double temperature, int top_k, double top_p,
                                  double tol) {
  SamplingWalk w;
  const float neg_inf = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < logits.size(); ++i)
    if (!std::isnan(logits[i]) && logits[i] != neg_inf) w.order.push_back(static_cast<int32_t>(i));
  if (w.order.empty()) {
    w.fixed = 0;
    return w;
  }
  std::stable_sort(w.order.begin(), w.order.end(), [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  const float max_logit = logits[w.order[0]];
  if (std::isinf(max_logit)) {
    w.fixed = w.order[0];
    return w;
  }
  if (top_k > 0 && static_cast<size_t>(top_k) < w.order.size()) w.order.resize(static_cast<size_t>(top_k));
  const float inv_t = static_cast<float>(1.0 / temperature);
  double cum = 0;
  for (const int32_t id : w.order) {
    w.weight.push_back(std::exp((logits[id] - max_logit) * inv_t));
    w.cum.push_back(cum += w.weight.back());
  }
  const int n = static_cast<int>(w.order.size());
  w.kept = n;
  if (top_p < 1.0) {
    const double target = top_p * cum;
    w.kept = static_cast<int>(std::lower_bound(w.cum.begin(), w.cum.end(), target) - w.cum.begin()) + 1;
    w.kept = std::min(w.kept, n);
    for (const double c : w.cum) w.nucleus_near |= std::abs(c - target) <= tol * cum;
  }
  w.kept_mass = w.cum[static_cast<size_t>(w.kept - 1)];
  return w;
}

struct SamplingDecision {
  int32_t token = -1;
  bool near = false;  // a running mass at a decision was within the tolerance of its target
};

// The token for the uniform u in [0, 1) on a walk from referenceWalk (same tolerance).
inline SamplingDecision referenceDraw(const SamplingWalk& w, double u, double tol) {
  if (w.fixed >= 0) return {w.fixed, false};
  SamplingDecision d{-1, w.nucleus_near};
  const double target = u * w.kept_mass;
  for (int j = 0; j < w.kept; ++j) {
    const double c = w.cum[static_cast<size_t>(j)];
    d.near |= std::abs(c - target) <= tol * w.cum.back();
    if (d.token < 0 && target < c) d.token = w.order[static_cast<size_t>(j)];
  }
  for (int j = w.kept - 1; d.token < 0 && j >= 0; --j)
    if (w.weight[static_cast<size_t>(j)] > 0) d.token = w.order[static_cast<size_t>(j)];
  return d;
}

// Uniforms whose target lands exactly on a running mass (the boundary between two positions), plus
// the ends 0 and 1 − 2⁻⁵³: the draws most sensitive to how the sums are associated.
inline std::vector<double> boundaryUniforms(const SamplingWalk& w, size_t count) {
  std::vector<double> u = {0.0, 1.0 - 0x1.0p-53};
  if (w.fixed >= 0 || w.kept < 2) return u;
  const size_t step = std::max<size_t>(1, static_cast<size_t>(w.kept - 1) / count);
  for (size_t j = 0; j + 1 < static_cast<size_t>(w.kept) && u.size() < count + 2; j += step) {
    const double b = w.cum[j] / w.kept_mass;
    if (b < 1.0) u.push_back(b);
  }
  return u;
}

}  // namespace folio::test
