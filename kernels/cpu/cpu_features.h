// Runtime CPU feature detection for the optimised kernels. The result is immutable and computed once
// (a function-local static), so every kernel dispatches on the same answer for the process lifetime.
#pragma once

namespace folio::kernels {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bf16 = false;
  bool amx_bf16 = false;
};

const CpuFeatures& cpuFeatures();

// True when the CPU can run the AVX2 + FMA + F16C kernels. Which level the dispatched ops use is
// kernelLevel() (kernel_level.h): the best the CPU supports unless FOLIO_CPU_KERNELS pins a lower one.
inline bool hasAvx2Fma() {
  const CpuFeatures& f = cpuFeatures();
  return f.avx2 && f.fma && f.f16c;
}

}  // namespace folio::kernels
