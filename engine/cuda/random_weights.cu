#include "engine/cuda/random_weights.h"

#include <cuda_bf16.h>

#include "kernels/cuda/ops.h"

namespace folio::engine::cuda {
namespace {

// splitmix64 of (seed, index): independent uniform bits per element.
__device__ float uniformAt(uint64_t seed, uint64_t i, float scale) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  const float u = static_cast<float>(z >> 40) * (1.0f / 16777216.0f);  // [0, 1)
  return (2.0f * u - 1.0f) * scale;
}

__global__ void fillBf16Kernel(uint16_t* dst, int64_t n, float scale, uint64_t seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    const __nv_bfloat16 b = __float2bfloat16(uniformAt(seed, static_cast<uint64_t>(i), scale));
    dst[i] = *reinterpret_cast<const uint16_t*>(&b);
  }
}

__global__ void fillF32Kernel(float* dst, int64_t n, float scale, uint64_t seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    dst[i] = uniformAt(seed, static_cast<uint64_t>(i), scale);
  }
}

unsigned gridFor(int64_t n) {
  const int64_t blocks = (n + 255) / 256;
  return static_cast<unsigned>(blocks < 65536 ? (blocks > 0 ? blocks : 1) : 65536);
}

}  // namespace

void fillUniformBf16(uint16_t* dst, int64_t n, float scale, uint64_t seed, cudaStream_t s) {
  if (n <= 0) return;
  fillBf16Kernel<<<gridFor(n), 256, 0, s>>>(dst, n, scale, seed);
  FOLIO_CUDA_CHECK(cudaGetLastError());
}

void fillUniformF32(float* dst, int64_t n, float scale, uint64_t seed, cudaStream_t s) {
  if (n <= 0) return;
  fillF32Kernel<<<gridFor(n), 256, 0, s>>>(dst, n, scale, seed);
  FOLIO_CUDA_CHECK(cudaGetLastError());
}

}  // namespace folio::engine::cuda
