// Softmax attention over the bf16 KV cache (causal, grouped-query), fp32 online softmax.
// Prefill (T > 1): one CTA per (32-query tile, head) walking 32-key tiles flash-style; four threads
// share a query row (scores split by key, the output split by column).
// Decode (T = 1): split-K over a thread-block cluster of kSplit CTAs per head; every warp keeps its own
// running (max, sum, output) over an interleaved share of the positions, and CTA rank 0 merges all
// warps' partials through distributed shared memory (no global scratch needed).
#include <cooperative_groups.h>

#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

namespace cg = cooperative_groups;

constexpr int kTileQ = 32, kTileK = 32, kRowThreads = 4, kPrefillThreads = kTileQ * kRowThreads;
constexpr int kSplit = 8, kDecodeWarps = 4, kUnroll = 4;
constexpr int64_t kMaxHeadDim = 256;

__global__ void kvAppendKernel(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV,
                               int64_t D, uint16_t* kc, uint16_t* vc, int64_t p0) {
  const int64_t n = T * KV * D;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t t = i / (KV * D), r = i % (KV * D);
    kc[(p0 + t) * KV * D + r] = detail::floatToBf16Bits(k[t * ldk + r]);
    vc[(p0 + t) * KV * D + r] = detail::floatToBf16Bits(v[t * ldv + r]);
  }
}

inline size_t prefillSmemBytes(int64_t D) {
  return static_cast<size_t>(2 * kTileQ * (D + 1) + kTileK * D + kTileQ * (kTileK + 1)) * sizeof(float);
}

// NC: output columns per thread (D ≤ 4·NC).
template <int NC>
__global__ void attentionPrefillKernel(const float* q, int64_t ldq, const uint16_t* kc, const uint16_t* vc,
                                       int64_t p0, int64_t T, int64_t H, int64_t KV, int64_t D, float scale,
                                       float* out) {
  extern __shared__ float smem[];
  float* Qs = smem;                      // [kTileQ, D + 1]
  float* Ks = Qs + kTileQ * (D + 1);     // [kTileK, D + 1]
  float* Vs = Ks + kTileK * (D + 1);     // [kTileK, D]
  float* Ps = Vs + kTileK * D;           // [kTileQ, kTileK + 1]
  const int64_t h = blockIdx.y, kvh = h / (H / KV), q0 = int64_t(blockIdx.x) * kTileQ;
  const int tid = threadIdx.x, r = tid / kRowThreads, sub = tid % kRowThreads;
  const int64_t t = q0 + r;
  const bool rowValid = t < T;
  const int64_t rows = T - q0 < kTileQ ? T - q0 : kTileQ;
  for (int64_t e = tid; e < rows * D; e += kPrefillThreads) {
    const int64_t j = e / D, d = e % D;
    Qs[j * (D + 1) + d] = q[(q0 + j) * ldq + h * D + d];
  }
  float acc[NC];
#pragma unroll
  for (int c = 0; c < NC; ++c) acc[c] = 0.0f;
  float mrow = -INFINITY, lrow = 0.0f;
  const int64_t lastKey = p0 + q0 + rows - 1;  // the furthest position any row of the tile sees
  for (int64_t k0 = 0; k0 <= lastKey; k0 += kTileK) {
    const int64_t nk = lastKey - k0 + 1 < kTileK ? lastKey - k0 + 1 : kTileK;
    __syncthreads();  // previous tile's readers are done (and Qs is visible on the first pass)
    for (int64_t e = tid; e < nk * D; e += kPrefillThreads) {
      const int64_t j = e / D, d = e % D, src = ((k0 + j) * KV + kvh) * D + d;
      Ks[j * (D + 1) + d] = detail::bf16BitsToFloat(kc[src]);
      Vs[j * D + d] = detail::bf16BitsToFloat(vc[src]);
    }
    __syncthreads();
    // keys this row may see in the tile: positions ≤ p0 + t
    int visible = 0;
    if (rowValid) {
      const int64_t v = p0 + t - k0 + 1;
      visible = static_cast<int>(v < 0 ? 0 : (v > nk ? nk : v));
    }
    float sc[kTileK / kRowThreads];
    float tileMax = -INFINITY;
#pragma unroll
    for (int u = 0; u < kTileK / kRowThreads; ++u) {
      const int key = sub + kRowThreads * u;
      sc[u] = -INFINITY;
      if (key < visible) {
        const float* qr = Qs + r * (D + 1);
        const float* kr = Ks + key * (D + 1);
        float dot = 0.0f;
        for (int64_t d = 0; d < D; ++d) dot += qr[d] * kr[d];
        sc[u] = dot * scale;
        tileMax = fmaxf(tileMax, sc[u]);
      }
    }
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 1));
    tileMax = fmaxf(tileMax, __shfl_xor_sync(0xffffffffu, tileMax, 2));
    const float mNew = fmaxf(mrow, tileMax);
    float psum = 0.0f;
