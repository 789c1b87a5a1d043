// Partial NeoX RoPE reference against a direct complex rotation of the pairs (i, i + rd/2).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "kernels/cpu/ref_rope.h"

using namespace folio::kernels::ref;

// Dimension letters: T tokens, N heads, D head dim.
TEST(RopeRef, MatchesComplexRotation) {
  struct Case { int64_t T, N, D, rd; double theta; int64_t pos0; };
  for (const Case c : {Case{1, 1, 16, 8, 1e7, 0}, Case{7, 3, 16, 8, 1e4, 5}, Case{19, 2, 8, 8, 1e6, 100},
                       Case{257, 4, 128, 64, 1e7, 1000}, Case{5, 2, 16, 0, 1e4, 3}}) {
    std::mt19937 rng(static_cast<uint32_t>(c.T * 13 + c.D));
    std::uniform_real_distribution<float> u(-2.0f, 2.0f);
    std::vector<float> x(static_cast<size_t>(c.T * c.N * c.D));  // [T, N, D]
    for (float& v : x) v = u(rng);
    std::vector<float> y = x;
    ropeNeox(y.data(), c.T, c.N, c.D, c.rd, c.theta, c.pos0);
    const int64_t half = c.rd / 2;
    double max_err = 0;
    for (int64_t t = 0; t < c.T; ++t)
      for (int64_t n = 0; n < c.N; ++n) {
        const float* xh = &x[(t * c.N + n) * c.D];
        const float* yh = &y[(t * c.N + n) * c.D];
        for (int64_t i = 0; i < half; ++i) {
          const double freq = std::exp(-(2.0 * double(i) / double(c.rd)) * std::log(c.theta));
          const std::complex<double> z(xh[i], xh[i + half]);
          const std::complex<double> r = z * std::polar(1.0, double(c.pos0 + t) * freq);
          max_err = std::max({max_err, std::abs(r.real() - yh[i]), std::abs(r.imag() - yh[i + half])});
        }
        for (int64_t d = c.rd; d < c.D; ++d) EXPECT_EQ(yh[d], xh[d]) << "dims past rotary_dim pass through";
      }
    EXPECT_LT(max_err, 5e-6) << "T=" << c.T << " D=" << c.D << " rd=" << c.rd;
  }
}

TEST(RopeRef, ChunkOffsetEqualsWholeSequence) {
  const int64_t T = 40, N = 2, D = 16, rd = 8;
  std::vector<float> x(T * N * D);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37f * float(i));
  std::vector<float> whole = x, parts = x;
  ropeNeox(whole.data(), T, N, D, rd, 1e4, 0);
  ropeNeox(parts.data(), 13, N, D, rd, 1e4, 0);
  ropeNeox(parts.data() + 13 * N * D, T - 13, N, D, rd, 1e4, 13);
  EXPECT_EQ(whole, parts);
  // position 0 is the identity
  std::vector<float> first(x.begin(), x.begin() + N * D);
  ropeNeox(first.data(), 1, N, D, rd, 1e4, 0);
  EXPECT_EQ(first, std::vector<float>(x.begin(), x.begin() + N * D));
}
