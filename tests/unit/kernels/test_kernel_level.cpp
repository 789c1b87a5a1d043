// The kernel level: the best the CPU supports by default, FOLIO_CPU_KERNELS pins a supported lower (or
// equal) one, and an unknown or unsupported name falls back to the best with a message. Pure function
// on made-up CPUs, so every case runs on every machine.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "kernels/cpu/kernel_level.h"

using namespace folio::kernels;

namespace {
CpuFeatures withAvx2() {
  CpuFeatures f;
  f.avx2 = f.fma = f.f16c = true;
  return f;
}
CpuFeatures withAvx512() {
  CpuFeatures f = withAvx2();
  f.avx512f = true;
  return f;
}
}  // namespace

TEST(KernelLevel, DefaultIsTheBestTheCpuSupports) {
  std::string complaint;
  EXPECT_EQ(chooseKernelLevel(nullptr, withAvx512(), &complaint), KernelLevel::Avx512);
  EXPECT_EQ(chooseKernelLevel("", withAvx2(), &complaint), KernelLevel::Avx2);
  EXPECT_EQ(chooseKernelLevel(nullptr, CpuFeatures{}, &complaint), KernelLevel::Reference);
  CpuFeatures avx512_without_fma = withAvx512();
  avx512_without_fma.fma = false;  // the AVX-512 level keeps AVX2/FMA kernels for the other ops
  EXPECT_EQ(chooseKernelLevel(nullptr, avx512_without_fma, &complaint), KernelLevel::Reference);
  EXPECT_TRUE(complaint.empty());
}

TEST(KernelLevel, RequestPinsASupportedLevel) {
  std::string complaint;
  EXPECT_EQ(chooseKernelLevel("avx2", withAvx512(), &complaint), KernelLevel::Avx2);
  EXPECT_EQ(chooseKernelLevel("reference", withAvx512(), &complaint), KernelLevel::Reference);
  EXPECT_EQ(chooseKernelLevel("reference", CpuFeatures{}, &complaint), KernelLevel::Reference);
  EXPECT_EQ(chooseKernelLevel("avx512", withAvx512(), &complaint), KernelLevel::Avx512);
  EXPECT_TRUE(complaint.empty());
}

TEST(KernelLevel, UnsupportedOrUnknownRequestFallsBackWithAMessage) {
  std::string complaint;
  EXPECT_EQ(chooseKernelLevel("avx512", withAvx2(), &complaint), KernelLevel::Avx2);
  EXPECT_NE(complaint.find("FOLIO_CPU_KERNELS=avx512"), std::string::npos) << complaint;
  EXPECT_NE(complaint.find("using avx2"), std::string::npos) << complaint;
  complaint.clear();
  EXPECT_EQ(chooseKernelLevel("AVX-512", withAvx512(), &complaint), KernelLevel::Avx512);
  EXPECT_NE(complaint.find("not a level (avx512, avx2, reference)"), std::string::npos) << complaint;
  complaint.clear();
  EXPECT_EQ(chooseKernelLevel("avx2", CpuFeatures{}, &complaint), KernelLevel::Reference);
  EXPECT_NE(complaint.find("using reference"), std::string::npos) << complaint;
}

TEST(KernelLevel, ProcessLevelFollowsTheEnvironment) {
  // whatever this run's FOLIO_CPU_KERNELS is, the process's level is what it asks for on this CPU
  EXPECT_EQ(kernelLevel(), chooseKernelLevel(std::getenv("FOLIO_CPU_KERNELS"), cpuFeatures(), nullptr));
  EXPECT_TRUE(cpuSupports(cpuFeatures(), kernelLevel()));
}
