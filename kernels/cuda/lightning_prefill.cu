// Lightning attention prefill on tensor cores (the ops.h contract lightningPrefill); the math is that of
// kernels/cpu/ref_lightning.h. Dimension letters: T tokens, H heads, D head dim, B block rows, W slice width.
//
// One CTA per (head, 64-column slice of the value dimension). Columns of S, V and O never mix, so the
// CTA keeps S[:, c0:c0+W] in shared memory for the whole sequence and walks the tokens in blocks of
// B = 64 rows (local index j, m ≤ B valid rows, dpow[n] = e^{−s·n} from the double decay):
//   A  = (Q Kᵀ) ⊙ M,  M[j, i] = dpow[j−i] for i ≤ j < m, else 0      intra-block scores
//   O  = A V + diag(dpow[j+1]) Q S                                    intra + inter block
//   S ← dpow[m] S + (diag(dpow[m−1−j]) K)ᵀ V                          state for the next block
// Every product runs on tensor cores in one of two precisions (a template parameter, LightningPrecision):
//   Fp32: 3xTF32 — each fp32 operand split into a TF32 high part and a TF32 remainder; hi·hi + hi·lo +
//         lo·hi, fp32 accumulation — which keeps the error near fp32's (≈1e-6 relative) at a third of the
//         TF32 rate; for fp32 checkpoints.
//   Tf32: each operand rounded once to TF32 (10-bit mantissa), one mma per tile product; for bf16/i8
//         checkpoints, whose matrix products already read 7-bit-mantissa bf16 inputs.
// The next block's Q, K and V arrive by cp.async while
// the current one is computed. D ∈ {64, 128} with 16-byte aligned qkv/out take this kernel; anything
// else falls back to the scalar kernel in lightning_prefill_scalar.cu.
//
// The same kernel runs the chunked form (lightning_prefill.h): over one group of 256 tokens per CTA, from a
// zero state writing only the group's state (pass 1), or from the incoming state the scan
// (lightning_prefill_scan.cu) left for it, writing only outputs (pass 3).
//
// Non-finite inputs: a NaN/inf in block rows after j reaches o_j here through 0·NaN in A V, where the
// reference skips those rows; the state, and so every later output, is non-finite in both.
#include <mma.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kernels/cuda/async_copy.cuh"
#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/lightning_prefill.h"
#include "kernels/cuda/lightning_prefill_bf16.h"
#include "kernels/cuda/lightning_prefill_scalar.h"
#include "kernels/cuda/lightning_prefill_scan.h"
#include "kernels/cuda/op_checks.h"

