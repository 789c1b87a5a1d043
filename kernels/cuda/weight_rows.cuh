// Warp-level dot products of a few fp32 input rows with one weight row (F32, BF16 or I8), the core of
// the bandwidth-bound GEMV paths (matmul for T ≤ 8, MoE decode). Inputs are rounded to bf16 when the
// weight is bf16/i8, as the ops.h contract states; accumulation is fp32; I8 rows get their scale.
#pragma once

#include <cstdint>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda::detail {

constexpr int kMaxGemvTokens = 8;

// Eight consecutive weights starting at element k of `row` as fp32 (vector loads when aligned).
__device__ __forceinline__ void load8(const uint16_t* row, int64_t k, float w[8]) {
  const uint4 raw = *reinterpret_cast<const uint4*>(row + k);
  const uint32_t words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    w[2 * i] = __uint_as_float(words[i] << 16);
    w[2 * i + 1] = __uint_as_float(words[i] & 0xffff0000u);
  }
}
__device__ __forceinline__ void load8(const int8_t* row, int64_t k, float w[8]) {
  const uint2 raw = *reinterpret_cast<const uint2*>(row + k);
  const uint32_t words[2] = {raw.x, raw.y};
#pragma unroll
  for (int i = 0; i < 8; ++i) w[i] = static_cast<float>(static_cast<int8_t>((words[i / 4] >> (8 * (i % 4))) & 0xffu));
}
__device__ __forceinline__ void load8(const float* row, int64_t k, float w[8]) {
  const float4 a = *reinterpret_cast<const float4*>(row + k);
  const float4 b = *reinterpret_cast<const float4*>(row + k + 4);
  w[0] = a.x, w[1] = a.y, w[2] = a.z, w[3] = a.w, w[4] = b.x, w[5] = b.y, w[6] = b.z, w[7] = b.w;
}
__device__ __forceinline__ float load1(const uint16_t* row, int64_t k) { return bf16BitsToFloat(row[k]); }
__device__ __forceinline__ float load1(const int8_t* row, int64_t k) { return static_cast<float>(row[k]); }
__device__ __forceinline__ float load1(const float* row, int64_t k) { return row[k]; }

template <typename W>
__device__ __forceinline__ float inputValue(float x) {
  if constexpr (sizeof(W) == sizeof(float)) return x;
  else return roundToBf16(x);
}

// acc[t] (t < T ≤ kMaxGemvTokens) = Σ_k x[t·ldx + k] · row[k], reduced over the warp (every lane gets
// the sums). Unscaled: I8 callers multiply by the row scale.
template <typename W>
__device__ __forceinline__ void warpRowDots(const W* row, const float* x, int64_t ldx, int T, int64_t K,
                                            float acc[kMaxGemvTokens]) {
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int t = 0; t < kMaxGemvTokens; ++t) acc[t] = 0.0f;
  // 8-wide vector path when every row start is aligned for both the weight and the input
  const bool aligned = K % 8 == 0 && reinterpret_cast<uintptr_t>(row) % (8 * sizeof(W)) == 0 &&
                       reinterpret_cast<uintptr_t>(x) % 16 == 0 && ldx % 4 == 0;
  const int64_t nvec = aligned ? K / 8 : 0;
  for (int64_t c = lane; c < nvec; c += 32) {
    float w[8];
    load8(row, c * 8, w);
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) {
      if (t >= T) break;
      const float4 a = *reinterpret_cast<const float4*>(x + t * ldx + c * 8);
      const float4 b = *reinterpret_cast<const float4*>(x + t * ldx + c * 8 + 4);
      const float xs[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
      float s = 0.0f;
#pragma unroll
      for (int i = 0; i < 8; ++i) s += inputValue<W>(xs[i]) * w[i];
      acc[t] += s;
    }
  }
  for (int64_t k = nvec * 8 + lane; k < K; k += 32) {
    const float w = load1(row, k);
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) {
      if (t >= T) break;
      acc[t] += inputValue<W>(x[t * ldx + k]) * w;
    }
  }
#pragma unroll
  for (int t = 0; t < kMaxGemvTokens; ++t) acc[t] = warpSum(acc[t]);
}

// The same for a DeviceMatrix row n of any supported dtype, with the I8 row scale applied.
__device__ __forceinline__ void warpMatrixRowDots(const DeviceMatrix& w, int64_t n, const float* x, int64_t ldx,
                                                  int T, float acc[kMaxGemvTokens]) {
  const int64_t K = w.cols;
  if (w.dtype == DType::BF16) {
    warpRowDots(static_cast<const uint16_t*>(w.data) + n * K, x, ldx, T, K, acc);
  } else if (w.dtype == DType::I8) {
    warpRowDots(static_cast<const int8_t*>(w.data) + n * K, x, ldx, T, K, acc);
    const float scale = w.row_scales ? w.row_scales[n] : 1.0f;
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) acc[t] *= scale;
  } else {
    warpRowDots(static_cast<const float*>(w.data) + n * K, x, ldx, T, K, acc);
  }
}

}  // namespace folio::kernels::cuda::detail
