// The machine's own limits, measured in the same run as the engine benchmarks (B0 of `folio bench`):
// memory bandwidth (STREAM triad over arrays far larger than the caches) and the fp32 FMA peak of the
// AVX2 kernels' instruction set, both on `threads` threads.
#pragma once

namespace folio::bench {

struct MachineLimits {
  double triad_gbs = 0;        // GB/s, 3 arrays × 4 bytes per element per pass
  double fma_peak_gflops = 0;  // GFLOP/s (2 flops per lane per FMA), 8-lane AVX2 FMAs
  bool avx2 = false;
};

MachineLimits measureLimits(int threads);

}  // namespace folio::bench