namespace folio::kernels::cuda {
namespace {

using namespace nvcuda;
using detail::cpAsync16;
using detail::cpAsyncCommit;
using detail::cpAsyncWait;
using detail::kLightningGroupTokens;

constexpr int kRows = 64;      // B: token rows per block
constexpr int kWidth = 64;     // W: value columns per CTA
constexpr int kThreads = 256;  // 8 warps
constexpr int kWarps = kThreads / 32;
constexpr int kMaxHeadDim = 256;

// Row strides in floats, padded by 4 (16 bytes) against bank conflicts; every fragment pointer stays
// 32-byte aligned as WMMA requires (16-row and 8-row offsets of these strides are multiples of 8 floats).
template <int D>
struct Layout {
  static constexpr int ldq = D + 4;       // Q, K rows
  static constexpr int ldw = kWidth + 4;  // V, S, A/O rows
  static constexpr int q = 0;                       // [B, ldq] per stage
  static constexpr int k = q + kRows * ldq;         // [B, ldq]
  static constexpr int v = k + kRows * ldq;         // [B, ldw]
  static constexpr int stage = v + kRows * ldw;     // floats per pipeline stage
  static constexpr int s = 2 * stage;               // [D, ldw] state slice
  static constexpr int a = s + D * ldw;             // [B, ldw] scores, then the block's outputs
  static constexpr int dpow = a + kRows * ldw;      // [B + 1] e^{−s·n}
  static constexpr int total = dpow + kRows + 8;
  static constexpr size_t bytes = size_t(total) * sizeof(float);
};
static_assert(Layout<128>::bytes <= 227 * 1024, "shared memory of the D = 128 kernel exceeds sm_90's 227 KiB");

using FragA = wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major>;
using FragAT = wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::col_major>;
using FragB = wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major>;
using FragBT = wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major>;
using FragC = wmma::fragment<wmma::accumulator, 16, 16, 8, float>;

using Precision = LightningPrecision;

// An fp32 operand tile loaded for the given precision. Fp32: TF32 high part + TF32 remainder
// (x = hi + lo to ~2^-22 relative).
template <class Frag, Precision P>
struct Operand {
  Frag hi, lo;
  __device__ __forceinline__ void load(const float* p, unsigned ld) {
    wmma::load_matrix_sync(hi, p, ld);
#pragma unroll
    for (int i = 0; i < hi.num_elements; ++i) {
      const float x = hi.x[i];
      const float h = wmma::__float_to_tf32(x);
      hi.x[i] = h;
      lo.x[i] = wmma::__float_to_tf32(x - h);
    }
  }
};

// Tf32: the operand rounded to nearest TF32 once; no remainder is computed.
template <class Frag>
struct Operand<Frag, Precision::Tf32> {
  Frag hi;
  __device__ __forceinline__ void load(const float* p, unsigned ld) {
    wmma::load_matrix_sync(hi, p, ld);
#pragma unroll
    for (int i = 0; i < hi.num_elements; ++i) hi.x[i] = wmma::__float_to_tf32(hi.x[i]);
  }
};

// c += a·b: 3xTF32, the small cross terms first.
template <class FA, class FB>
__device__ __forceinline__ void mma(FragC& c, const Operand<FA, Precision::Fp32>& a,
                                    const Operand<FB, Precision::Fp32>& b) {
  wmma::mma_sync(c, a.lo, b.hi, c);
  wmma::mma_sync(c, a.hi, b.lo, c);
  wmma::mma_sync(c, a.hi, b.hi, c);
}

// c += a·b: one TF32 mma.
template <class FA, class FB>
__device__ __forceinline__ void mma(FragC& c, const Operand<FA, Precision::Tf32>& a,
                                    const Operand<FB, Precision::Tf32>& b) {
  wmma::mma_sync(c, a.hi, b.hi, c);
}

// Issues the copies of rows b0 … b0+m−1 of this head's q, k (all D) and v (the CTA's W columns).
// withQ false skips q (the state-only pass 1 of the chunked form never reads it).
template <int D>
__device__ void loadBlockAsync(float* stage, const float* qkvHead, int64_t ld, int64_t b0, int m, int c0, bool withQ) {
  using L = Layout<D>;
  constexpr int qkChunks = D / 4, vChunks = kWidth / 4;  // 16-byte chunks per row
  const int first = withQ ? 0 : 1;                        // which = 0 is q, 1 is k
  for (int e = threadIdx.x; e < m * (2 - first) * qkChunks; e += kThreads) {
    const int j = e / ((2 - first) * qkChunks), r = e % ((2 - first) * qkChunks);
    const int which = first + r / qkChunks, c = (r % qkChunks) * 4;
    cpAsync16(stage + (which ? L::k : L::q) + j * L::ldq + c, qkvHead + (b0 + j) * ld + which * D + c);
  }
  for (int e = threadIdx.x; e < m * vChunks; e += kThreads) {
    const int j = e / vChunks, c = (e % vChunks) * 4;
    cpAsync16(stage + L::v + j * L::ldw + c, qkvHead + (b0 + j) * ld + 2 * D + c0 + c);
  }
}

// A = Q Kᵀ over the causal 16×16 tiles (tiles above the diagonal are left for applyDecays to zero).
// Warp w: row tile w/2, column tiles 2(w%2) and 2(w%2)+1.
template <int D, Precision P>
__device__ void scores(const float* Q, const float* K, float* A, int warp) {
  using L = Layout<D>;
  const int rt = warp >> 1, ct = 2 * (warp & 1);
  if (ct > rt) return;
  const bool second = ct + 1 <= rt;
  FragC acc0, acc1;
  wmma::fill_fragment(acc0, 0.0f);
  wmma::fill_fragment(acc1, 0.0f);
#pragma unroll 2
  for (int k = 0; k < D; k += 8) {
    Operand<FragA, P> a;
    a.load(Q + rt * 16 * L::ldq + k, L::ldq);
    Operand<FragBT, P> b;
    b.load(K + ct * 16 * L::ldq + k, L::ldq);
    mma(acc0, a, b);
    if (second) {
      b.load(K + (ct + 1) * 16 * L::ldq + k, L::ldq);
      mma(acc1, a, b);
    }
  }
  wmma::store_matrix_sync(A + rt * 16 * L::ldw + ct * 16, acc0, L::ldw, wmma::mem_row_major);
  if (second) wmma::store_matrix_sync(A + rt * 16 * L::ldw + (ct + 1) * 16, acc1, L::ldw, wmma::mem_row_major);
}

// In place: A ⊙ M, Q rows × dpow[j+1], K rows × dpow[m−1−j]; rows ≥ m of Q, K, V (stale or unloaded
// memory) become 0 by assignment so they add nothing. Four columns per thread and step (16-byte shared
// accesses: every row stride and region offset is a multiple of 4 floats).
// withOutputs false (state-only pass) touches only K and V.
template <int D>
__device__ void applyDecays(float* Q, float* K, float* V, float* A, const float* dpow, int m, bool withOutputs) {
  using L = Layout<D>;
  constexpr int qkQuads = D / 4, wQuads = kWidth / 4;
  const float4 zero = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
  for (int e = threadIdx.x; e < kRows * qkQuads; e += kThreads) {
    const int j = e / qkQuads, d = (e % qkQuads) * 4;
    float4* k = reinterpret_cast<float4*>(K + j * L::ldq + d);
    float4* q = reinterpret_cast<float4*>(Q + j * L::ldq + d);
    if (j < m) {
      const float fk = dpow[m - 1 - j];
      float4 x = *k;
      *k = make_float4(x.x * fk, x.y * fk, x.z * fk, x.w * fk);
      if (withOutputs) {
        const float fq = dpow[j + 1];
        x = *q;
        *q = make_float4(x.x * fq, x.y * fq, x.z * fq, x.w * fq);
      }
    } else {
      *k = zero;
      if (withOutputs) *q = zero;
    }
  }
  for (int e = threadIdx.x; e < kRows * wQuads; e += kThreads) {
    const int j = e / wQuads, i = (e % wQuads) * 4;
    if (j >= m) *reinterpret_cast<float4*>(V + j * L::ldw + i) = zero;
    if (withOutputs) {
      float* a = A + j * L::ldw + i;
#pragma unroll
      for (int c = 0; c < 4; ++c) a[c] = (i + c <= j && j < m) ? a[c] * dpow[j - i - c] : 0.0f;
    }
  }
}

// o[t] += X Y[:, 16t …] over k < kEnd for one 16-row tile of X and two 16-column tiles of Y (both row-major).
template <Precision P>
__device__ __forceinline__ void accumulateTilePair(FragC (&o)[2], const float* X, unsigned ldx, const float* Y,
                                                   unsigned ldy, int kEnd) {
#pragma unroll 2
  for (int k = 0; k < kEnd; k += 8) {
    Operand<FragA, P> a;
    a.load(X + k, ldx);
#pragma unroll
    for (int t = 0; t < 2; ++t) {
      Operand<FragB, P> b;
      b.load(Y + k * ldy + t * 16, ldy);
      mma(o[t], a, b);
    }
  }
}

// O = A V + Q S for this warp's two 16×16 output tiles (row tile w/2, column tiles 2(w%2), +1).
template <int D, Precision P>
__device__ void blockOutputs(const float* Q, const float* V, const float* S, const float* A, int warp, FragC (&o)[2]) {
  using L = Layout<D>;
  const int rt = warp >> 1, ct = 2 * (warp & 1);
  wmma::fill_fragment(o[0], 0.0f);
  wmma::fill_fragment(o[1], 0.0f);
  // A is zero right of the diagonal tile, so its product stops there
  accumulateTilePair<P>(o, A + rt * 16 * L::ldw, L::ldw, V + ct * 16, L::ldw, (rt + 1) * 16);
  accumulateTilePair<P>(o, Q + rt * 16 * L::ldq, L::ldq, S + ct * 16, L::ldw, D);
}

// S ← dpow[m] S + Kᵀ V (K already scaled). Warp w owns S row tile w / (8·16/D) and D/32 column tiles.
template <int D, Precision P>
__device__ void updateState(const float* K, const float* V, float* S, float decayBlock, int warp) {
  using L = Layout<D>;
  constexpr int kWarpsPerRowTile = kWarps * 16 / D;          // 1 (D = 128) or 2 (D = 64)
  constexpr int kTiles = (kWidth / 16) / kWarpsPerRowTile;    // column tiles per warp
  const int rt = warp / kWarpsPerRowTile, ct0 = (warp % kWarpsPerRowTile) * kTiles;
  FragC acc[kTiles];
#pragma unroll
  for (int t = 0; t < kTiles; ++t) {
    wmma::load_matrix_sync(acc[t], S + rt * 16 * L::ldw + (ct0 + t) * 16, L::ldw, wmma::mem_row_major);
#pragma unroll
    for (int i = 0; i < acc[t].num_elements; ++i) acc[t].x[i] *= decayBlock;
  }
  for (int k = 0; k < kRows; k += 8) {
    Operand<FragAT, P> a;  // Kᵀ[rt·16 …, k …] read column-major out of K [B, D]
    a.load(K + k * L::ldq + rt * 16, L::ldq);
#pragma unroll
    for (int t = 0; t < kTiles; ++t) {
      Operand<FragB, P> b;
      b.load(V + k * L::ldw + (ct0 + t) * 16, L::ldw);
      mma(acc[t], a, b);
    }
  }
#pragma unroll
  for (int t = 0; t < kTiles; ++t)
    wmma::store_matrix_sync(S + rt * 16 * L::ldw + (ct0 + t) * 16, acc[t], L::ldw, wmma::mem_row_major);
}

// What one CTA of the block kernel does with its token range and its state slice.
enum class Walk {
  Sequence,      // all T tokens from state (pending folded in); outputs; final state back to state
  GroupState,    // pass 1: group g from a zero state, no outputs; the group's own state to groupStates[h, g]
  GroupOutputs,  // pass 3: group g from its incoming state groupStates[h, g]; outputs only
};

struct WalkArgs {
  const float* qkv;  // [T, H, 3, D] (the launch's first token)
  int64_t T, H;      // tokens of this launch, heads
  const double* decay;
  float* state;            // Sequence: [H, D, D]
  const int32_t* pending;  // Sequence: [H]
  float* out;              // [T, H, D]
  float* groupStates;      // group walks: [H, groups, D, D]
  int64_t groups;          // group walks: gridDim.z
};

template <int D, Walk kWalk, Precision P>
__global__ void __launch_bounds__(kThreads, 1) lightningPrefillTensorCoreKernel(WalkArgs args) {
  using L = Layout<D>;
  constexpr bool kOutputs = kWalk != Walk::GroupState;
  extern __shared__ __align__(128) float smem[];
  float* S = smem + L::s;     // [D, ldw]
  float* A = smem + L::a;     // [B, ldw]
  float* dpow = smem + L::dpow;
  const int64_t h = blockIdx.y, H = args.H;
  const int c0 = blockIdx.x * kWidth, warp = threadIdx.x >> 5;
  const int64_t ld = H * 3 * D;                      // elements between tokens of qkv
  const float* qkvHead = args.qkv + h * 3 * D;       // row t at qkvHead + t·ld
  float* out = args.out;
  const double s = args.decay[h];
  for (int n = threadIdx.x; n <= kRows; n += kThreads) dpow[n] = static_cast<float>(exp(-s * n));

  // this CTA's tokens [t0, t1) and the [D, D] state its slice is read from / written to
  int64_t t0 = 0, t1 = args.T;
  float* Sg = args.state + h * D * D;
  if constexpr (kWalk != Walk::Sequence) {
    t0 = int64_t(blockIdx.z) * kLightningGroupTokens;
    t1 = t0 + kLightningGroupTokens < args.T ? t0 + kLightningGroupTokens : args.T;
    Sg = args.groupStates + (h * args.groups + blockIdx.z) * D * D;
  }
  if constexpr (kWalk == Walk::GroupState) {
    for (int e = threadIdx.x; e < D * kWidth; e += kThreads) S[(e / kWidth) * L::ldw + e % kWidth] = 0.0f;
  } else {
    // Sequence folds the pending decode decay in (as ref::lightningFoldHead); the scan did it for groups
    const int32_t pend = kWalk == Walk::Sequence ? args.pending[h] : 0;
    const float fold = pend == 0 ? 1.0f : static_cast<float>(exp(-s * static_cast<double>(pend)));
    for (int e = threadIdx.x; e < D * kWidth; e += kThreads) {
      const int a = e / kWidth, c = e % kWidth;
      S[a * L::ldw + c] = Sg[a * D + c0 + c] * fold;
    }
  }

  const int64_t blocks = (t1 - t0 + kRows - 1) / kRows;
  loadBlockAsync<D>(smem, qkvHead, ld, t0, static_cast<int>(t1 - t0 < kRows ? t1 - t0 : kRows), c0, kOutputs);
  cpAsyncCommit();
  for (int64_t n = 0; n < blocks; ++n) {
    const int64_t b0 = t0 + n * kRows;
    const int m = static_cast<int>(t1 - b0 < kRows ? t1 - b0 : kRows);
    float* cur = smem + (n & 1) * L::stage;
    if (n + 1 < blocks) {  // the other stage's last readers finished before the previous iteration's end
      const int64_t next = b0 + kRows;
      loadBlockAsync<D>(smem + ((n + 1) & 1) * L::stage, qkvHead, ld, next,
                        static_cast<int>(t1 - next < kRows ? t1 - next : kRows), c0, kOutputs);
    }
    cpAsyncCommit();  // possibly empty, so the wait below always leaves exactly the newest group pending
    cpAsyncWait<1>();
    __syncthreads();  // block n visible to all; last iteration's copy-out of A is done
    float *Q = cur + L::q, *K = cur + L::k, *V = cur + L::v;
    if constexpr (kOutputs) {
      scores<D, P>(Q, K, A, warp);
      __syncthreads();
    }
    applyDecays<D>(Q, K, V, A, dpow, m, kOutputs);
    __syncthreads();
    if constexpr (kOutputs) {
      FragC o[2];
      blockOutputs<D, P>(Q, V, S, A, warp, o);
      __syncthreads();  // every reader of A and of the old S is done
      const int rt = warp >> 1, ct = 2 * (warp & 1);
      wmma::store_matrix_sync(A + rt * 16 * L::ldw + ct * 16, o[0], L::ldw, wmma::mem_row_major);
      wmma::store_matrix_sync(A + rt * 16 * L::ldw + (ct + 1) * 16, o[1], L::ldw, wmma::mem_row_major);
    }
    // pass 3 needs no state after its group's last block (the scan has it)
    if (kWalk != Walk::GroupOutputs || n + 1 < blocks) updateState<D, P>(K, V, S, dpow[m], warp);
    __syncthreads();
    if constexpr (kOutputs) {
      for (int e = threadIdx.x; e < m * (kWidth / 4); e += kThreads) {
        const int j = e / (kWidth / 4), c = (e % (kWidth / 4)) * 4;
        const float* src = A + j * L::ldw + c;
        *reinterpret_cast<float4*>(out + (b0 + j) * H * D + h * D + c0 + c) =
            make_float4(src[0], src[1], src[2], src[3]);
      }
    }
  }
  if constexpr (kWalk != Walk::GroupOutputs) {
    __syncthreads();
    for (int e = threadIdx.x; e < D * kWidth; e += kThreads) {
      const int a = e / kWidth, c = e % kWidth;
      Sg[a * D + c0 + c] = S[a * L::ldw + c];
    }
  }
}

template <int D, Walk kWalk, Precision P>
void launchWalk(const WalkArgs& args, unsigned groups, cudaStream_t s) {
  constexpr size_t bytes = Layout<D>::bytes;
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(lightningPrefillTensorCoreKernel<D, kWalk, P>,
                                        cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
  const dim3 grid(D / kWidth, static_cast<unsigned>(args.H), groups);
  lightningPrefillTensorCoreKernel<D, kWalk, P><<<grid, kThreads, bytes, s>>>(args);
  FOLIO_CUDA_LAUNCH_CHECK();
}

constexpr size_t kScratchBudgetBytes = size_t(256) << 20;  // group states of one chunked launch sequence

// Passes 1–3 over super-chunks of at most maxGroups groups; the scan carries the state between them
// through `state`, and only the first super-chunk folds `pending`.
template <int D, Precision P>
void launchChunked(const float* qkv, int64_t T, int64_t H, const double* decay, float* state,
                   const int32_t* pending, float* out, cudaStream_t s, int64_t maxGroups) {
  const int64_t groupBytes = H * D * D * int64_t(sizeof(float));
  if (maxGroups <= 0) maxGroups = std::max<int64_t>(1, static_cast<int64_t>(kScratchBudgetBytes) / groupBytes);
  maxGroups = std::min<int64_t>(maxGroups, 65535);  // gridDim.z
  const int64_t totalGroups = (T + kLightningGroupTokens - 1) / kLightningGroupTokens;
  const int64_t scratchGroups = std::min(maxGroups, totalGroups);
  // stream-ordered, so the pool reuses it across calls; released even when a launch check throws
  struct StreamScratch {
    float* p = nullptr;
    cudaStream_t s;
    ~StreamScratch() { if (p != nullptr) cudaFreeAsync(p, s); }
  } scratch{nullptr, s};
  FOLIO_CUDA_CHECK(cudaMallocAsync(reinterpret_cast<void**>(&scratch.p),
                                   static_cast<size_t>(scratchGroups * groupBytes), s));
  float* groupStates = scratch.p;
  for (int64_t g0 = 0; g0 < totalGroups; g0 += scratchGroups) {
    const int64_t groups = std::min(scratchGroups, totalGroups - g0);
    const int64_t first = g0 * kLightningGroupTokens;
    const int64_t tokens = std::min(T - first, groups * kLightningGroupTokens);
    const WalkArgs args{qkv + first * H * 3 * D, tokens, H, decay, state, pending, out + first * H * D,
                        groupStates, groups};
    launchWalk<D, Walk::GroupState, P>(args, static_cast<unsigned>(groups), s);
    detail::lightningStateScan(groupStates, groups, kLightningGroupTokens,
                               tokens - (groups - 1) * kLightningGroupTokens, H, D, decay, state,
                               g0 == 0 ? pending : nullptr, s);
    launchWalk<D, Walk::GroupOutputs, P>(args, static_cast<unsigned>(groups), s);
  }
}

template <int D, Precision P>
void launchTensorCore(detail::LightningPrefillPath path, const float* qkv, int64_t T, int64_t H,
                      const double* decay, float* state, const int32_t* pending, float* out, cudaStream_t s,
                      int64_t maxGroups) {
  if (path == detail::LightningPrefillPath::Chunked) {
    launchChunked<D, P>(qkv, T, H, decay, state, pending, out, s, maxGroups);
  } else {
    launchWalk<D, Walk::Sequence, P>({qkv, T, H, decay, state, pending, out, nullptr, 1}, 1, s);
  }
}

template <int D>
void launchTensorCore(detail::LightningPrefillPath path, Precision precision, const float* qkv, int64_t T, int64_t H,
                      const double* decay, float* state, const int32_t* pending, float* out, cudaStream_t s,
                      int64_t maxGroups) {
  if (precision == Precision::Tf32) {
    launchTensorCore<D, Precision::Tf32>(path, qkv, T, H, decay, state, pending, out, s, maxGroups);
  } else {
    launchTensorCore<D, Precision::Fp32>(path, qkv, T, H, decay, state, pending, out, s, maxGroups);
  }
}

__global__ void clearPendingKernel(int32_t* pending, int64_t H) {
  for (int64_t h = threadIdx.x; h < H; h += blockDim.x) pending[h] = 0;
}

bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

// Auto: the sequential form has D/64·H CTAs (one per SM: shared memory), each walking all T tokens. The
// chunked form has (T/256)·H·D/64 CTAs but does about 1.3× the work (pass 1 repeats the Kᵀ V products),
// so it is taken only where the sequential grid would leave at least half the SMs idle.
detail::LightningPrefillPath resolvePath(detail::LightningPrefillPath path, int64_t T, int64_t H, int64_t D) {
  using detail::LightningPrefillPath;
  if (path != LightningPrefillPath::Auto) return path;
  if (const char* env = std::getenv("FOLIO_LIGHTNING_PREFILL")) {
    const std::string_view v(env);
    if (v == "sequential") return LightningPrefillPath::Sequential;
    if (v == "chunked") return LightningPrefillPath::Chunked;
    detail::requireArg(v.empty() || v == "auto", "lightningPrefill",
                       "FOLIO_LIGHTNING_PREFILL must be sequential, chunked or auto");
  }
  if (T < 2 * kLightningGroupTokens) return LightningPrefillPath::Sequential;
  int dev = 0, sms = 0;
  FOLIO_CUDA_CHECK(cudaGetDevice(&dev));
  FOLIO_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
  return 2 * (D / kWidth) * H <= sms ? LightningPrefillPath::Chunked : LightningPrefillPath::Sequential;
}

}  // namespace

void detail::lightningPrefillWithPath(LightningPrefillPath path, LightningPrecision precision, const float* qkv,
                                      int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                                      int32_t* pending, float* out, cudaStream_t s, int64_t maxGroupsPerLaunch) {
  detail::requireArg(H > 0 && H <= 65535, "lightningPrefill", "H must be in 1 … 65535");
  detail::requireArg(D > 0 && D <= kMaxHeadDim, "lightningPrefill", "head dim D must be in 1 … 256");
  if (T <= 0) return;
  const bool aligned = aligned16(qkv) && aligned16(out);
  if ((D == 128 || D == 64) && aligned && precision == LightningPrecision::Bf16) {
    detail::lightningPrefillBf16(qkv, T, H, D, decay, state, pending, out, s);  // one walk, whatever the path
  } else if ((D == 128 || D == 64) && aligned) {
    const LightningPrefillPath resolved = resolvePath(path, T, H, D);
    if (D == 128) {
      launchTensorCore<128>(resolved, precision, qkv, T, H, decay, state, pending, out, s, maxGroupsPerLaunch);
    } else {
      launchTensorCore<64>(resolved, precision, qkv, T, H, decay, state, pending, out, s, maxGroupsPerLaunch);
    }
  } else {
    detail::lightningPrefillScalar(qkv, T, H, D, decay, state, pending, out, s);
  }
  // the pending decay is folded by every slice above, so it is cleared only after all of them ran
  clearPendingKernel<<<1, 256, 0, s>>>(pending, H);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void lightningPrefill(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                      int32_t* pending, float* out, cudaStream_t s, LightningPrecision precision) {
  // FOLIO_LIGHTNING_PRECISION=bf16 runs what asks for Tf32 (bf16/i8 checkpoints) on the bf16
  // register-tile kernel, so whole-model runs can measure it before it becomes the default
  if (precision == LightningPrecision::Tf32) {
    if (const char* env = std::getenv("FOLIO_LIGHTNING_PRECISION")) {
      const std::string_view v(env);
      detail::requireArg(v.empty() || v == "tf32" || v == "bf16", "lightningPrefill",
                         "FOLIO_LIGHTNING_PRECISION must be tf32 or bf16");
      if (v == "bf16") precision = LightningPrecision::Bf16;
    }
  }
  detail::lightningPrefillWithPath(detail::LightningPrefillPath::Auto, precision, qkv, T, H, D, decay, state, pending,
                                   out, s);
}

}  // namespace folio::kernels::cuda
