// Random weights generated directly on the device, for benchmarks of models too large to write to
// disk: a counter-based hash (no state), so the same seed gives the same weights on any device.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace folio::engine::cuda {

// dst[i] = uniform in [−scale, scale), as bf16 bits / as fp32.
void fillUniformBf16(uint16_t* dst, int64_t n, float scale, uint64_t seed, cudaStream_t s);
void fillUniformF32(float* dst, int64_t n, float scale, uint64_t seed, cudaStream_t s);

}  // namespace folio::engine::cuda
