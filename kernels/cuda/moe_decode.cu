// Decode-time MoE for a few tokens without a host sync: the expert ids are read on the device and
// each expert row is a warp GEMV (bandwidth bound; every weight byte of a chosen expert read once per
// token). Two launches: gate/up rows -> act = silu(g)·u, then down rows -> out += w·(act·W2ᵀ).
// Two forms (decode_paths.h): Rows, a warp per expert row; RowPairs (the default), a warp per two rows
// read together (an expert's gate with its up row, two experts' down rows).
#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/decode_paths.h"
#include "kernels/cuda/weight_rows.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kWarps = 8;
constexpr int kMaxTopK = 8;

__device__ __forceinline__ float silu(float v) { return v / (1.0f + expf(-v)); }

// *out += Σ contrib[j] (j < n) added in ascending expert id order, as the CPU adds experts.
__device__ __forceinline__ void addInExpertOrder(const float* contrib, int* ids, int n, float* out) {
  float acc = *out;
  for (int done = 0; done < n; ++done) {
    int best = -1;
    for (int j = 0; j < n; ++j)
      if (ids[j] >= 0 && (best < 0 || ids[j] < ids[best])) best = j;
    acc += contrib[best];
    ids[best] = -1;
  }
  *out = acc;
}

// grid (⌈I/kWarps⌉, T·K): warp → row i of W1[e] and W3[e] for (token, slot).
__global__ void gateUpKernel(const float* x, int64_t C, int64_t I, const int* experts, const int* kept, int K,
                             const DeviceMatrix* w1s, const DeviceMatrix* w3s, float* act) {
  const int64_t i = int64_t(blockIdx.x) * kWarps + (threadIdx.x >> 5);
  const int64_t t = blockIdx.y / K;
  const int slot = static_cast<int>(blockIdx.y % K);
  if (i >= I || slot >= kept[t]) return;
  const int e = experts[t * K + slot];
  float g[detail::kMaxGemvTokens], u[detail::kMaxGemvTokens];
  detail::warpMatrixRowDots(w1s[e], i, x + t * C, C, 1, g);
  detail::warpMatrixRowDots(w3s[e], i, x + t * C, C, 1, u);
  if ((threadIdx.x & 31) == 0) act[(t * K + slot) * I + i] = silu(g[0]) * u[0];
}

// grid (⌈C/kWarps⌉, T): warp → output c of token t, experts added in ascending index order (as the CPU).
__global__ void downKernel(const float* act, int64_t C, int64_t I, const int* experts, const float* weights,
                           const int* kept, int K, const DeviceMatrix* w2s, float* out) {
  const int64_t c = int64_t(blockIdx.x) * kWarps + (threadIdx.x >> 5);
  const int64_t t = blockIdx.y;
  if (c >= C) return;
  const int n = kept[t];
  float contrib[kMaxTopK];
  int ids[kMaxTopK];
  for (int j = 0; j < n; ++j) {
    const int e = experts[t * K + j];
    float y[detail::kMaxGemvTokens];
    detail::warpMatrixRowDots(w2s[e], c, act + (t * K + j) * I, I, 1, y);
    contrib[j] = weights[t * K + j] * y[0];
    ids[j] = e;
  }
  if ((threadIdx.x & 31) != 0) return;
  addInExpertOrder(contrib, ids, n, out + t * C + c);
}

// RowPairs form. grid (⌈I/kWarps⌉, T·K): warp → row i of W1[e] and of W3[e], their loads interleaved.
__global__ void gateUpPairKernel(const float* x, int64_t C, int64_t I, const int* experts, const int* kept, int K,
                                 const DeviceMatrix* w1s, const DeviceMatrix* w3s, float* act) {
  const int64_t i = int64_t(blockIdx.x) * kWarps + (threadIdx.x >> 5);
  const int64_t t = blockIdx.y / K;
  const int slot = static_cast<int>(blockIdx.y % K);
  if (i >= I || slot >= kept[t]) return;
  const int e = experts[t * K + slot];
  float gu[2];
  detail::warpMatrixRowPairDots(w1s[e], i, x + t * C, w3s[e], i, x + t * C, 2, gu);
  if ((threadIdx.x & 31) == 0) act[(t * K + slot) * I + i] = silu(gu[0]) * gu[1];
}