#pragma unroll
    for (int u = 0; u < kTileK / kRowThreads; ++u) {
      const int key = sub + kRowThreads * u;
      const float p = key < visible ? expf(sc[u] - mNew) : 0.0f;
      Ps[r * (kTileK + 1) + key] = p;
      psum += p;
    }
    psum += __shfl_xor_sync(0xffffffffu, psum, 1);
    psum += __shfl_xor_sync(0xffffffffu, psum, 2);
    const float corr = mrow == -INFINITY ? 0.0f : expf(mrow - mNew);
    mrow = mNew;  // a row that sees nothing here keeps mNew = mrow, corr = 1, psum = 0
    lrow = lrow * corr + psum;
    __syncwarp();
#pragma unroll
    for (int c = 0; c < NC; ++c) {
      const int64_t col = sub + kRowThreads * c;
      if (col >= D) break;
      float a = acc[c] * corr;
      for (int key = 0; key < visible; ++key) a += Ps[r * (kTileK + 1) + key] * Vs[key * D + col];
      acc[c] = a;
    }
  }
  if (!rowValid) return;
  const float inv = 1.0f / lrow;
#pragma unroll
  for (int c = 0; c < NC; ++c) {
    const int64_t col = sub + kRowThreads * c;
    if (col >= D) break;
    out[(t * H + h) * D + col] = acc[c] * inv;
  }
}

// VPL: elements of the head dim per lane (D ≤ 32·VPL); lane owns d = lane·VPL … lane·VPL + VPL − 1.
template <int VPL>
__global__ void __cluster_dims__(kSplit, 1, 1)
    attentionDecodeKernel(const float* q, const uint16_t* kc, const uint16_t* vc, int64_t n, int64_t H, int64_t KV,
                          int64_t D, float scale, float* out) {
  __shared__ float wmax[kDecodeWarps], wsum[kDecodeWarps];
  __shared__ float wacc[kDecodeWarps][32 * VPL];
  cg::cluster_group cluster = cg::this_cluster();
  const int rank = static_cast<int>(cluster.block_rank());
  const int64_t h = blockIdx.y, kvh = h / (H / KV);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  float qv[VPL], acc[VPL];
#pragma unroll
  for (int i = 0; i < VPL; ++i) {
    const int64_t d = lane * VPL + i;
    qv[i] = d < D ? q[h * D + d] : 0.0f;
    acc[i] = 0.0f;
  }
  float m = -INFINITY, l = 0.0f;
  const int64_t G = kSplit * kDecodeWarps, first = rank * kDecodeWarps + warp;
  for (int64_t base = first; base < n; base += G * kUnroll) {
    float sc[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      const int64_t p = base + u * G;
      float dot = 0.0f;
      if (p < n) {
        const uint16_t* kr = kc + (p * KV + kvh) * D;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
          const int64_t d = lane * VPL + i;
          if (d < D) dot += qv[i] * detail::bf16BitsToFloat(kr[d]);
        }
      }
      dot = detail::warpSum(dot);
      sc[u] = p < n ? dot * scale : -INFINITY;
    }
    float mNew = m;
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) mNew = fmaxf(mNew, sc[u]);
    const float corr = m == -INFINITY ? 0.0f : expf(m - mNew);
    l *= corr;
#pragma unroll
    for (int i = 0; i < VPL; ++i) acc[i] *= corr;
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      const int64_t p = base + u * G;
      if (p >= n) break;
      const float w = expf(sc[u] - mNew);
      l += w;
      const uint16_t* vr = vc + (p * KV + kvh) * D;
#pragma unroll
      for (int i = 0; i < VPL; ++i) {
        const int64_t d = lane * VPL + i;
        if (d < D) acc[i] += w * detail::bf16BitsToFloat(vr[d]);
      }
    }
    m = mNew;
  }
  if (lane == 0) wmax[warp] = m, wsum[warp] = l;
