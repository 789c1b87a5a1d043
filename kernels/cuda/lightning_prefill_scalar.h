// Internal to kernels/cuda: the scalar lightning prefill that lightningPrefill (lightning_prefill.cu)
// falls back to. Same arguments as the ops.h contract; it folds `pending` into the state it reads but
// leaves clearing `pending` to its caller (every CTA of a head reads it).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace folio::kernels::cuda::detail {

// Any D in 1 … 256, any alignment. qkv [T, H, 3, D], state [H, D, D], pending [H], out [T, H, D]; T > 0.
void lightningPrefillScalar(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                            const int32_t* pending, float* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
