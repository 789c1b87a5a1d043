// The machine's own limits, measured in the same run as the engine benchmarks (B0 of `folio bench`):
// memory bandwidth (STREAM triad over arrays far larger than the caches) and the fp32 FMA peak of the
// instruction set the kernels run at (kernel_level.h: 16-lane AVX-512 or 8-lane AVX2 FMAs), both on
// `threads` threads.
#pragma once

namespace folio::bench {

struct MachineLimits {
  double triad_gbs = 0;        // GB/s, 3 arrays × 4 bytes per element per pass
  double fma_peak_gflops = 0;  // GFLOP/s (2 flops per lane per FMA) at the kernels' level; 0 for reference
  const char* level = "reference";  // kernelLevelName() of the level measured
};

MachineLimits measureLimits(int threads);

}  // namespace folio::bench
