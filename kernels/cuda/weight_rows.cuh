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

// acc[r][t] = Σ_k x[t·ldx + k] · row_r[k] for R consecutive rows (row_r = first + r·K) that share
// every input load: each input value is read from L1 once per R weight rows rather than once per
// row, which is what bounds the one-row form at T > 1. Rows r ≥ nrows are not read.
template <int R, typename W>
__device__ __forceinline__ void warpRowsDots(const W* first, int nrows, const float* x, int64_t ldx, int T, int64_t K,
                                             float acc[R][kMaxGemvTokens]) {
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int r = 0; r < R; ++r)
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) acc[r][t] = 0.0f;
  const bool aligned = K % 8 == 0 && reinterpret_cast<uintptr_t>(first) % (8 * sizeof(W)) == 0 &&
                       reinterpret_cast<uintptr_t>(x) % 16 == 0 && ldx % 4 == 0;
  const int64_t nvec = aligned ? K / 8 : 0;
  // one row: unrolled so a lane has several 16-byte weight loads in flight (a whole 12 KB row is only
  // 24 loads per lane); four rows already have four in flight per step
#pragma unroll(R == 1 ? 4 : 1)
  for (int64_t c = lane; c < nvec; c += 32) {
    float w[R][8];
#pragma unroll
    for (int r = 0; r < R; ++r) load8(first + (r < nrows ? r : 0) * K, c * 8, w[r]);
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) {
      if (t >= T) break;
      const float4 a = *reinterpret_cast<const float4*>(x + t * ldx + c * 8);
      const float4 b = *reinterpret_cast<const float4*>(x + t * ldx + c * 8 + 4);
      float xs[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
#pragma unroll
      for (int i = 0; i < 8; ++i) xs[i] = inputValue<W>(xs[i]);
#pragma unroll
      for (int r = 0; r < R; ++r) {
        float s = 0.0f;
#pragma unroll
        for (int i = 0; i < 8; ++i) s += xs[i] * w[r][i];
        acc[r][t] += s;
      }
    }
  }
  for (int64_t k = nvec * 8 + lane; k < K; k += 32) {
    float w[R];
#pragma unroll
    for (int r = 0; r < R; ++r) w[r] = load1(first + (r < nrows ? r : 0) * K, k);
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t) {
      if (t >= T) break;
      const float xv = inputValue<W>(x[t * ldx + k]);
#pragma unroll
      for (int r = 0; r < R; ++r) acc[r][t] += xv * w[r];
    }
  }
#pragma unroll
  for (int r = 0; r < R; ++r)
#pragma unroll
    for (int t = 0; t < kMaxGemvTokens; ++t)
      if (t < T) acc[r][t] = warpSum(acc[r][t]);
}

// The same for rows n0 … n0+nrows−1 of a DeviceMatrix of any supported dtype, I8 row scales applied.
template <int R>
__device__ __forceinline__ void warpMatrixRowsDots(const DeviceMatrix& w, int64_t n0, int nrows, const float* x,
                                                   int64_t ldx, int T, float acc[R][kMaxGemvTokens]) {
  const int64_t K = w.cols;
  if (w.dtype == DType::BF16) {
    warpRowsDots<R>(static_cast<const uint16_t*>(w.data) + n0 * K, nrows, x, ldx, T, K, acc);
  } else if (w.dtype == DType::I8) {
    warpRowsDots<R>(static_cast<const int8_t*>(w.data) + n0 * K, nrows, x, ldx, T, K, acc);
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const float scale = w.row_scales && r < nrows ? w.row_scales[n0 + r] : 1.0f;
#pragma unroll
      for (int t = 0; t < kMaxGemvTokens; ++t) acc[r][t] *= scale;
    }
  } else {
    warpRowsDots<R>(static_cast<const float*>(w.data) + n0 * K, nrows, x, ldx, T, K, acc);
  }
}

