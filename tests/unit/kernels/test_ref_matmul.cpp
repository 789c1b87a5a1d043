// Matmul against a double naive product for every weight dtype, plus RMSNorm and activations.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/cpu/dtype.h"
#include "kernels/cpu/ref_activation.h"
#include "kernels/cpu/ref_matmul.h"
#include "kernels/cpu/ref_norm.h"

using namespace folio::kernels;
using namespace folio::kernels::ref;

// Dimension letters: T tokens, K in features, N out features.
TEST(MatmulRef, EveryDtypeMatchesDoubleProduct) {
  struct Case { int64_t T, K, N; };
  for (const Case c : {Case{1, 1, 1}, Case{7, 19, 5}, Case{19, 257, 33}, Case{3, 600, 7}}) {
    std::mt19937 rng(static_cast<uint32_t>(c.T * 7 + c.K));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(c.T * c.K), wf(c.N * c.K);  // [T, K] [N, K]
    for (float& v : x) v = u(rng);
    for (float& v : wf) v = u(rng);
    std::vector<uint16_t> wb(wf.size()), wh(wf.size());
    std::vector<int8_t> wi(wf.size());
    std::vector<float> scales(c.N);
    for (size_t i = 0; i < wf.size(); ++i) {
      wb[i] = f32ToBf16(wf[i]);
      wh[i] = f32ToF16(wf[i]);
      wi[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
    }
    for (int64_t n = 0; n < c.N; ++n) scales[n] = 0.01f * float(n + 1);
    const WeightMatrix mats[] = {{DType::F32, wf.data(), c.N, c.K, nullptr},
                                 {DType::BF16, wb.data(), c.N, c.K, nullptr},
                                 {DType::F16, wh.data(), c.N, c.K, nullptr},
                                 {DType::I8, wi.data(), c.N, c.K, scales.data()}};
    for (const WeightMatrix& w : mats) {
      std::vector<float> wrow(c.K), y(c.T * c.N, -7.0f);
      matmul(x.data(), c.T, w, y.data());
      for (int64_t n = 0; n < c.N; ++n) {
        weightRowToF32(w, n, wrow.data());
        for (int64_t t = 0; t < c.T; ++t) {
          double want = 0, mag = 0;
          for (int64_t k = 0; k < c.K; ++k) {
            want += double(x[t * c.K + k]) * wrow[k];
            mag += std::abs(double(x[t * c.K + k]) * wrow[k]);
          }
          ASSERT_NEAR(y[t * c.N + n], want, 1e-6 * mag + 1e-7) << dtypeName(w.dtype) << " t=" << t << " n=" << n;
        }
      }
    }
    // the decoded rows are the stored values
    std::vector<float> row(c.K);
    weightRowToF32(mats[1], c.N - 1, row.data());
    EXPECT_EQ(row[0], bf16ToF32(wb[(c.N - 1) * c.K]));
    weightRowToF32(mats[3], 0, row.data());
    EXPECT_FLOAT_EQ(row[0], scales[0] * float(wi[0]));
  }
}

TEST(MatmulRef, RowRangeTouchesOnlyItsColumns) {
  const int64_t T = 3, K = 4, N = 5;
  std::vector<float> x(T * K, 1.0f), w(N * K, 2.0f), y(T * N, -1.0f);
  matmulRows(x.data(), T, WeightMatrix{DType::F32, w.data(), N, K, nullptr}, y.data(), 1, 3);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t n = 0; n < N; ++n) EXPECT_EQ(y[t * N + n], (n >= 1 && n < 3) ? 8.0f : -1.0f);
}

TEST(NormRef, RmsNormAndActivations) {
  const std::vector<float> x = {1, -2, 3, -4, 0.5f, 0.25f};  // [2, 3]
  const std::vector<float> w = {1.0f, 2.0f, 0.5f};
  std::vector<float> y(6);
  rmsNorm(x.data(), 2, 3, w.data(), 1e-5f, y.data());
  for (int t = 0; t < 2; ++t) {
    double ms = 0;
    for (int i = 0; i < 3; ++i) ms += double(x[t * 3 + i]) * x[t * 3 + i] / 3;
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(y[t * 3 + i], x[t * 3 + i] / std::sqrt(ms + 1e-5) * w[i], 1e-6);
  }
  const std::vector<double> in = {-3, 0, 2}, up = {2, 5, -1};
  std::vector<float> a(in.begin(), in.end()), b = a, gate = a, upf(up.begin(), up.end()), o(3);
  silu(a.data(), 3);
  sigmoid(b.data(), 3);
  siluMul(gate.data(), upf.data(), o.data(), 3);
  for (int i = 0; i < 3; ++i) {
    const double sig = 1 / (1 + std::exp(-in[i]));
    EXPECT_NEAR(a[i], in[i] * sig, 1e-6);
    EXPECT_NEAR(b[i], sig, 1e-6);
    EXPECT_NEAR(o[i], in[i] * sig * up[i], 1e-6);
  }
}
