// MoE routing reference: softmax, top-k with ties to the lower index, renormalisation, τ threshold.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/cpu/ref_moe_routing.h"

using namespace folio::kernels::ref;

namespace {
struct Routed {
  int kept;
  std::vector<int> experts;
  std::vector<float> weights, probs;
};
// Logits log(p) so the softmax returns p (for p summing to 1).
Routed route(const std::vector<double>& p, int k, double tau) {
  std::vector<float> logits;
  for (double x : p) logits.push_back(static_cast<float>(std::log(x)));
  Routed r{0, std::vector<int>(k, -1), std::vector<float>(k, 0), std::vector<float>(p.size())};
  r.kept = routeTopK(logits.data(), static_cast<int>(p.size()), k, tau, r.probs.data(), r.experts.data(),
                     r.weights.data());
  return r;
}
}  // namespace

TEST(MoeRoutingRef, TopKDescendingRenormalised) {
  const Routed r = route({0.1, 0.05, 0.5, 0.3, 0.05}, 2, 1.0);
  ASSERT_EQ(r.kept, 2);
  EXPECT_EQ(r.experts[0], 2);
  EXPECT_EQ(r.experts[1], 3);
  EXPECT_NEAR(r.weights[0], 0.5 / 0.8, 1e-6);
  EXPECT_NEAR(r.weights[1], 0.3 / 0.8, 1e-6);
  EXPECT_NEAR(r.probs[0], 0.1, 1e-6);
}

TEST(MoeRoutingRef, TiesGoToLowerIndex) {
  std::vector<float> logits = {0.0f, 1.0f, 1.0f, 1.0f};
  std::vector<float> probs(4), w(2);
  std::vector<int> e(2);
  ASSERT_EQ(routeTopK(logits.data(), 4, 2, 1.0, probs.data(), e.data(), w.data()), 2);
  EXPECT_EQ(e[0], 1);
  EXPECT_EQ(e[1], 2);
  EXPECT_FLOAT_EQ(w[0], 0.5f);
}

TEST(MoeRoutingRef, ThresholdKeepsShortestPrefix) {
  const std::vector<double> p = {0.05, 0.5, 0.1, 0.3, 0.05};  // top-3: 0.5, 0.3, 0.1 (sum 0.9)
  // τ·0.9 = 0.45 → the first expert alone reaches it
  Routed r = route(p, 3, 0.5);
  ASSERT_EQ(r.kept, 1);
  EXPECT_EQ(r.experts[0], 1);
  EXPECT_FLOAT_EQ(r.weights[0], 1.0f);
  // τ·0.9 = 0.792 → 0.5 + 0.3 = 0.8 reaches it
  r = route(p, 3, 0.88);
  ASSERT_EQ(r.kept, 2);
  EXPECT_EQ(r.experts[1], 3);
  EXPECT_NEAR(r.weights[0], 0.5 / 0.8, 1e-6);
  EXPECT_NEAR(r.weights[1], 0.3 / 0.8, 1e-6);
  // τ·0.9 = 0.846 → all three needed
  r = route(p, 3, 0.94);
  ASSERT_EQ(r.kept, 3);
  EXPECT_NEAR(r.weights[2], 0.1 / 0.9, 1e-6);
  // τ = 1 is the exact model: all k even when the last probability is tiny
  r = route({0.999999, 1e-7, 0.0000009}, 2, 1.0);
  EXPECT_EQ(r.kept, 2);
  // a tiny τ still keeps one
  r = route(p, 3, 1e-9);
  EXPECT_EQ(r.kept, 1);
}
