#include <cuda_runtime.h>

#include <cstdio>
#include <string>

#include "kernels/cuda/device.h"

namespace folio::kernels::cuda {
namespace {

__global__ void saxpyKernel(float a, const float* x, float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

// Frees device memory on every exit path.
struct DeviceBuffer {
  float* ptr = nullptr;
  ~DeviceBuffer() { if (ptr) cudaFree(ptr); }
};

}  // namespace

int deviceCount() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error left by a missing driver
    return 0;
  }
  return n;
}

std::string deviceDescription(int device) {
  cudaDeviceProp p{};
  if (cudaError_t e = cudaGetDeviceProperties(&p, device); e != cudaSuccess) return cudaGetErrorString(e);
  char buf[512];
  std::snprintf(buf, sizeof buf, "%s, sm_%d%d, %.1f GiB", p.name, p.major, p.minor,
                static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

std::string saxpyOnDevice(int device, float a, const float* x, float* y, int n) {
  if (cudaError_t e = cudaSetDevice(device); e != cudaSuccess) return cudaGetErrorString(e);
  DeviceBuffer dx, dy;
  const size_t bytes = static_cast<size_t>(n) * sizeof(float);
  cudaError_t e = cudaMalloc(&dx.ptr, bytes);
  if (e == cudaSuccess) e = cudaMalloc(&dy.ptr, bytes);
  if (e == cudaSuccess) e = cudaMemcpy(dx.ptr, x, bytes, cudaMemcpyHostToDevice);
  if (e == cudaSuccess) e = cudaMemcpy(dy.ptr, y, bytes, cudaMemcpyHostToDevice);
  if (e == cudaSuccess) {
    saxpyKernel<<<(n + 255) / 256, 256>>>(a, dx.ptr, dy.ptr, n);
    e = cudaGetLastError();
  }
  if (e == cudaSuccess) e = cudaMemcpy(y, dy.ptr, bytes, cudaMemcpyDeviceToHost);
  return e == cudaSuccess ? std::string() : std::string(cudaGetErrorString(e));
}

}  // namespace folio::kernels::cuda
