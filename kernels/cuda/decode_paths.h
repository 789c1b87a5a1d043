// Internal to kernels/cuda (and the gpu tests and benchmarks): the one-token decode GEMV and the MoE
// decode with their form forced, so a benchmark can compare them in one run and tests cover each.
//   Rows:   one warp per weight row (the row walked in rounds of 4 loads per lane).
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

enum class DecodeGemvPath { Rows, Split, Cublas };

inline constexpr DecodeGemvPath kDefaultDecodeGemvPath = DecodeGemvPath::Split;
inline constexpr DecodeGemvPath kDefaultF32OneTokenPath = DecodeGemvPath::Cublas;  // F32 weights (the lm_head)

// y[0, n] = x · row n for one token (T = 1), every n < w.rows; F32, BF16 or I8 weights (Cublas: F32 or BF16).
void gemvOneTokenWithPath(DecodeGemvPath path, GemmContext& ctx, const float* x, const DeviceMatrix& w, float* y);

// moeDecode (ops.h) with the form forced (Rows or Split).
void moeDecodeWithPath(DecodeGemvPath path, const float* x, int64_t T, int64_t C, int64_t I, const int* experts,
                       const float* weights, const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s,
                       const DeviceMatrix* w2s, float* act, float* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