// RowPairs form. grid (⌈C/kWarps⌉, T): warp → output c of token t, the experts' rows read two at a time.
__global__ void downPairKernel(const float* act, int64_t C, int64_t I, const int* experts, const float* weights,
                               const int* kept, int K, const DeviceMatrix* w2s, float* out) {
  const int64_t c = int64_t(blockIdx.x) * kWarps + (threadIdx.x >> 5);
  const int64_t t = blockIdx.y;
  if (c >= C) return;
  const int n = kept[t];
  float contrib[kMaxTopK];
  int ids[kMaxTopK];
  for (int j = 0; j < n; j += 2) {
    const int e0 = experts[t * K + j], e1 = j + 1 < n ? experts[t * K + j + 1] : e0;
    float y[2];
    detail::warpMatrixRowPairDots(w2s[e0], c, act + (t * K + j) * I, w2s[e1], c,
                                  act + (t * K + (j + 1 < n ? j + 1 : j)) * I, j + 1 < n ? 2 : 1, y);
    contrib[j] = weights[t * K + j] * y[0];
    ids[j] = e0;
    if (j + 1 < n) contrib[j + 1] = weights[t * K + j + 1] * y[1], ids[j + 1] = e1;
  }
  if ((threadIdx.x & 31) != 0) return;
  addInExpertOrder(contrib, ids, n, out + t * C + c);
}

}  // namespace

void moeDecode(const float* x, int64_t T, int64_t C, int64_t I, const int* experts, const float* weights,
               const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s, const DeviceMatrix* w2s,
               float* act, float* out, cudaStream_t s) {
  detail::moeDecodeWithPath(detail::kDefaultMoeDecodePath, x, T, C, I, experts, weights, kept, K, w1s, w3s, w2s,
                            act, out, s);
}

void detail::moeDecodeWithPath(DecodeGemvPath path, const float* x, int64_t T, int64_t C, int64_t I,
                               const int* experts, const float* weights, const int* kept, int K,
                               const DeviceMatrix* w1s, const DeviceMatrix* w3s, const DeviceMatrix* w2s, float* act,
                               float* out, cudaStream_t s) {
  detail::requireArg(T <= detail::kMaxGemvTokens, "moeDecode", "at most 8 tokens");
  detail::requireArg(K > 0 && K <= kMaxTopK, "moeDecode", "K must be in 1 … 8");
  detail::requireArg(C > 0 && I > 0, "moeDecode", "C and I must be > 0");
  detail::requireArg(path != DecodeGemvPath::Cublas, "moeDecode", "no cuBLAS form");
  if (T <= 0) return;
  const dim3 gridUp(static_cast<unsigned>((I + kWarps - 1) / kWarps), static_cast<unsigned>(T * K));
  const dim3 gridDown(static_cast<unsigned>((C + kWarps - 1) / kWarps), static_cast<unsigned>(T));
  if (path == DecodeGemvPath::RowPairs) {
    gateUpPairKernel<<<gridUp, kWarps * 32, 0, s>>>(x, C, I, experts, kept, K, w1s, w3s, act);
    FOLIO_CUDA_LAUNCH_CHECK();
    downPairKernel<<<gridDown, kWarps * 32, 0, s>>>(act, C, I, experts, weights, kept, K, w2s, out);
    FOLIO_CUDA_LAUNCH_CHECK();
    return;
  }
  gateUpKernel<<<gridUp, kWarps * 32, 0, s>>>(x, C, I, experts, kept, K, w1s, w3s, act);
  FOLIO_CUDA_LAUNCH_CHECK();
  downKernel<<<gridDown, kWarps * 32, 0, s>>>(act, C, I, experts, weights, kept, K, w2s, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
