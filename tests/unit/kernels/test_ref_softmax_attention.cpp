// Causal GQA softmax attention reference against a naive masked softmax in double.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/cpu/ref_softmax.h"
#include "kernels/cpu/ref_softmax_attention.h"

using namespace folio::kernels::ref;

namespace {
// Dimension letters: T tokens, H heads, KV kv-heads, D head dim.
// Naive: full [T, T] score matrix with a −inf mask above the diagonal. -> [T, H, D]
std::vector<double> naive(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                          int64_t T, int64_t H, int64_t KV, int64_t D) {
  std::vector<double> out(static_cast<size_t>(T * H * D), 0.0);
  for (int64_t h = 0; h < H; ++h) {
    const int64_t kvh = h * KV / H;
    for (int64_t t = 0; t < T; ++t) {
      std::vector<double> sc(static_cast<size_t>(T));
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t p = 0; p < T; ++p) {
        double dot = 0;
        for (int64_t d = 0; d < D; ++d) dot += double(q[(t * H + h) * D + d]) * k[(p * KV + kvh) * D + d];
        sc[p] = p <= t ? dot / std::sqrt(double(D)) : -std::numeric_limits<double>::infinity();
        mx = std::max(mx, sc[p]);
      }
      double sum = 0;
      for (double& s : sc) sum += (s = std::exp(s - mx));
      for (int64_t p = 0; p < T; ++p)
        for (int64_t d = 0; d < D; ++d) out[(t * H + h) * D + d] += sc[p] / sum * v[(p * KV + kvh) * D + d];
    }
  }
  return out;
}
}  // namespace

TEST(SoftmaxAttentionRef, MatchesNaiveInChunks) {
  struct Case { int64_t T, H, KV, D; };
  for (const Case c : {Case{1, 4, 4, 16}, Case{7, 6, 2, 16}, Case{19, 4, 1, 8}, Case{257, 4, 2, 8}}) {
    std::mt19937 rng(static_cast<uint32_t>(c.T + c.H));
    std::uniform_real_distribution<float> u(-2.0f, 2.0f);
    std::vector<float> q(c.T * c.H * c.D), k(c.T * c.KV * c.D), v(c.T * c.KV * c.D);  // [T,H,D] [T,KV,D]
    for (auto* vec : {&q, &k, &v})
      for (float& x : *vec) x = u(rng);
    const std::vector<double> want = naive(q, k, v, c.T, c.H, c.KV, c.D);
    // in chunks of up to 5 queries, the cache holding every earlier position (as a session would)
    std::vector<float> out(q.size()), scores(c.T);
    for (int64_t p0 = 0; p0 < c.T; p0 += 5) {
      const int64_t n = std::min<int64_t>(5, c.T - p0);
      softmaxAttention(q.data() + p0 * c.H * c.D, k.data(), v.data(), p0, n, c.H, c.KV, c.D,
                       out.data() + p0 * c.H * c.D, 0, c.H, scores.data());
    }
    double max_err = 0;
    for (size_t i = 0; i < want.size(); ++i) max_err = std::max(max_err, std::abs(want[i] - out[i]));
    EXPECT_LT(max_err, 2e-5) << "T=" << c.T << " H=" << c.H << " KV=" << c.KV;
  }
}

TEST(SoftmaxRef, SumsToOneAndHandlesLargeLogits) {
  std::vector<float> x = {1000.0f, 1000.0f, -std::numeric_limits<float>::infinity(), 999.0f};
  softmaxRow(x.data(), 4);
  EXPECT_NEAR(x[0] + x[1] + x[2] + x[3], 1.0f, 1e-6);
  EXPECT_EQ(x[2], 0.0f);
  EXPECT_NEAR(x[0] / x[3], std::exp(1.0f), 1e-4);
}
