// MoE router on the device: one warp per token mirrors ref::routeTopK (fp32 softmax, top-k by repeated
// selection with ties to the lower index, τ threshold in double, renormalisation over the kept ones).
#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kWarpsPerBlock = 4;
constexpr int kMaxPerLane = 8;  // E ≤ 256
constexpr int kMaxTopK = 32;

__global__ void routeKernel(const float* logits, int64_t T, int E, int K, double tau, int* experts, float* weights,
                            int* keptOut, float* probsOut) {
  const int64_t t = int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5);
  if (t >= T) return;
  const int lane = threadIdx.x & 31;
  const float* row = logits + t * E;  // [E]
  float p[kMaxPerLane];
  float mx = -INFINITY;
#pragma unroll
  for (int j = 0; j < kMaxPerLane; ++j) {
    const int e = lane + 32 * j;
    p[j] = e < E ? row[e] : -INFINITY;
    mx = fmaxf(mx, p[j]);
  }
  mx = detail::warpMax(mx);
  float sum = 0.0f;
#pragma unroll
  for (int j = 0; j < kMaxPerLane; ++j) {
    const int e = lane + 32 * j;
    p[j] = e < E ? expf(p[j] - mx) : 0.0f;
    sum += p[j];
  }
  const float inv = 1.0f / detail::warpSum(sum);
#pragma unroll
  for (int j = 0; j < kMaxPerLane; ++j) {
    const int e = lane + 32 * j;
    p[j] *= inv;
    if (probsOut && e < E) probsOut[t * E + e] = p[j];
  }
  // top-k: each round the highest untaken probability, ties to the lower expert index
  unsigned taken = 0;  // bit j: this lane's expert lane + 32·j is chosen
  int chosen[kMaxTopK];
  float chosenP[kMaxTopK];
  for (int slot = 0; slot < K; ++slot) {
    float bv = 0.0f;
    int bi = -1;
#pragma unroll
    for (int j = 0; j < kMaxPerLane; ++j) {
      const int e = lane + 32 * j;
      if (e >= E || (taken >> j & 1u)) continue;
      if (bi < 0 || p[j] > bv) bv = p[j], bi = e;
    }
    for (int o = 16; o > 0; o >>= 1) {
      const float ov = __shfl_xor_sync(0xffffffffu, bv, o);
      const int oi = __shfl_xor_sync(0xffffffffu, bi, o);
      const bool better = oi >= 0 && (bi < 0 || ov > bv || (!(ov < bv) && oi < bi));
      if (better) bv = ov, bi = oi;
    }
    if (bi % 32 == lane) taken |= 1u << (bi / 32);
    chosen[slot] = bi;
    chosenP[slot] = bv;
  }
  if (lane != 0) return;
  int kept = K;
  if (tau < 1.0) {
    double total = 0.0;
    for (int j = 0; j < K; ++j) total += chosenP[j];
    const double target = tau * total;
    double prefix = 0.0;
    kept = 0;
    while (kept < K) {
      prefix += chosenP[kept];
      ++kept;
      if (prefix >= target) break;
    }
  }
  float keptSum = 0.0f;
  for (int j = 0; j < kept; ++j) keptSum += chosenP[j];
  for (int j = 0; j < K; ++j) {
    experts[t * K + j] = j < kept ? chosen[j] : -1;
    weights[t * K + j] = j < kept ? chosenP[j] / keptSum : 0.0f;
  }
  keptOut[t] = kept;
}

}  // namespace

void routeTopK(const float* logits, int64_t T, int E, int K, double tau, int* experts, float* weights, int* kept,
               float* probs, cudaStream_t s) {
  detail::requireArg(E > 0 && E <= 32 * kMaxPerLane, "routeTopK", "E must be in 1 … 256");
  detail::requireArg(K > 0 && K <= E && K <= kMaxTopK, "routeTopK", "top-k K must be in 1 … min(E, 32)");
  detail::requireArg(tau > 0.0, "routeTopK", "τ must be > 0");
  if (T <= 0) return;
  const unsigned blocks = static_cast<unsigned>((T + kWarpsPerBlock - 1) / kWarpsPerBlock);
  routeKernel<<<blocks, kWarpsPerBlock * 32, 0, s>>>(logits, T, E, K, tau, experts, weights, kept, probs);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