// One row: acc[t] (t < T) = Σ_k x[t·ldx + k] · row n, every lane gets the sums.
__device__ __forceinline__ void warpMatrixRowDots(const DeviceMatrix& w, int64_t n, const float* x, int64_t ldx,
                                                  int T, float acc[kMaxGemvTokens]) {
  warpMatrixRowsDots<1>(w, n, 1, x, ldx, T, reinterpret_cast<float(*)[kMaxGemvTokens]>(acc));
}


// ---- gathered rows for one token: R rows of possibly different matrices, each with its own input ----
// acc[r] = Σ_k xs[r][k]·rows[r][k] for r < n, every lane gets the sums. The rows' loads interleave, so a
// lane has 4·R weight loads in flight per step instead of 4 (the MoE decode pairs an expert's gate and up
// rows, and the down rows of two experts). aligned: rows and inputs 16-byte aligned and K % 8 == 0.
template <int R, typename W>
__device__ __forceinline__ void warpGatherDots(const W* const (&rows)[R], const float* const (&xs)[R], int n,
                                               int64_t K, bool aligned, float (&acc)[R]) {
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int r = 0; r < R; ++r) acc[r] = 0.0f;
  const int64_t nvec = aligned ? K / 8 : 0;
#pragma unroll 4
  for (int64_t c = lane; c < nvec; c += 32) {
    float w[R][8];
#pragma unroll
    for (int r = 0; r < R; ++r) load8(rows[r < n ? r : 0], c * 8, w[r]);
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const float* x = xs[r < n ? r : 0] + c * 8;
      const float4 a = *reinterpret_cast<const float4*>(x);
      const float4 b = *reinterpret_cast<const float4*>(x + 4);
      const float v[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
      float s = 0.0f;
#pragma unroll
      for (int i = 0; i < 8; ++i) s += inputValue<W>(v[i]) * w[r][i];
      acc[r] += s;
    }
  }
  for (int64_t k = nvec * 8 + lane; k < K; k += 32)
#pragma unroll
    for (int r = 0; r < R; ++r)
      if (r < n) acc[r] += inputValue<W>(xs[r][k]) * load1(rows[r], k);
#pragma unroll
  for (int r = 0; r < R; ++r) acc[r] = warpSum(acc[r]);
}

// Two rows (a of `ma`, b of `mb`, both of the same dtype) against their inputs; n = 1 computes only a.
// I8 row scales applied.
__device__ __forceinline__ void warpMatrixRowPairDots(const DeviceMatrix& ma, int64_t a, const float* xa,
                                                      const DeviceMatrix& mb, int64_t b, const float* xb, int n,
                                                      float (&out)[2]) {
  const int64_t K = ma.cols;
  const float* const xs[2] = {xa, xb};
  const bool xAligned = reinterpret_cast<uintptr_t>(xa) % 16 == 0 && reinterpret_cast<uintptr_t>(xb) % 16 == 0;
  const size_t elem = ma.dtype == DType::BF16 ? 2 : ma.dtype == DType::I8 ? 1 : 4;
  const bool aligned = xAligned && K % 8 == 0 && reinterpret_cast<uintptr_t>(ma.data) % (8 * elem) == 0 &&
                       reinterpret_cast<uintptr_t>(mb.data) % (8 * elem) == 0;
  if (ma.dtype == DType::BF16) {
    const uint16_t* const rows[2] = {static_cast<const uint16_t*>(ma.data) + a * K,
                                     static_cast<const uint16_t*>(mb.data) + b * K};
    warpGatherDots<2>(rows, xs, n, K, aligned, out);
  } else if (ma.dtype == DType::I8) {
    const int8_t* const rows[2] = {static_cast<const int8_t*>(ma.data) + a * K,
                                   static_cast<const int8_t*>(mb.data) + b * K};
    warpGatherDots<2>(rows, xs, n, K, aligned, out);
    if (ma.row_scales) out[0] *= ma.row_scales[a];
    if (n > 1 && mb.row_scales) out[1] *= mb.row_scales[b];
  } else {
    const float* const rows[2] = {static_cast<const float*>(ma.data) + a * K, static_cast<const float*>(mb.data) + b * K};
    warpGatherDots<2>(rows, xs, n, K, aligned, out);
  }
}

}  // namespace folio::kernels::cuda::detail
