// Helpers for the optimised-vs-reference kernel tests: random inputs and a comparison that requires
// NaN/inf positions to match and bounds the normalised error ‖a − b‖ / ‖b‖ over the finite entries.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/cpu/cpu_features.h"
#include "kernels/cpu/kernel_level.h"

namespace folio::test {

inline std::vector<float> randomVector(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// a: optimised, b: reference.
inline void expectClose(const std::vector<float>& a, const std::vector<float>& b, double bound, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  double num = 0, den = 0;
  size_t special_mismatch = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool an = std::isnan(a[i]), bn = std::isnan(b[i]);
    const bool ai = std::isinf(a[i]), bi = std::isinf(b[i]);
    if (an != bn || ai != bi || (ai && bi && (a[i] > 0) != (b[i] > 0))) {
      if (special_mismatch++ < 3) ADD_FAILURE() << what << ": index " << i << " optimised " << a[i] << " reference " << b[i];
      continue;
    }
    if (an || ai) continue;
    const double d = double(a[i]) - double(b[i]);
    num += d * d;
    den += double(b[i]) * double(b[i]);
  }
  EXPECT_EQ(special_mismatch, 0u) << what;
  const double err = std::sqrt(num / std::max(den, 1e-30));
  EXPECT_LE(err, bound) << what;
}

// The optimised path only differs from the reference where the CPU has AVX2/FMA/F16C.
inline bool optimisedAvailable() { return kernels::hasAvx2Fma(); }

// Tests of the per-level kernels (avx2::, avx512::) take the level as their parameter, so both levels
// are checked on one machine whatever FOLIO_CPU_KERNELS says; a level the CPU lacks is skipped.
class PerLevel : public ::testing::TestWithParam<kernels::KernelLevel> {
 protected:
  void SetUp() override {
    if (!kernels::cpuSupports(kernels::cpuFeatures(), GetParam())) {
      GTEST_SKIP() << "this CPU cannot run the " << kernels::kernelLevelName(GetParam()) << " kernels";
    }
  }
};

inline std::string levelName(const ::testing::TestParamInfo<kernels::KernelLevel>& info) {
  return kernels::kernelLevelName(info.param);
}

#define FOLIO_INSTANTIATE_PER_LEVEL(suite)                                                                  \
  INSTANTIATE_TEST_SUITE_P(Levels, suite,                                                                  \
                           ::testing::Values(folio::kernels::KernelLevel::Avx2, folio::kernels::KernelLevel::Avx512), \
                           folio::test::levelName)

}  // namespace folio::test
