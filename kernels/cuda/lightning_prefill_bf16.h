// Internal to kernels/cuda: the lightning prefill whose products read bf16 operands from registers
// (LightningPrecision::Bf16), lightning_prefill_bf16.cu. lightningPrefillWithPath dispatches to it for
// D = 64/128 with 16-byte aligned qkv/out; it leaves `pending` for the caller to clear.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace folio::kernels::cuda::detail {

void lightningPrefillBf16(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                          const int32_t* pending, float* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
