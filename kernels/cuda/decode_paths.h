// Internal to kernels/cuda (and the gpu tests and benchmarks): the one-token decode GEMV and the MoE
// decode with their form forced, so a benchmark can compare them in one run and tests cover each.
//   Rows:   one warp per weight row (the row walked in rounds of 4 loads per lane).
//   RowPairs: one warp per two rows whose loads interleave (dense: adjacent rows; MoE: an expert's gate
//           and up rows, two experts' down rows), 8 loads in flight per lane.
//   Split:  each row cut into parts of ≤ 2,048 columns, one warp per part, all of a part's loads issued
//           at once, the parts summed in a fixed order (weight_rows.cuh).
//   Cublas: (dense only) BF16 weights: the input converted to bf16, then cublasGemmEx with one column;
//           F32 weights: cublasSgemm with one column.
// matmul and moeDecode (ops.h) use the default form below.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "kernels/cuda/ops.h"

namespace folio::kernels::cuda::detail {

enum class DecodeGemvPath { Rows, RowPairs, Split, Cublas };

// The forms matmul (T = 1) and moeDecode use, from bench_gpu_kernels on an H200 (docs/perf.md):
// BF16 dense: cuBLAS (qkv 6144 → 24576: 80 % of copy bandwidth vs 68 % one warp per row, 61 % split);
// F32 dense (the lm_head): split (102 % vs 90 % cuBLAS); I8 dense: a warp per row (cuBLAS has no int8).
constexpr DecodeGemvPath oneTokenPathFor(DType dtype) {
  return dtype == DType::BF16 ? DecodeGemvPath::Cublas : dtype == DType::F32 ? DecodeGemvPath::Split
                                                                             : DecodeGemvPath::Rows;
}
inline constexpr DecodeGemvPath kDefaultMoeDecodePath = DecodeGemvPath::Rows;  // 65 % vs 56 % split at M = 1

// y[0, n] = x · row n for one token (T = 1), every n < w.rows; F32, BF16 or I8 weights (Cublas: F32 or BF16).
void gemvOneTokenWithPath(DecodeGemvPath path, GemmContext& ctx, const float* x, const DeviceMatrix& w, float* y);

// moeDecode (ops.h) with the form forced (Rows, RowPairs or Split).
void moeDecodeWithPath(DecodeGemvPath path, const float* x, int64_t T, int64_t C, int64_t I, const int* experts,
                       const float* weights, const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s,
                       const DeviceMatrix* w2s, float* act, float* out, cudaStream_t s);

// out[t] += Σ_j w_j·expert_j(x[t]) for T ≤ 8 tokens through cuBLAS: the input rounded to bf16, one
// batched GEMM (one column each) over every (token, slot)'s gate and up rows, act = bf16(silu(g)·u), one
// batched GEMM over the down rows, then the experts added in ascending id order. BF16 experts only;
// slots past kept[t] are computed on expert experts[t·K] and ignored. No host sync (pointer arrays are
// filled on the device), so a decode step stays capturable.
size_t moeDecodeCublasScratchBytes(int64_t T, int64_t C, int64_t I, int K);
void moeDecodeCublas(GemmContext& ctx, const float* x, int64_t T, int64_t C, int64_t I, const int* experts,
                     const float* weights, const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s,
                     const DeviceMatrix* w2s, void* scratch, size_t scratchBytes, float* out);

// out[i] = bf16(x[i]) (round to nearest even), n elements, on stream s.
void convertToBf16(const float* x, int64_t n, uint16_t* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
