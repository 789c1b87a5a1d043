// Internal to kernels/cuda (and the gpu tests and benchmarks): the one-token decode GEMV and the MoE
// decode with their form forced, so a benchmark can compare them in one run and tests cover each.
//   Rows:   one warp per weight row (the row walked in rounds of 4 loads per lane).
//   RowPairs: one warp per two rows whose loads interleave (dense: adjacent rows; MoE: an expert's gate
//           and up rows, two experts' down rows), 8 loads in flight per lane.
//   Cublas: (dense only) BF16 weights: the input converted to bf16, then cublasGemmEx with one column;
//           F32 weights: cublasSgemm with one column.
// matmul and moeDecode (ops.h) use the default form below.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "kernels/cuda/ops.h"

namespace folio::kernels::cuda::detail {

enum class DecodeGemvPath { Rows, RowPairs, Cublas };

// The forms matmul (T = 1) and moeDecode use, from bench_gpu_kernels on an H200 (docs/perf.md), as a share
// of copy bandwidth: BF16 qkv 6144 → 24576 row pairs 83 %, cuBLAS 81 %, a warp per row 63 %; out_proj
// 8192 → 6144 69 / 53 / 52 %; MoE layer at M = 1 row pairs 77 %, a warp per row 65 % (cuBLAS batched
// 72 %, rows cut into warp-sized parts 56 %: both dropped). F32 (the lm_head, 32768 × 6144) a warp per
// row 100 %, row pairs 99 %, cuBLAS 91 %. I8 takes row pairs, the same kernel as BF16 (not measured).
constexpr DecodeGemvPath oneTokenPathFor(DType dtype) {
  return dtype == DType::F32 ? DecodeGemvPath::Rows : DecodeGemvPath::RowPairs;
}
inline constexpr DecodeGemvPath kDefaultMoeDecodePath = DecodeGemvPath::RowPairs;

// y[0, n] = x · row n for one token (T = 1), every n < w.rows; F32, BF16 or I8 weights (Cublas: F32 or BF16).
void gemvOneTokenWithPath(DecodeGemvPath path, GemmContext& ctx, const float* x, const DeviceMatrix& w, float* y);

// moeDecode (ops.h) with the form forced (Rows or RowPairs).
void moeDecodeWithPath(DecodeGemvPath path, const float* x, int64_t T, int64_t C, int64_t I, const int* experts,
                       const float* weights, const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s,
                       const DeviceMatrix* w2s, float* act, float* out, cudaStream_t s);

// out[i] = bf16(x[i]) (round to nearest even), n elements, on stream s.
void convertToBf16(const float* x, int64_t n, uint16_t* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
