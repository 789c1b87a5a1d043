// The dispatched (AVX2/FMA) matrix product against the plain reference for every weight dtype at odd
// sizes, NaN/inf propagation, and independence of the result from the row split and the token count.
// Dimension letters: T tokens, K in features, N out features.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/cpu/dtype.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/ref_matmul.h"
#include "opt_compare.h"

using namespace folio::kernels;
using folio::test::expectClose;
using folio::test::randomVector;

namespace {

struct Weights {
  std::vector<float> f32;      // [N, K]
  std::vector<uint16_t> bf16;  // [N, K]
  std::vector<uint16_t> f16;   // [N, K]
  std::vector<int8_t> i8;      // [N, K]
  std::vector<float> scales;   // [N]
  int64_t N, K;
  Weights(int64_t n, int64_t k, uint32_t seed) : N(n), K(k) {
    f32 = randomVector(static_cast<size_t>(N * K), seed);
    bf16.resize(f32.size());
    f16.resize(f32.size());
    i8.resize(f32.size());
    scales.resize(static_cast<size_t>(N));
    for (size_t i = 0; i < f32.size(); ++i) {
      bf16[i] = f32ToBf16(f32[i]);
      f16[i] = f32ToF16(f32[i]);
      i8[i] = static_cast<int8_t>(std::lround(f32[i] * 127.0f));
    }
    for (int64_t r = 0; r < N; ++r) scales[static_cast<size_t>(r)] = 0.01f * float(r % 7 + 1);
  }
  std::vector<WeightMatrix> all() const {
    return {{DType::F32, f32.data(), N, K, nullptr},
            {DType::BF16, bf16.data(), N, K, nullptr},
            {DType::F16, f16.data(), N, K, nullptr},
            {DType::I8, i8.data(), N, K, scales.data()}};
  }
};

}  // namespace

TEST(OptMatmul, MatchesReferenceAtOddSizes) {
  struct Case { int64_t T, K, N; };
  for (const Case c : {Case{1, 1, 1}, Case{1, 7, 19}, Case{7, 19, 7}, Case{19, 257, 33}, Case{2, 1000, 5},
                       Case{50, 64, 9}, Case{3, 1031, 257}, Case{97, 129, 13}}) {
    const Weights w(c.N, c.K, static_cast<uint32_t>(c.T * 131 + c.K * 7 + c.N));
    const std::vector<float> x = randomVector(static_cast<size_t>(c.T * c.K), static_cast<uint32_t>(c.K));
    for (const WeightMatrix& m : w.all()) {
      std::vector<float> y(static_cast<size_t>(c.T * c.N), -7.0f), r(y.size(), -7.0f);
      folio::kernels::matmulRows(x.data(), c.T, m, y.data(), 0, c.N);
      ref::matmulRows(x.data(), c.T, m, r.data(), 0, c.N);
      expectClose(y, r, 1e-5, std::string(dtypeName(m.dtype)) + " T=" + std::to_string(c.T) + " K=" +
                                  std::to_string(c.K) + " N=" + std::to_string(c.N));
    }
  }
}

TEST(OptMatmul, NanAndInfPositionsMatchReference) {
  const int64_t T = 5, K = 37, N = 11;
  Weights w(N, K, 3);
  std::vector<float> x = randomVector(static_cast<size_t>(T * K), 4);
  x[2 * K + 36] = NAN;                  // token 2 → every output of row 2 NaN
  w.f32[3 * K + 5] = INFINITY;          // output column 3 → ±inf
  w.bf16[3 * K + 5] = f32ToBf16(INFINITY);
  w.f16[3 * K + 5] = f32ToF16(INFINITY);
  for (size_t i = 0; i < 4; ++i) {
    const WeightMatrix m = w.all()[i];
    std::vector<float> y(static_cast<size_t>(T * N)), r(y.size());
    folio::kernels::matmulRows(x.data(), T, m, y.data(), 0, N);
    ref::matmulRows(x.data(), T, m, r.data(), 0, N);
    expectClose(y, r, 1e-5, std::string("specials ") + std::string(dtypeName(m.dtype)));
  }
}

TEST(OptMatmul, ResultDoesNotDependOnRowSplitOrTokenCount) {
  const int64_t T = 23, K = 301, N = 29;
  const Weights w(N, K, 9);
  const std::vector<float> x = randomVector(static_cast<size_t>(T * K), 10);
  for (const WeightMatrix& m : w.all()) {
    std::vector<float> whole(static_cast<size_t>(T * N)), split(whole.size()), single(static_cast<size_t>(N));
    folio::kernels::matmulRows(x.data(), T, m, whole.data(), 0, N);
    for (int64_t b = 0; b < N; b += 3) folio::kernels::matmulRows(x.data(), T, m, split.data(), b, std::min(N, b + 3));
    EXPECT_EQ(0, std::memcmp(whole.data(), split.data(), whole.size() * 4)) << dtypeName(m.dtype);
    for (int64_t t = 0; t < T; ++t) {
      folio::kernels::matmulRows(x.data() + t * K, 1, m, single.data(), 0, N);
      EXPECT_EQ(0, std::memcmp(whole.data() + t * N, single.data(), single.size() * 4)) << dtypeName(m.dtype) << " t=" << t;
    }
  }
}

TEST(OptMatmul, DispatchReportsFeatures) {
  // not an assertion on the machine: records which path the other cases exercised
  const CpuFeatures& f = cpuFeatures();
  std::printf("[ cpu ] avx2 %d fma %d f16c %d avx512f %d avx512bf16 %d amx_bf16 %d -> %s kernels\n", f.avx2, f.fma,
              f.f16c, f.avx512f, f.avx512bf16, f.amx_bf16, hasAvx2Fma() ? "AVX2/FMA" : "reference");
  SUCCEED();
}
