// Device helpers shared by the kernels in this folder (not part of the ops.h contract): bf16 bit
// conversions that match kernels/cpu/dtype.h, warp reductions, launch checks and grid sizing.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "kernels/cuda/op_checks.h"

namespace folio::kernels::cuda::detail {

__device__ __forceinline__ float bf16BitsToFloat(uint16_t bits) { return __uint_as_float(uint32_t(bits) << 16); }

// Round to nearest even, quiet NaN, exactly as folio::kernels::f32ToBf16.
__device__ __forceinline__ uint16_t floatToBf16Bits(float f) {
  uint32_t u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

// The value a bf16 matrix product sees for an fp32 input (the contract converts inputs to bf16).
__device__ __forceinline__ float roundToBf16(float f) { return bf16BitsToFloat(floatToBf16Bits(f)); }

__device__ __forceinline__ float warpSum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warpMax(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Sum over a whole block (blockDim.x a multiple of 32, ≤ 1024); every thread gets the result.
__device__ __forceinline__ float blockSum(float v, float* smem32) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
  v = warpSum(v);
  __syncthreads();  // smem32 may still be read by a previous call
  if (lane == 0) smem32[warp] = v;
  __syncthreads();
  float total = lane < nwarps ? smem32[lane] : 0.0f;
  return warpSum(total);
}

// Blocks for a grid-stride loop over n elements.
inline unsigned gridFor(int64_t n, int threads) {
  const int64_t blocks = (n + threads - 1) / threads;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > 65535 * 8 ? 65535 * 8 : blocks));
}

}  // namespace folio::kernels::cuda::detail
