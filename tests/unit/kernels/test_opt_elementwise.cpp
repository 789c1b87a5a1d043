// Dispatched RMSNorm, SiLU, SiLU·mul, sigmoid and RoPE against the plain references at odd sizes,
// with NaN/inf inputs. Dimension letters: T rows, N features/heads, D head dim.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/ref_activation.h"
#include "kernels/cpu/ref_norm.h"
#include "kernels/cpu/ref_rope.h"
#include "opt_compare.h"

using namespace folio::kernels;
using folio::test::expectClose;
using folio::test::randomVector;

TEST(OptElementwise, RmsNormMatchesReference) {
  for (int64_t N : {1, 7, 19, 257, 1000}) {
    const int64_t T = 3;
    std::vector<float> x = randomVector(static_cast<size_t>(T * N), static_cast<uint32_t>(N), -3, 3);
    const std::vector<float> w = randomVector(static_cast<size_t>(N), 5);
    if (N > 1) x[static_cast<size_t>(N + 1)] = NAN;  // row 1 all NaN in both
    std::vector<float> y(x.size()), r(x.size());
    rmsNorm(x.data(), T, N, w.data(), 1e-5f, y.data());
    ref::rmsNorm(x.data(), T, N, w.data(), 1e-5f, r.data());
    expectClose(y, r, 1e-6, "rmsNorm N=" + std::to_string(N));
    std::vector<float> inplace = x;  // y may alias x
    rmsNorm(inplace.data(), T, N, w.data(), 1e-5f, inplace.data());
    expectClose(inplace, r, 1e-6, "rmsNorm in place N=" + std::to_string(N));
  }
}

TEST(OptElementwise, ActivationsMatchReference) {
  for (int64_t n : {1, 7, 19, 257, 1000}) {
    std::vector<float> x = randomVector(static_cast<size_t>(n), static_cast<uint32_t>(n), -30, 30);
    const std::vector<float> up = randomVector(static_cast<size_t>(n), 77, -2, 2);
    if (n >= 7) {
      x[1] = NAN;
      x[2] = INFINITY;
      x[3] = -INFINITY;
      x[4] = 100.0f;
      x[5] = -100.0f;
    }
    std::vector<float> a = x, b = x;
    silu(a.data(), n);
    ref::silu(b.data(), n);
    expectClose(a, b, 1e-6, "silu n=" + std::to_string(n));
    a = x;
    b = x;
    sigmoid(a.data(), n);
    ref::sigmoid(b.data(), n);
    expectClose(a, b, 1e-6, "sigmoid n=" + std::to_string(n));
    std::vector<float> c(x.size()), d(x.size());
    siluMul(x.data(), up.data(), c.data(), n);
    ref::siluMul(x.data(), up.data(), d.data(), n);
    expectClose(c, d, 1e-6, "siluMul n=" + std::to_string(n));
  }
}

TEST(OptElementwise, RopeMatchesReference) {
  struct Case { int64_t T, N, D, rd; };
  for (const Case c : {Case{1, 1, 2, 2}, Case{7, 3, 19, 10}, Case{5, 8, 128, 64}, Case{3, 2, 64, 64}, Case{2, 5, 36, 34}}) {
    std::vector<float> x = randomVector(static_cast<size_t>(c.T * c.N * c.D), static_cast<uint32_t>(c.D));
    x[0] = NAN;
    std::vector<float> y = x;
    ropeNeox(x.data(), c.T, c.N, c.D, c.rd, 1e7, 1234);
    ref::ropeNeox(y.data(), c.T, c.N, c.D, c.rd, 1e7, 1234);
    expectClose(x, y, 1e-6, "rope D=" + std::to_string(c.D));
  }
}
