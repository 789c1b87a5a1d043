// Softmax attention over the KV cache (bf16, or fp32 for fp32 models; causal, grouped-query), fp32
// online softmax. Every kernel is templated on the cache element type.
// Prefill (T > 1): over a bf16 cache with D = 64/128, the tensor-core kernel of softmax_prefill_mma.cu
// (see softmax_forms.h); otherwise, here, one CTA per (32-query tile, head) walking 32-key tiles
// flash-style on fp32 CUDA cores, four threads sharing a query row (scores split by key, the output split
// by column).
// Decode (T = 1): memory bound, so each K/V row is read once: a CTA takes one kv head and all H/KV
// query heads (up to kMaxGroup per CTA) over a range of positions, streamed through a ring of
// shared-memory tiles by cp.async (two tiles in flight while one is computed); half-warps read rows
// of the current tile with vector loads and keep per-head running (max, sum, output). Ranges are
// split across enough CTAs to fill the device; their partials go to scratch and a small kernel merges them.
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <type_traits>

#include "kernels/cuda/async_copy.cuh"
#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/softmax_forms.h"

namespace folio::kernels::cuda {
namespace {

constexpr int kTileQ = 32, kTileK = 32, kRowThreads = 4, kPrefillThreads = kTileQ * kRowThreads;
constexpr int kDecodeWarps = 4, kRowLanes = 16;
constexpr int kStreams = kDecodeWarps * 32 / kRowLanes;  // rows a CTA reads at once
constexpr int kMaxSplits = 256, kMinRowsPerSplit = 64;
// Decode tile ring: kDecodeStages slots of about kDecodeStageBytes (K and V) each, two in flight.
constexpr int kDecodeStages = 3, kMaxDecodeTileRows = 128;
constexpr size_t kDecodeStageBytes = 16 * 1024;
constexpr int64_t kMaxHeadDim = 256;

__device__ __forceinline__ float cacheToFloat(uint16_t bits) { return detail::bf16BitsToFloat(bits); }
__device__ __forceinline__ float cacheToFloat(float f) { return f; }
__device__ __forceinline__ void storeCache(float f, uint16_t* dst) { *dst = detail::floatToBf16Bits(f); }
__device__ __forceinline__ void storeCache(float f, float* dst) { *dst = f; }

template <typename CacheT>
__global__ void kvAppendKernel(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV,
                               int64_t D, CacheT* kc, CacheT* vc, int64_t p0) {
  const int64_t n = T * KV * D;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t t = i / (KV * D), r = i % (KV * D);
    storeCache(k[t * ldk + r], kc + (p0 + t) * KV * D + r);
    storeCache(v[t * ldv + r], vc + (p0 + t) * KV * D + r);
  }
}

inline size_t prefillSmemBytes(int64_t D) {
  return static_cast<size_t>(2 * kTileQ * (D + 1) + kTileK * D + kTileQ * (kTileK + 1)) * sizeof(float);
}

// NC: output columns per thread (D ≤ 4·NC).
template <int NC, typename CacheT>
__global__ void attentionPrefillKernel(const float* q, int64_t ldq, const CacheT* kc, const CacheT* vc,
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
      Ks[j * (D + 1) + d] = cacheToFloat(kc[src]);
      Vs[j * D + d] = cacheToFloat(vc[src]);
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

// Loads elements d0 … d0+VPL−1 of a cache row as fp32 (zeros past D). vec: the whole run lies inside
// the row and is aligned for one vector load per 8 bf16 / 4 fp32 elements.
template <int VPL>
__device__ __forceinline__ void loadRun(const uint16_t* row, int64_t d0, int64_t D, bool vec, float (&out)[VPL]) {
  if (vec) {
    if constexpr (VPL % 8 == 0) {
#pragma unroll
      for (int i = 0; i < VPL / 8; ++i) {
        const uint4 w = *reinterpret_cast<const uint4*>(row + d0 + 8 * i);
        const uint32_t parts[4] = {w.x, w.y, w.z, w.w};
#pragma unroll
        for (int j = 0; j < 4; ++j) {
          out[8 * i + 2 * j] = __uint_as_float(parts[j] << 16);
          out[8 * i + 2 * j + 1] = __uint_as_float(parts[j] & 0xffff0000u);
        }
      }
    } else {
#pragma unroll
      for (int i = 0; i < VPL / 4; ++i) {
        const uint2 w = *reinterpret_cast<const uint2*>(row + d0 + 4 * i);
        out[4 * i] = __uint_as_float(w.x << 16), out[4 * i + 1] = __uint_as_float(w.x & 0xffff0000u);
        out[4 * i + 2] = __uint_as_float(w.y << 16), out[4 * i + 3] = __uint_as_float(w.y & 0xffff0000u);
      }
    }
    return;
  }
#pragma unroll
  for (int i = 0; i < VPL; ++i) out[i] = d0 + i < D ? detail::bf16BitsToFloat(row[d0 + i]) : 0.0f;
}

template <int VPL>
__device__ __forceinline__ void loadRun(const float* row, int64_t d0, int64_t D, bool vec, float (&out)[VPL]) {
  if (vec) {
#pragma unroll
    for (int i = 0; i < VPL / 4; ++i) {
      const float4 w = *reinterpret_cast<const float4*>(row + d0 + 4 * i);
      out[4 * i] = w.x, out[4 * i + 1] = w.y, out[4 * i + 2] = w.z, out[4 * i + 3] = w.w;
    }
    return;
  }
#pragma unroll
  for (int i = 0; i < VPL; ++i) out[i] = d0 + i < D ? row[d0 + i] : 0.0f;
}

// Sum over the 16 lanes of a half-warp (every lane of the warp takes part; halves stay apart).
__device__ __forceinline__ float rowSum(float v) {
#pragma unroll
  for (int o = kRowLanes / 2; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// cp.async (async_copy.cuh): the decode kernel keeps the next tiles' K/V in flight while it computes on
// the current one, so the bytes in flight no longer depend on registers.
using detail::cpAsync16;
using detail::cpAsyncCommit;
using detail::cpAsyncWait;

// Stages cache rows first … first+rows−1 of kv head kvh into Ks/Vs [rows, D]. Rows at or past `end`
// repeat row `first` (< end), so every staged value is finite and weights of 0 keep the output clean.
// async: 16-byte copies (rows of D·sizeof(CacheT) a multiple of 16 bytes, caches 16-byte aligned).
template <typename CacheT>
__device__ __forceinline__ void stageDecodeTile(const CacheT* kc, const CacheT* vc, int64_t first, int64_t end,
                                                int rows, int64_t KV, int64_t kvh, int64_t D, bool async,
                                                CacheT* Ks, CacheT* Vs) {
  if (async) {
    constexpr int kPerCopy = 16 / static_cast<int>(sizeof(CacheT));
    const int copiesPerRow = static_cast<int>(D) / kPerCopy;
    for (int e = threadIdx.x; e < rows * copiesPerRow; e += blockDim.x) {
      const int r = e / copiesPerRow, c = (e % copiesPerRow) * kPerCopy;
      const int64_t p = first + r < end ? first + r : first;
      const int64_t src = (p * KV + kvh) * D + c;
      cpAsync16(Ks + int64_t(r) * D + c, kc + src);
      cpAsync16(Vs + int64_t(r) * D + c, vc + src);
    }
    return;
  }
  for (int64_t e = threadIdx.x; e < rows * D; e += blockDim.x) {
    const int64_t r = e / D, d = e % D, p = first + r < end ? first + r : first;
    Ks[e] = kc[(p * KV + kvh) * D + d];
    Vs[e] = vc[(p * KV + kvh) * D + d];
  }
}

// Query heads of one group a decode CTA serves (registers: 2·VPL floats per head per lane).
template <int VPL>
__host__ __device__ constexpr int maxGroup() { return VPL <= 8 ? 8 : 4; }
// Rows per half-warp computed together (independent shuffle chains; more would spill at VPL = 16).
template <int VPL>
__host__ __device__ constexpr int decodeUnroll() { return VPL <= 8 ? 4 : 2; }
// Rows the CTA computes per step; tiles hold a multiple of it.
template <int VPL>
__host__ __device__ constexpr int decodeStepRows() { return kStreams * decodeUnroll<VPL>(); }

// Rows per staged tile: about kDecodeStageBytes of K and V, a whole number of steps.
template <int VPL>
int decodeTileRows(int64_t D, size_t elemBytes) {
  const int64_t step = decodeStepRows<VPL>();
  const int64_t fit = static_cast<int64_t>(kDecodeStageBytes / (2 * D * elemBytes)) / step * step;
  return static_cast<int>(fit < step ? step : (fit > kMaxDecodeTileRows ? kMaxDecodeTileRows : fit));
}

// Dynamic shared memory: the tile ring, reused afterwards for the per-stream partial outputs.
template <int VPL>
size_t decodeSmemBytes(int tileRows, int64_t D, size_t elemBytes) {
  const size_t ring = kDecodeStages * 2 * static_cast<size_t>(tileRows) * D * elemBytes;
  const size_t merge = static_cast<size_t>(kStreams) * maxGroup<VPL>() * D * sizeof(float);
  return ring > merge ? ring : merge;
}

// Grid (splits, KV, ⌈G / maxGroup⌉). Rows [split·chunk, min(n, (split+1)·chunk)) of kv head
// blockIdx.y for query heads g0 … g0+maxGroup−1 of its group. VPL: head-dim elements per lane
// (D ≤ 16·VPL). The CTA streams its range through a ring of kDecodeStages tiles of tileRows rows
// (cp.async, two tiles ahead); half-warps compute rows of the current tile from shared memory. With
// one split the result goes straight to out; otherwise unnormalised partials go to part
// [splits, H, 2 + D] as (max, sum, output·2^{−max}), the max in log2 units.
template <int VPL, typename CacheT>
__global__ void __launch_bounds__(kDecodeWarps * 32)
    attentionDecodeKernel(const float* q, const CacheT* kc, const CacheT* vc, int64_t n, int64_t chunk, int64_t H,
                          int64_t KV, int64_t D, int tileRows, float scale, float* part, float* out) {
  constexpr int kMaxGroup = maxGroup<VPL>(), kUnroll = decodeUnroll<VPL>(), kStep = decodeStepRows<VPL>();
  extern __shared__ float4 decodeSmem[];
  CacheT* ring = reinterpret_cast<CacheT*>(decodeSmem);   // kDecodeStages × (K tile, V tile) [tileRows, D]
  float* sAcc = reinterpret_cast<float*>(decodeSmem);     // [kStreams, kMaxGroup, D] once the ring is drained
  __shared__ float sMax[kStreams][kMaxGroup], sSum[kStreams][kMaxGroup];
  const int64_t G = H / KV, kvh = blockIdx.y, g0 = int64_t(blockIdx.z) * kMaxGroup;
  const int ng = static_cast<int>(G - g0 < kMaxGroup ? G - g0 : kMaxGroup);
  const int lane = threadIdx.x & 31, stream = threadIdx.x / kRowLanes, sub = lane % kRowLanes;
  const int64_t d0 = int64_t(sub) * VPL, tileElems = int64_t(tileRows) * D;
  const bool vec = D % VPL == 0 && d0 < D;  // shared rows are aligned for the vector reads then
  const bool async = D * int64_t(sizeof(CacheT)) % 16 == 0 && reinterpret_cast<uintptr_t>(kc) % 16 == 0 &&
                     reinterpret_cast<uintptr_t>(vc) % 16 == 0;
  // scores are kept in log2 units (q pre-scaled by scale·log2 e) so every exponential is one exp2f
  const float scaleLog2 = scale * 1.4426950408889634f;
  float qv[kMaxGroup][VPL], acc[kMaxGroup][VPL], m[kMaxGroup], l[kMaxGroup];
#pragma unroll
  for (int g = 0; g < kMaxGroup; ++g) {
    const int64_t h = kvh * G + g0 + g;
#pragma unroll
    for (int i = 0; i < VPL; ++i) {
      qv[g][i] = g < ng && d0 + i < D ? q[h * D + d0 + i] * scaleLog2 : 0.0f;
      acc[g][i] = 0.0f;
    }
    m[g] = -INFINITY, l[g] = 0.0f;
  }
  const int64_t begin = int64_t(blockIdx.x) * chunk, end = begin + chunk < n ? begin + chunk : n;
  const int64_t tiles = end > begin ? (end - begin + tileRows - 1) / tileRows : 0;
  // one commit group per tile (empty past the last) keeps the wait count below exact
#pragma unroll
  for (int s = 0; s < kDecodeStages - 1; ++s) {
    CacheT* Ks = ring + 2 * s * tileElems;
    if (s < tiles) stageDecodeTile(kc, vc, begin + s * tileRows, end, tileRows, KV, kvh, D, async, Ks, Ks + tileElems);
    cpAsyncCommit();
  }
  for (int64_t t = 0; t < tiles; ++t) {
    const int64_t ahead = t + kDecodeStages - 1;  // its slot was last read in iteration t − 1
    if (ahead < tiles) {
      CacheT* Ks = ring + 2 * (ahead % kDecodeStages) * tileElems;
      stageDecodeTile(kc, vc, begin + ahead * tileRows, end, tileRows, KV, kvh, D, async, Ks, Ks + tileElems);
    }
    cpAsyncCommit();
    cpAsyncWait<kDecodeStages - 1>();  // this thread's copies of tile t have landed
    __syncthreads();                   // and everyone else's
    const CacheT* Ks = ring + 2 * (t % kDecodeStages) * tileElems;
    const CacheT* Vs = Ks + tileElems;
    const int64_t first = begin + t * tileRows;
    // warp-uniform (the row sums shuffle across the warp); half-warp `stream` takes rows stream + kStreams·u
    for (int step = 0; step < tileRows; step += kStep) {
      float kr[kUnroll][VPL], vr[kUnroll][VPL];
#pragma unroll
      for (int u = 0; u < kUnroll; ++u) {
        const int64_t r = step + stream + u * kStreams;
        loadRun<VPL>(Ks + r * D, d0, D, vec, kr[u]);
        loadRun<VPL>(Vs + r * D, d0, D, vec, vr[u]);
      }
      // straight-line over every head slot (slots past ng hold q = 0 and are never stored) so the
      // compiler can interleave the heads' shuffle chains
#pragma unroll
      for (int g = 0; g < kMaxGroup; ++g) {
        float sc[kUnroll];
        float mNew = m[g];
#pragma unroll
        for (int u = 0; u < kUnroll; ++u) {
          float dot = 0.0f;
#pragma unroll
          for (int i = 0; i < VPL; ++i) dot += qv[g][i] * kr[u][i];
          dot = rowSum(dot);
          sc[u] = first + step + stream + u * kStreams < end ? dot : -INFINITY;
          mNew = fmaxf(mNew, sc[u]);
        }
        // while nothing is visible (mNew = −∞) every exp2f below is exp2f(−∞) = 0 and the state stays empty
        const float mRef = mNew == -INFINITY ? 0.0f : mNew;
        const float corr = exp2f(m[g] - mRef);
        l[g] *= corr;
#pragma unroll
        for (int i = 0; i < VPL; ++i) acc[g][i] *= corr;
#pragma unroll
        for (int u = 0; u < kUnroll; ++u) {
          const float w = exp2f(sc[u] - mRef);
          l[g] += w;
#pragma unroll
          for (int i = 0; i < VPL; ++i) acc[g][i] += w * vr[u][i];
        }
        m[g] = mNew;
      }
    }
    __syncthreads();  // the slot of tile t is refilled in the next iteration
  }
  cpAsyncWait<0>();  // only empty groups remain, but the ring becomes sAcc next
  __syncthreads();
#pragma unroll
  for (int g = 0; g < kMaxGroup; ++g) {
    if (sub == 0) sMax[stream][g] = m[g], sSum[stream][g] = l[g];
#pragma unroll
    for (int i = 0; i < VPL; ++i)
      if (d0 + i < D) sAcc[(int64_t(stream) * kMaxGroup + g) * D + d0 + i] = acc[g][i];
  }
  __syncthreads();
  // merge the CTA's streams per (query head, column)
  for (int64_t e = threadIdx.x; e < ng * D; e += blockDim.x) {
    const int g = static_cast<int>(e / D);
    const int64_t d = e % D, h = kvh * G + g0 + g;
    float M = -INFINITY;
    for (int r = 0; r < kStreams; ++r) M = fmaxf(M, sMax[r][g]);
    float sum = 0.0f, o = 0.0f;
    if (M != -INFINITY) {
      for (int r = 0; r < kStreams; ++r) {
        if (sMax[r][g] == -INFINITY) continue;
        const float f = exp2f(sMax[r][g] - M);
        sum += sSum[r][g] * f;
        o += sAcc[(int64_t(r) * kMaxGroup + g) * D + d] * f;
      }
    }
    if (gridDim.x == 1) {
      out[h * D + d] = o / sum;
    } else {
      float* pr = part + (int64_t(blockIdx.x) * H + h) * (2 + D);
      if (d == 0) pr[0] = M, pr[1] = sum;
      pr[2 + d] = o;
    }
  }
}

// out [H, D] from the partials of `splits` ranges (grid H, one thread per column; maxima in log2 units).
__global__ void attentionCombineKernel(const float* part, int splits, int64_t H, int64_t D, float* out) {
  const int64_t h = blockIdx.x;
  float M = -INFINITY;
  for (int r = 0; r < splits; ++r) M = fmaxf(M, part[(r * H + h) * (2 + D)]);
  for (int64_t d = threadIdx.x; d < D; d += blockDim.x) {
    float sum = 0.0f, o = 0.0f;
    for (int r = 0; r < splits; ++r) {
      const float* pr = part + (r * H + h) * (2 + D);
      if (pr[0] == -INFINITY) continue;  // an empty range
      const float f = exp2f(pr[0] - M);
      sum += pr[1] * f;
      o += pr[2 + d] * f;
    }
    out[h * D + d] = o / sum;
  }
}

template <int NC, typename CacheT>
void launchPrefill(const float* q, int64_t ldq, const CacheT* kc, const CacheT* vc, int64_t p0, int64_t T, int64_t H,
                   int64_t KV, int64_t D, float scale, float* out, cudaStream_t s) {
  const size_t bytes = prefillSmemBytes(D);
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(attentionPrefillKernel<NC, CacheT>,
                                        cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
  const dim3 grid(static_cast<unsigned>((T + kTileQ - 1) / kTileQ), static_cast<unsigned>(H));
  attentionPrefillKernel<NC, CacheT><<<grid, kPrefillThreads, bytes, s>>>(q, ldq, kc, vc, p0, T, H, KV, D, scale, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

int64_t partialFloats(int64_t H, int64_t D) { return kMaxSplits * H * (2 + D); }

}  // namespace

// Ranges per kv head: one wave of CTAs (residentPerSm on every SM, so each CTA fills its tile ring
// once), at least kMinRowsPerSplit rows each.
int detail::decodeSplits(int64_t n, int64_t ctasPerSplit, int residentPerSm) {
  int device = 0, sms = 0;
  FOLIO_CUDA_CHECK(cudaGetDevice(&device));
  FOLIO_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
  const int64_t perSm = residentPerSm < 1 ? 1 : residentPerSm;
  const int64_t wanted = (perSm * sms + ctasPerSplit - 1) / ctasPerSplit;
  const int64_t byRows = (n + kMinRowsPerSplit - 1) / kMinRowsPerSplit;
  const int64_t splits = wanted < byRows ? wanted : byRows;
  return static_cast<int>(splits < 1 ? 1 : (splits > kMaxSplits ? kMaxSplits : splits));
}

void detail::attentionCombine(const float* part, int splits, int64_t H, int64_t D, float* out, cudaStream_t s) {
  const unsigned threads = static_cast<unsigned>(D < 32 ? 32 : (D + 31) / 32 * 32);
  attentionCombineKernel<<<static_cast<unsigned>(H), threads, 0, s>>>(part, splits, H, D, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

namespace {

template <int VPL, typename CacheT>
void launchDecode(const float* q, const CacheT* kc, const CacheT* vc, int64_t p0, int64_t H, int64_t KV, int64_t D,
                  float scale, float* out, float* part, cudaStream_t s) {
  const int64_t n = p0 + 1, groupCtas = (H / KV + maxGroup<VPL>() - 1) / maxGroup<VPL>();
  const int tileRows = decodeTileRows<VPL>(D, sizeof(CacheT));
  const size_t bytes = decodeSmemBytes<VPL>(tileRows, D, sizeof(CacheT));
  const auto kernel = attentionDecodeKernel<VPL, CacheT>;
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
  int resident = 0;
  if (part)
    FOLIO_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, kernel, kDecodeWarps * 32, bytes));
  const int splits = part ? detail::decodeSplits(n, KV * groupCtas, resident) : 1;
  // whole tiles per range (trailing ranges may come out empty; the merge skips them)
  const int64_t chunk = ((n + splits - 1) / splits + tileRows - 1) / tileRows * tileRows;
  const dim3 grid(static_cast<unsigned>(splits), static_cast<unsigned>(KV), static_cast<unsigned>(groupCtas));
  kernel<<<grid, kDecodeWarps * 32, bytes, s>>>(q, kc, vc, n, chunk, H, KV, D, tileRows, scale, part, out);
  FOLIO_CUDA_LAUNCH_CHECK();
  if (splits > 1) detail::attentionCombine(part, splits, H, D, out, s);
}

// Auto: the scalar decode until the tensor-core form is measured, unless FOLIO_SOFTMAX_DECODE says
// otherwise; a forced TensorCore path that does not fit (or has no scratch) is refused.
template <typename CacheT>
bool useTensorCoreDecode(detail::SoftmaxDecodePath path, int64_t D, const CacheT* kcache, const CacheT* vcache,
                         const void* scratch) {
  using detail::SoftmaxDecodePath;
  if (path == SoftmaxDecodePath::Auto) {
    path = SoftmaxDecodePath::Scalar;
    if (const char* env = std::getenv("FOLIO_SOFTMAX_DECODE")) {
      const std::string_view v(env);
      detail::requireArg(v.empty() || v == "auto" || v == "scalar" || v == "tensor-core", "softmaxAttention",
                         "FOLIO_SOFTMAX_DECODE must be scalar, tensor-core or auto");
      if (v == "tensor-core") {  // where it fits; elsewhere the scalar kernel
        return std::is_same_v<CacheT, uint16_t> && scratch != nullptr &&
               detail::softmaxDecodeTensorCoreFits(D, kcache, vcache);
      }
    }
  }
  if (path == SoftmaxDecodePath::Scalar) return false;
  const bool fits =
      std::is_same_v<CacheT, uint16_t> && scratch != nullptr && detail::softmaxDecodeTensorCoreFits(D, kcache, vcache);
  detail::requireArg(fits, "softmaxAttention",
                     "the tensor-core decode needs a bf16 cache, D = 64 or 128, aligned caches and the scratch");
  return true;
}

template <typename CacheT>
void appendRows(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
                CacheT* kcache, CacheT* vcache, int64_t p0, cudaStream_t s) {
  detail::requireArg(ldk >= KV * D && ldv >= KV * D, "kvAppend", "ldk and ldv must be ≥ KV·D");
  if (T <= 0) return;
  kvAppendKernel<CacheT><<<detail::gridFor(T * KV * D, 256), 256, 0, s>>>(k, ldk, v, ldv, T, KV, D, kcache, vcache,
                                                                           p0);
  FOLIO_CUDA_LAUNCH_CHECK();
}

// Auto: the tensor-core prefill wherever it fits (bf16 caches only), unless FOLIO_SOFTMAX_PREFILL=scalar
// (tensor-core there means the same as auto: shapes it does not fit take the scalar kernel). A forced
// TensorCore path that does not fit is refused.
template <typename CacheT>
bool useTensorCorePrefill(detail::SoftmaxPrefillPath path, int64_t D, const CacheT* kcache, const CacheT* vcache,
                          const float* out) {
  using detail::SoftmaxPrefillPath;
  if (path == SoftmaxPrefillPath::Auto) {
    if (const char* env = std::getenv("FOLIO_SOFTMAX_PREFILL")) {
      const std::string_view v(env);
      detail::requireArg(v.empty() || v == "auto" || v == "scalar" || v == "tensor-core", "softmaxAttention",
                         "FOLIO_SOFTMAX_PREFILL must be scalar, tensor-core or auto");
      if (v == "scalar") return false;
    }
  }
  if (path == SoftmaxPrefillPath::Scalar) return false;
  const bool fits = std::is_same_v<CacheT, uint16_t> && detail::softmaxPrefillTensorCoreFits(D, kcache, vcache, out);
  if (path == SoftmaxPrefillPath::TensorCore)
    detail::requireArg(fits, "softmaxAttention",
                       "the tensor-core prefill needs a bf16 cache, D = 64 or 128 and aligned buffers");
  return fits;
}

template <typename CacheT>
void attend(const float* q, int64_t ldq, const CacheT* kcache, const CacheT* vcache, int64_t p0, int64_t T, int64_t H,
            int64_t KV, int64_t D, float* out, void* scratch, int64_t scratch_bytes, cudaStream_t s,
            detail::SoftmaxPrefillPath path = detail::SoftmaxPrefillPath::Auto,
            detail::SoftmaxDecodePath decodePath = detail::SoftmaxDecodePath::Auto) {
  detail::requireArg(KV > 0 && H > 0 && H % KV == 0, "softmaxAttention", "H must be a positive multiple of KV");
  detail::requireArg(D > 0 && D <= kMaxHeadDim, "softmaxAttention", "head dim D must be in 1 … 256");
  detail::requireArg(ldq >= H * D && p0 >= 0, "softmaxAttention", "ldq must be ≥ H·D and p0 ≥ 0");
  detail::requireArg(!scratch || scratch_bytes >= attentionDecodeScratchBytes(H, D), "softmaxAttention",
                     "scratch must hold attentionDecodeScratchBytes(H, D) bytes");
  if (T <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  if (T == 1) {
    float* part = static_cast<float*>(scratch);
    if constexpr (std::is_same_v<CacheT, uint16_t>) {
      if (useTensorCoreDecode(decodePath, D, kcache, vcache, scratch)) {
        detail::softmaxDecodeTensorCore(q, kcache, vcache, p0, H, KV, D, out, part, s);
        return;
      }
    } else {
      useTensorCoreDecode(decodePath, D, kcache, vcache, scratch);  // a forced TensorCore path is refused
    }
    if (D <= 64) launchDecode<4>(q, kcache, vcache, p0, H, KV, D, scale, out, part, s);
    else if (D <= 128) launchDecode<8>(q, kcache, vcache, p0, H, KV, D, scale, out, part, s);
    else launchDecode<16>(q, kcache, vcache, p0, H, KV, D, scale, out, part, s);
    return;
  }
  if constexpr (std::is_same_v<CacheT, uint16_t>) {
    if (useTensorCorePrefill(path, D, kcache, vcache, out)) {
      detail::softmaxPrefillTensorCore(q, ldq, kcache, vcache, p0, T, H, KV, D, out, s);
      return;
    }
  }
  if (D <= 64) launchPrefill<16>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
  else if (D <= 128) launchPrefill<32>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
  else launchPrefill<64>(q, ldq, kcache, vcache, p0, T, H, KV, D, scale, out, s);
}

}  // namespace

int64_t attentionDecodeScratchBytes(int64_t H, int64_t D) {
  return partialFloats(H, D) * static_cast<int64_t>(sizeof(float));
}

void kvAppend(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
              uint16_t* kcache, uint16_t* vcache, int64_t p0, cudaStream_t s) {
  appendRows(k, ldk, v, ldv, T, KV, D, kcache, vcache, p0, s);
}

void kvAppend(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
              float* kcache, float* vcache, int64_t p0, cudaStream_t s) {
  appendRows(k, ldk, v, ldv, T, KV, D, kcache, vcache, p0, s);
}

void detail::softmaxDecodeWithPath(SoftmaxDecodePath path, const float* q, const uint16_t* kcache,
                                   const uint16_t* vcache, int64_t p0, int64_t H, int64_t KV, int64_t D, float* out,
                                   void* scratch, int64_t scratch_bytes, cudaStream_t s) {
  attend(q, H * D, kcache, vcache, p0, 1, H, KV, D, out, scratch, scratch_bytes, s, SoftmaxPrefillPath::Auto, path);
}

void detail::softmaxAttentionWithPath(SoftmaxPrefillPath path, const float* q, int64_t ldq, const uint16_t* kcache,
                                      const uint16_t* vcache, int64_t p0, int64_t T, int64_t H, int64_t KV, int64_t D,
                                      float* out, cudaStream_t s) {
  attend(q, ldq, kcache, vcache, p0, T, H, KV, D, out, nullptr, 0, s, path);
}

void softmaxAttention(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                      int64_t T, int64_t H, int64_t KV, int64_t D, float* out, cudaStream_t s) {
  attend(q, ldq, kcache, vcache, p0, T, H, KV, D, out, nullptr, 0, s);
}

void softmaxAttention(const float* q, int64_t ldq, const float* kcache, const float* vcache, int64_t p0, int64_t T,
                      int64_t H, int64_t KV, int64_t D, float* out, cudaStream_t s) {
  attend(q, ldq, kcache, vcache, p0, T, H, KV, D, out, nullptr, 0, s);
}

void softmaxAttention(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                      int64_t T, int64_t H, int64_t KV, int64_t D, float* out, void* scratch, int64_t scratch_bytes,
                      cudaStream_t s) {
  attend(q, ldq, kcache, vcache, p0, T, H, KV, D, out, scratch, scratch_bytes, s);
}

void softmaxAttention(const float* q, int64_t ldq, const float* kcache, const float* vcache, int64_t p0, int64_t T,
                      int64_t H, int64_t KV, int64_t D, float* out, void* scratch, int64_t scratch_bytes,
                      cudaStream_t s) {
  attend(q, ldq, kcache, vcache, p0, T, H, KV, D, out, scratch, scratch_bytes, s);
}

}  // namespace folio::kernels::cuda
