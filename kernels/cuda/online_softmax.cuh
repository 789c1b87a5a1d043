// The online softmax step shared by the tensor-core attention kernels (softmax_prefill_mma.cu,
// softmax_decode_mma.cu): one tile of scores held as mma accumulators, whose rows g and g + 8 each live
// in one quad of lanes (mma_bf16.cuh).
#pragma once

#include <cuda_runtime.h>

#include <cmath>

namespace folio::kernels::cuda::detail {

// sc: NT accumulator tiles of scores in log2 units, masked entries −∞. Updates the running row maxima m
// and sums l (rows g, g + 8; l holds this lane's share, summed over the quad only at the end, as all four
// lanes share one max), rescales the NO output tiles o to the new maxima and turns sc into the
// probabilities 2^(s − m). A row that has seen no key yet keeps m = −∞, p = 0 and o = 0.
template <int NT, int NO>
__device__ __forceinline__ void onlineSoftmaxTile(float (&sc)[NT][4], float (&m)[2], float (&l)[2],
                                                  float (&o)[NO][4]) {
  float tileMax[2] = {-INFINITY, -INFINITY};
#pragma unroll
  for (int j = 0; j < NT; ++j)
#pragma unroll
    for (int e = 0; e < 4; ++e) tileMax[e >> 1] = fmaxf(tileMax[e >> 1], sc[j][e]);
  float mUse[2], alpha[2];
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    tileMax[r] = fmaxf(tileMax[r], __shfl_xor_sync(0xffffffffu, tileMax[r], 1));
    tileMax[r] = fmaxf(tileMax[r], __shfl_xor_sync(0xffffffffu, tileMax[r], 2));
    const float mNew = fmaxf(m[r], tileMax[r]);
    mUse[r] = mNew == -INFINITY ? 0.0f : mNew;
    alpha[r] = exp2f(m[r] - mUse[r]);  // 0 on the first tile with a visible key (m was −∞)
    m[r] = mNew;
  }
  float rowSum[2] = {0.0f, 0.0f};
#pragma unroll
  for (int j = 0; j < NT; ++j)
#pragma unroll
    for (int e = 0; e < 4; ++e) {
      const float p = exp2f(sc[j][e] - mUse[e >> 1]);
      sc[j][e] = p;
      rowSum[e >> 1] += p;
    }
  l[0] = l[0] * alpha[0] + rowSum[0];
  l[1] = l[1] * alpha[1] + rowSum[1];
#pragma unroll
  for (int nt = 0; nt < NO; ++nt) {
    o[nt][0] *= alpha[0], o[nt][1] *= alpha[0];
    o[nt][2] *= alpha[1], o[nt][3] *= alpha[1];
  }
}

}  // namespace folio::kernels::cuda::detail
