// Greedy sampling on the device: one block per row, ties to the lower id.
#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kThreads = 512;

struct Best {
  float value;
  int64_t index;  // −1: nothing seen yet
};

// a beats b: larger value, or equal value at a lower index (NaN never beats a number it follows).
__device__ __forceinline__ bool beats(const Best& a, const Best& b) {
  if (a.index < 0) return false;
  if (b.index < 0) return true;
  return a.value > b.value || (!(a.value < b.value) && a.index < b.index);
}

__global__ void argmaxKernel(const float* logits, int64_t V, int32_t* out) {
  __shared__ float vals[32];
  __shared__ int64_t idxs[32];
  const float* row = logits + blockIdx.x * V;  // [V]
  Best best{0.0f, -1};
  for (int64_t i = threadIdx.x; i < V; i += blockDim.x) {
    const Best cand{row[i], i};
    if (beats(cand, best)) best = cand;
  }
  for (int o = 16; o > 0; o >>= 1) {
    const Best other{__shfl_xor_sync(0xffffffffu, best.value, o), __shfl_xor_sync(0xffffffffu, best.index, o)};
    if (beats(other, best)) best = other;
  }
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) vals[warp] = best.value, idxs[warp] = best.index;
  __syncthreads();
  if (warp == 0) {
    best = lane < (blockDim.x >> 5) ? Best{vals[lane], idxs[lane]} : Best{0.0f, -1};
    for (int o = 16; o > 0; o >>= 1) {
      const Best other{__shfl_xor_sync(0xffffffffu, best.value, o), __shfl_xor_sync(0xffffffffu, best.index, o)};
      if (beats(other, best)) best = other;
    }
    if (lane == 0) out[blockIdx.x] = static_cast<int32_t>(best.index);
  }
}

}  // namespace

void argmaxRows(const float* logits, int64_t T, int64_t V, int32_t* out, cudaStream_t s) {
  detail::requireArg(V > 0, "argmaxRows", "V must be > 0");
  if (T <= 0) return;
  argmaxKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(logits, V, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
