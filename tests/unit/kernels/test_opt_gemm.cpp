// The blocked kernels' dense fp32 product (avx2::gemmF32, avx512::gemmF32, each level called directly;
// skipped where the CPU lacks it) against a float64 product at odd shapes, with leading dimensions
// wider than the matrices, both overwrite and accumulate, and inf/NaN positions.
// Dimension letters: M rows of A and C, N columns of B and C, K the inner dimension.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kernels/cpu/avx2_gemm.h"
#include "kernels/cpu/avx2_target.h"
#include "kernels/cpu/avx512_gemm.h"
#include "opt_compare.h"

using namespace folio::kernels;
using folio::test::expectClose;
using folio::test::randomVector;

namespace {

GemmF32Fn gemmAt(KernelLevel level) {
#if FOLIO_HAVE_X86
  if (level == KernelLevel::Avx512) return avx512::gemmF32;
  return avx2::gemmF32;
#else
  (void)level;
  return nullptr;  // never called: PerLevel skips every level on other CPUs
#endif
}

// C [M, ldc] = (or +=) A [M, lda] · B [K, ldb] in float64, rounded once.
void reference(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
               int64_t ldc, bool accumulate) {
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < K; ++k) acc += double(A[i * lda + k]) * double(B[k * ldb + j]);
      C[i * ldc + j] = static_cast<float>(accumulate ? acc + double(C[i * ldc + j]) : acc);
    }
  }
}

class OptGemm : public folio::test::PerLevel {};

}  // namespace

TEST_P(OptGemm, MatchesFloat64AtOddShapes) {
  const GemmF32Fn gemm = gemmAt(GetParam());
  struct Case { int64_t M, N, K; };
  for (const Case c : {Case{1, 1, 1}, Case{7, 19, 7}, Case{19, 7, 257}, Case{64, 64, 64}, Case{65, 33, 1000},
                       Case{13, 128, 300}, Case{9, 47, 19}}) {
    const int64_t lda = c.K + 3, ldb = c.N + 5, ldc = c.N + 2;
    const std::vector<float> A = randomVector(static_cast<size_t>(c.M * lda), 1);
    const std::vector<float> B = randomVector(static_cast<size_t>(c.K * ldb), 2);
    for (const bool accumulate : {false, true}) {
      std::vector<float> C = randomVector(static_cast<size_t>(c.M * ldc), 3), R = C;
      gemm(c.M, c.N, c.K, A.data(), lda, B.data(), ldb, C.data(), ldc, accumulate);
      reference(c.M, c.N, c.K, A.data(), lda, B.data(), ldb, R.data(), ldc, accumulate);
      // the padding columns of C (past N) are left as they were
      expectClose(C, R, 2e-6, "M=" + std::to_string(c.M) + " N=" + std::to_string(c.N) + " K=" + std::to_string(c.K) +
                                  (accumulate ? " accumulate" : ""));
    }
  }
}

TEST_P(OptGemm, InfAndNanPositionsMatch) {
  const GemmF32Fn gemm = gemmAt(GetParam());
  const int64_t M = 11, N = 37, K = 9;
  std::vector<float> A = randomVector(static_cast<size_t>(M * K), 4);
  std::vector<float> B = randomVector(static_cast<size_t>(K * N), 5);
  A[3 * K + 2] = INFINITY;  // row 3 → ±inf or NaN
  B[4 * N + 33] = NAN;      // column 33 (the second vector of a panel's tail) → NaN
  std::vector<float> C(static_cast<size_t>(M * N)), R(C.size());
  gemm(M, N, K, A.data(), K, B.data(), N, C.data(), N, false);
  reference(M, N, K, A.data(), K, B.data(), N, R.data(), N, false);
  expectClose(C, R, 2e-6, "gemm inf/NaN");
}

FOLIO_INSTANTIATE_PER_LEVEL(OptGemm);
