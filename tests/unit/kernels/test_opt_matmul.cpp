// The AVX2 and AVX-512 matrix products (each level called directly, skipped where the CPU lacks it)
// against the plain reference for every weight dtype at odd sizes, NaN/inf propagation, and results
// bit-identical whatever the row split and the token count (batched decode relies on it).
// Dimension letters: T tokens, K in features, N out features.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/cpu/avx2_target.h"
#include "kernels/cpu/dtype.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/ref_matmul.h"
#include "opt_compare.h"

using namespace folio::kernels;
using folio::test::expectClose;
using folio::test::randomVector;

namespace {

using MatmulFn = void (*)(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end);

MatmulFn matmulAt(KernelLevel level) {
#if FOLIO_HAVE_X86
  if (level == KernelLevel::Avx512) return avx512::matmulRows;
  if (level == KernelLevel::Avx2) return avx2::matmulRows;
#endif
  return ref::matmulRows;
}

class OptMatmul : public folio::test::PerLevel {};

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

TEST_P(OptMatmul, MatchesReferenceAtOddSizes) {
  const MatmulFn matmul = matmulAt(GetParam());
  struct Case { int64_t T, K, N; };
  for (const Case c : {Case{1, 1, 1}, Case{1, 7, 19}, Case{7, 19, 7}, Case{19, 257, 33}, Case{2, 1000, 5},
                       Case{50, 64, 9}, Case{3, 1031, 257}, Case{97, 129, 13}, Case{1, 1000, 1000},
                       Case{13, 17, 31}}) {
    const Weights w(c.N, c.K, static_cast<uint32_t>(c.T * 131 + c.K * 7 + c.N));
    const std::vector<float> x = randomVector(static_cast<size_t>(c.T * c.K), static_cast<uint32_t>(c.K));
    for (const WeightMatrix& m : w.all()) {
      std::vector<float> y(static_cast<size_t>(c.T * c.N), -7.0f), r(y.size(), -7.0f);
      matmul(x.data(), c.T, m, y.data(), 0, c.N);
      ref::matmulRows(x.data(), c.T, m, r.data(), 0, c.N);
      expectClose(y, r, 1e-5, std::string(dtypeName(m.dtype)) + " T=" + std::to_string(c.T) + " K=" +
                                  std::to_string(c.K) + " N=" + std::to_string(c.N));
    }
  }
}

TEST_P(OptMatmul, NanAndInfPositionsMatchReference) {
  const MatmulFn matmul = matmulAt(GetParam());
  const int64_t K = 37, N = 11;
  for (const int64_t T : {5, 37}) {  // rows converted on the fly, and widened once per tile (≥ 32 tokens)
    Weights w(N, K, 3);
    std::vector<float> x = randomVector(static_cast<size_t>(T * K), 4);
    x[2 * K + 36] = NAN;                  // token 2 → every output of row 2 NaN (in the tail lanes)
    x[4 * K + 3] = INFINITY;              // token 4 → ±inf or NaN, by the weights' signs
    w.f32[3 * K + 5] = INFINITY;          // output column 3 → ±inf
    w.bf16[3 * K + 5] = f32ToBf16(INFINITY);
    w.f16[3 * K + 5] = f32ToF16(INFINITY);
    w.f32[7 * K + 20] = NAN;              // output column 7 → NaN (second vector of a row)
    w.bf16[7 * K + 20] = f32ToBf16(NAN);
    w.f16[7 * K + 20] = f32ToF16(NAN);
    for (size_t i = 0; i < 4; ++i) {
      const WeightMatrix m = w.all()[i];
      std::vector<float> y(static_cast<size_t>(T * N)), r(y.size());
      matmul(x.data(), T, m, y.data(), 0, N);
      ref::matmulRows(x.data(), T, m, r.data(), 0, N);
      expectClose(y, r, 1e-5, std::string("specials ") + std::string(dtypeName(m.dtype)) + " T=" + std::to_string(T));
    }
  }
}

TEST_P(OptMatmul, ResultDoesNotDependOnRowSplitOrTokenCount) {
  // a batch of T tokens (below and above the widening threshold, with partial register blocks) must give
  // each row bit for bit as T separate one-token calls do, and any split of the output rows the same
  const MatmulFn matmul = matmulAt(GetParam());
  const int64_t K = 301, N = 29;
  const Weights w(N, K, 9);
  for (const int64_t T : {7, 19, 23, 50}) {
    const std::vector<float> x = randomVector(static_cast<size_t>(T * K), static_cast<uint32_t>(10 + T));
    for (const WeightMatrix& m : w.all()) {
      const std::string what = std::string(dtypeName(m.dtype)) + " T=" + std::to_string(T);
      std::vector<float> whole(static_cast<size_t>(T * N)), single(static_cast<size_t>(N));
      matmul(x.data(), T, m, whole.data(), 0, N);
      for (const int64_t step : {1, 3, 7, 13}) {
        std::vector<float> split(whole.size());
        for (int64_t b = 0; b < N; b += step) matmul(x.data(), T, m, split.data(), b, std::min(N, b + step));
        EXPECT_EQ(0, std::memcmp(whole.data(), split.data(), whole.size() * 4)) << what << " rows by " << step;
      }
      for (int64_t t = 0; t < T; ++t) {
        matmul(x.data() + t * K, 1, m, single.data(), 0, N);
        EXPECT_EQ(0, std::memcmp(whole.data() + t * N, single.data(), single.size() * 4)) << what << " t=" << t;
      }
    }
  }
}

FOLIO_INSTANTIATE_PER_LEVEL(OptMatmul);

TEST(OptMatmulDispatch, ReportsFeaturesAndMatchesItsLevel) {
  // records which levels the other cases exercised (not an assertion on the machine), and checks that
  // the dispatched product is the one of the process's level, bit for bit
  const CpuFeatures& f = cpuFeatures();
  std::printf("[ cpu ] avx2 %d fma %d f16c %d avx512f %d avx512bf16 %d amx_bf16 %d -> %s kernels\n", f.avx2, f.fma,
              f.f16c, f.avx512f, f.avx512bf16, f.amx_bf16, kernelLevelName(kernelLevel()));
  const int64_t T = 5, K = 77, N = 13;
  const Weights w(N, K, 21);
  const std::vector<float> x = randomVector(static_cast<size_t>(T * K), 22);
  for (const WeightMatrix& m : w.all()) {
    std::vector<float> y(static_cast<size_t>(T * N)), z(y.size());
    folio::kernels::matmulRows(x.data(), T, m, y.data(), 0, N);
    matmulAt(kernelLevel())(x.data(), T, m, z.data(), 0, N);
    EXPECT_EQ(0, std::memcmp(y.data(), z.data(), y.size() * 4)) << dtypeName(m.dtype);
  }
}