#pragma unroll
  for (int i = 0; i < VPL; ++i) wacc[warp][lane * VPL + i] = acc[i];
  cluster.sync();
  if (rank == 0) {
    float M = -INFINITY;
    for (int r = 0; r < kSplit; ++r) {
      const float* rm = cluster.map_shared_rank(&wmax[0], r);
      for (int w = 0; w < kDecodeWarps; ++w) M = fmaxf(M, rm[w]);
    }
    float total = 0.0f;
    for (int r = 0; r < kSplit; ++r) {
      const float* rm = cluster.map_shared_rank(&wmax[0], r);
      const float* rl = cluster.map_shared_rank(&wsum[0], r);
      for (int w = 0; w < kDecodeWarps; ++w) total += rm[w] == -INFINITY ? 0.0f : rl[w] * expf(rm[w] - M);
    }
    for (int64_t d = threadIdx.x; d < D; d += blockDim.x) {
      float o = 0.0f;
      for (int r = 0; r < kSplit; ++r) {
        const float* rm = cluster.map_shared_rank(&wmax[0], r);
        const float* ra = cluster.map_shared_rank(&wacc[0][0], r);
        for (int w = 0; w < kDecodeWarps; ++w)
          if (rm[w] != -INFINITY) o += ra[w * 32 * VPL + d] * expf(rm[w] - M);
      }
      out[h * D + d] = o / total;
    }
  }
  cluster.sync();  // keep every CTA's shared memory alive until rank 0 has read it
}

template <int NC>
void launchPrefill(const float* q, int64_t ldq, const uint16_t* kc, const uint16_t* vc, int64_t p0, int64_t T,
                   int64_t H, int64_t KV, int64_t D, float scale, float* out, cudaStream_t s) {
  const size_t bytes = prefillSmemBytes(D);
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(attentionPrefillKernel<NC>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(bytes)));
  const dim3 grid(static_cast<unsigned>((T + kTileQ - 1) / kTileQ), static_cast<unsigned>(H));
  attentionPrefillKernel<NC><<<grid, kPrefillThreads, bytes, s>>>(q, ldq, kc, vc, p0, T, H, KV, D, scale, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

template <int VPL>
void launchDecode(const float* q, const uint16_t* kc, const uint16_t* vc, int64_t p0, int64_t H, int64_t KV,
                  int64_t D, float scale, float* out, cudaStream_t s) {
  const dim3 grid(kSplit, static_cast<unsigned>(H));
  attentionDecodeKernel<VPL><<<grid, kDecodeWarps * 32, 0, s>>>(q, kc, vc, p0 + 1, H, KV, D, scale, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace

void kvAppend(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
              uint16_t* kcache, uint16_t* vcache, int64_t p0, cudaStream_t s) {
  detail::requireArg(ldk >= KV * D && ldv >= KV * D, "kvAppend", "ldk and ldv must be ≥ KV·D");
  if (T <= 0) return;
  kvAppendKernel<<<detail::gridFor(T * KV * D, 256), 256, 0, s>>>(k, ldk, v, ldv, T, KV, D, kcache, vcache, p0);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void softmaxAttention(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                      int64_t T, int64_t H, int64_t KV, int64_t D, float* out, cudaStream_t s) {
  detail::requireArg(KV > 0 && H > 0 && H % KV == 0, "softmaxAttention", "H must be a positive multiple of KV");
  detail::requireArg(D > 0 && D <= kMaxHeadDim, "softmaxAttention", "head dim D must be in 1 … 256");
  detail::requireArg(ldq >= H * D && p0 >= 0, "softmaxAttention", "ldq must be ≥ H·D and p0 ≥ 0");
  if (T <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  if (T == 1) {
    if (D <= 64) launchDecode<2>(q, kcache, vcache, p0, H, KV, D, scale, out, s);
    else if (D <= 128) launchDecode<4>(q, kcache, vcache, p0, H, KV, D, scale, out, s);
    else launchDecode<8>(q, kcache, vcache, p0, H, KV, D, scale, out, s);
    return;
  }
  if (D <= 64) launchPrefill<16>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
  else if (D <= 128) launchPrefill<32>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
  else launchPrefill<64>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
}

}  // namespace folio::kernels::cuda
