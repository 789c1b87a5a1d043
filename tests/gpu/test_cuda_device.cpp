// The CUDA toolchain works end to end: a kernel compiled for sm_90 runs and computes saxpy.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/cuda/device.h"

TEST(CudaDevice, SaxpyMatchesHost) {
  if (folio::kernels::cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  const int n = 1000;
  std::vector<float> x(n), y(n), expected(n);
  for (int i = 0; i < n; ++i) {
    x[i] = 0.5f * static_cast<float>(i);
    y[i] = static_cast<float>(n - i);
    expected[i] = 3.0f * x[i] + y[i];
  }
  ASSERT_EQ(folio::kernels::cuda::saxpyOnDevice(0, 3.0f, x.data(), y.data(), n), "");
  for (int i = 0; i < n; ++i) ASSERT_FLOAT_EQ(y[i], expected[i]) << i;
  std::printf("device 0: %s\n", folio::kernels::cuda::deviceDescription(0).c_str());
}
