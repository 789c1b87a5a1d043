// Pass 2 of the chunked lightning prefill: the scan over groups, elementwise over each head's D×D state.
// Each thread owns one state element, so the reads and writes of a group's [D, D] slab are coalesced.
#include "kernels/cuda/lightning_prefill_scan.h"

#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kScanThreads = 256;

__global__ void lightningStateScanKernel(float* groupStates, int64_t groups, int64_t groupTokens,
                                         int64_t lastGroupTokens, int64_t DD, const double* decay, float* state,
                                         const int32_t* pending) {
  const int64_t h = blockIdx.y, e = int64_t(blockIdx.x) * kScanThreads + threadIdx.x;
  if (e >= DD) return;
  const double s = decay[h];
  // decays computed in double, as the block kernels do for their e^{−s·n} table
  const float decayFull = static_cast<float>(exp(-s * static_cast<double>(groupTokens)));
  const float decayLast = static_cast<float>(exp(-s * static_cast<double>(lastGroupTokens)));
  float S = state[h * DD + e];
  if (pending != nullptr && pending[h] != 0) S *= static_cast<float>(exp(-s * static_cast<double>(pending[h])));
  float* slab = groupStates + h * groups * DD + e;  // group g at slab[g·DD]
  for (int64_t g = 0; g < groups; ++g) {
    const float u = slab[g * DD];
    slab[g * DD] = S;
    S = (g + 1 == groups ? decayLast : decayFull) * S + u;
  }
  state[h * DD + e] = S;
}

}  // namespace

void detail::lightningStateScan(float* groupStates, int64_t groups, int64_t groupTokens, int64_t lastGroupTokens,
                                int64_t H, int64_t D, const double* decay, float* state, const int32_t* pending,
                                cudaStream_t s) {
  const int64_t DD = D * D;
  const dim3 grid(detail::gridFor(DD, kScanThreads), static_cast<unsigned>(H));
  lightningStateScanKernel<<<grid, kScanThreads, 0, s>>>(groupStates, groups, groupTokens, lastGroupTokens, DD,
                                                         decay, state, pending);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
