// Elementwise ops of the forward pass (grid-stride loops; expf, not __expf, to stay close to the CPU).
#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ int64_t firstIndex() { return blockIdx.x * int64_t(blockDim.x) + threadIdx.x; }
__device__ __forceinline__ int64_t stride() { return int64_t(gridDim.x) * blockDim.x; }
__device__ __forceinline__ float silu(float v) { return v / (1.0f + expf(-v)); }
__device__ __forceinline__ float sigmoid(float v) { return 1.0f / (1.0f + expf(-v)); }

__global__ void siluKernel(float* x, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += stride()) x[i] = silu(x[i]);
}
__global__ void sigmoidKernel(float* x, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += stride()) x[i] = sigmoid(x[i]);
}
__global__ void siluMulKernel(const float* a, const float* b, float* out, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += stride()) out[i] = silu(a[i]) * b[i];
}
__global__ void mulKernel(float* x, const float* y, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += stride()) x[i] *= y[i];
}
__global__ void residualMixKernel(float* x, const float* res, float alpha, const float* y, float beta, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += stride()) x[i] = alpha * res[i] + beta * y[i];
}
// moe[t, c] = moe·(1 − g_t) + shared·g_t, g_t = σ(coef[t]); grid-stride over T·C.
__global__ void sharedMixKernel(float* moe, const float* shared, const float* coef, int64_t T, int64_t C) {
  for (int64_t i = firstIndex(); i < T * C; i += stride()) {
    const float g = sigmoid(coef[i / C]);
    moe[i] = moe[i] * (1.0f - g) + shared[i] * g;
  }
}

}  // namespace

void siluInPlace(float* x, int64_t n, cudaStream_t s) {
  if (n <= 0) return;
  siluKernel<<<detail::gridFor(n, kThreads), kThreads, 0, s>>>(x, n);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void sigmoidInPlace(float* x, int64_t n, cudaStream_t s) {
  if (n <= 0) return;
  sigmoidKernel<<<detail::gridFor(n, kThreads), kThreads, 0, s>>>(x, n);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void siluMul(const float* a, const float* b, float* out, int64_t n, cudaStream_t s) {
  if (n <= 0) return;
  siluMulKernel<<<detail::gridFor(n, kThreads), kThreads, 0, s>>>(a, b, out, n);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void mulInPlace(float* x, const float* y, int64_t n, cudaStream_t s) {
  if (n <= 0) return;
  mulKernel<<<detail::gridFor(n, kThreads), kThreads, 0, s>>>(x, y, n);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void residualMix(float* x, const float* res, float alpha, const float* y, float beta, int64_t n, cudaStream_t s) {
  if (n <= 0) return;
  residualMixKernel<<<detail::gridFor(n, kThreads), kThreads, 0, s>>>(x, res, alpha, y, beta, n);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void sharedExpertMix(float* moe, const float* shared, const float* coef, int64_t T, int64_t C, cudaStream_t s) {
  if (T <= 0 || C <= 0) return;
  sharedMixKernel<<<detail::gridFor(T * C, kThreads), kThreads, 0, s>>>(moe, shared, coef, T, C);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
