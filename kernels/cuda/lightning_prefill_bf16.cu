// Lightning attention prefill with bf16 tensor-core products held in registers (LightningPrecision::Bf16;
// the math is that of kernels/cpu/ref_lightning.h and of lightning_prefill.cu, whose notation this follows).
//
// One CTA per (head, 64-column slice of the value dimension), four warps, walking the tokens in blocks of
// B = 64 rows. Per block, with dpow[n] = e^{−s·n}:
//   the block's q, k and v (fp32, arrived by cp.async while the previous block was computed) become bf16
//   operands in shared memory: Q, K, V, and V·dpow[m−1−j] (the state update's decay moved from K to V);
//   warp w, rows 16w … 16w+15:  A = (Q Kᵀ) ⊙ M in registers (M[j, i] = dpow[j−i], i ≤ j)
//                               O = A V + diag(dpow[j+1]) Q S        written straight from the registers
//   then every warp its rows of S: S ← dpow[m] S + Kᵀ (V·dpow[m−1−j]), in fp32 registers for the whole
//   walk, and a bf16 copy of S in shared memory for the next block's Q S.
// So S stays fp32 (the carried state and what goes back to `state` are exact sums), while every product
// reads bf16 operands: q, k, v, the scores A and the state S as the next block's Q S sees it. Three
// barriers per block. D ∈ {64, 128} with 16-byte aligned qkv/out; anything else takes the fp32 scalar
// kernel (lightning_prefill.cu decides). Fragment layouts: mma_bf16.cuh.
#include <cmath>
#include <cstdint>

#include "kernels/cuda/async_copy.cuh"
#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/lightning_prefill_bf16.h"
#include "kernels/cuda/mma_bf16.cuh"

namespace folio::kernels::cuda {
namespace {

using namespace detail;  // async_copy.cuh, mma_bf16.cuh

constexpr int kRows = 64;      // B: tokens per block
constexpr int kWidth = 64;     // W: value columns per CTA
constexpr int kWarps = 4;      // 16 block rows each
constexpr int kThreads = kWarps * 32;
constexpr int kNTiles = kWidth / 8;  // 8-column accumulator tiles of one row tile

// Shared memory: an fp32 region (the staged block, the decay table), then a bf16 region (operands).
// Rows are padded by 16 bytes: fp32 rows stay 16-byte aligned for cp.async, bf16 rows of 272/144 bytes
// put the eight rows of an ldmatrix tile in eight different bank groups.
template <int D>
struct Layout {
  static constexpr int ldq = D + 4;       // staged q, k rows (floats)
  static constexpr int ldv = kWidth + 4;  // staged v rows (floats)
  static constexpr int stageQ = 0;
  static constexpr int stageK = stageQ + kRows * ldq;
  static constexpr int stageV = stageK + kRows * ldq;
  static constexpr int dpow = stageV + kRows * ldv;  // [B + 1]
  static constexpr int floats = dpow + kRows + 4;     // a multiple of 4: the bf16 region is 16-byte aligned
  static constexpr int ldb = D + 8;                   // bf16 Q, K rows
  static constexpr int ldw = kWidth + 8;              // bf16 V, V·decay, S rows
  static constexpr int q = 0;
  static constexpr int k = q + kRows * ldb;
  static constexpr int v = k + kRows * ldb;
  static constexpr int vd = v + kRows * ldw;
  static constexpr int s = vd + kRows * ldw;  // [D, ldw]
  static constexpr int halves = s + D * ldw;
  static constexpr size_t bytes = size_t(floats) * 4 + size_t(halves) * 2;
};
static_assert(Layout<128>::floats % 4 == 0 && Layout<64>::floats % 4 == 0, "bf16 region must be 16-byte aligned");
static_assert(Layout<128>::bytes <= 227 * 1024, "shared memory of the D = 128 kernel exceeds sm_90's 227 KiB");

__device__ __forceinline__ void storePair(uint16_t* dst, float lo, float hi) {
  *reinterpret_cast<uint32_t*>(dst) = packBf16(lo, hi);
}

// Issues the copies of rows b0 … b0+m−1 of this head's q, k (all D) and v (the CTA's W columns).
template <int D>
__device__ void loadBlockAsync(float* smem, const float* qkvHead, int64_t ld, int64_t b0, int m, int c0) {
  using L = Layout<D>;
  constexpr int qkChunks = D / 4, vChunks = kWidth / 4;  // 16-byte chunks per row
  for (int e = threadIdx.x; e < m * 2 * qkChunks; e += kThreads) {
    const int j = e / (2 * qkChunks), r = e % (2 * qkChunks), which = r / qkChunks, d = (r % qkChunks) * 4;
    cpAsync16(smem + (which ? L::stageK : L::stageQ) + j * L::ldq + d, qkvHead + (b0 + j) * ld + which * D + d);
  }
  for (int e = threadIdx.x; e < m * vChunks; e += kThreads) {
    const int j = e / vChunks, d = (e % vChunks) * 4;
    cpAsync16(smem + L::stageV + j * L::ldv + d, qkvHead + (b0 + j) * ld + 2 * D + c0 + d);
  }
}

template <int D>
__global__ void __launch_bounds__(kThreads, 1)
    lightningPrefillBf16Kernel(const float* qkv, int64_t T, int64_t H, const double* decay, float* state,
                               const int32_t* pending, float* out) {
  using L = Layout<D>;
  constexpr int kSteps = D / 16;             // 16-wide k-steps over the head dim
  constexpr int kMTiles = D / 16 / kWarps;   // row tiles of S per warp: 2 (D = 128) or 1 (D = 64)
  extern __shared__ __align__(128) float smem[];
  float* dpow = smem + L::dpow;
  uint16_t* half = reinterpret_cast<uint16_t*>(smem + L::floats);
  uint16_t *Qb = half + L::q, *Kb = half + L::k, *Vb = half + L::v, *Vd = half + L::vd, *Sb = half + L::s;
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, c = lane & 3;
  const int64_t h = blockIdx.y, H3D = H * 3 * D;
  const int c0 = blockIdx.x * kWidth;
  const float* qkvHead = qkv + h * 3 * D;  // token t at qkvHead + t·H3D
  const double s = decay[h];
  for (int n = threadIdx.x; n <= kRows; n += kThreads) dpow[n] = static_cast<float>(exp(-s * n));

  // this warp's rows of S[:, c0 …] as accumulator tiles, the pending decode decay folded in (as
  // ref::lightningFoldHead), and their bf16 copy for the first block's Q S
  const int32_t pend = pending[h];
  const float fold = pend == 0 ? 1.0f : static_cast<float>(exp(-s * static_cast<double>(pend)));
  float* Sg = state + h * D * D;
  float st[kMTiles][kNTiles][4];
  // f(pair, a, col) for each pair of this lane's state elements: pair[0], pair[1] are S[a, col], S[a, col + 1]
  const auto eachStatePair = [&](auto&& f) {
#pragma unroll
    for (int mt = 0; mt < kMTiles; ++mt)
#pragma unroll
      for (int nt = 0; nt < kNTiles; ++nt)
#pragma unroll
        for (int r = 0; r < 2; ++r) f(st[mt][nt] + 2 * r, (warp * kMTiles + mt) * 16 + g + 8 * r, nt * 8 + 2 * c);
  };
  eachStatePair([&](float* pair, int a, int col) {
    pair[0] = Sg[a * D + c0 + col] * fold;
    pair[1] = Sg[a * D + c0 + col + 1] * fold;
    storePair(Sb + a * L::ldw + col, pair[0], pair[1]);
  });

  // this lane's ldmatrix addresses (mma_bf16.cuh): Q as A (rows 16w …); K as B of Q Kᵀ (keys as n rows)
  // and, transposed, as A of Kᵀ in the state update (tokens as k rows); V, V·decay and S as k-major B
  const uint16_t* qBase = Qb + warp * 16 * L::ldb + rowsFirstOffset(lane, L::ldb);
  const uint16_t* kBase = Kb + colsFirstOffset(lane, L::ldb);
  const int kMajor = rowsFirstOffset(lane, L::ldw);
  const int row0 = warp * 16 + g;  // this lane's block rows: row0 and row0 + 8

  const int64_t blocks = (T + kRows - 1) / kRows;
  loadBlockAsync<D>(smem, qkvHead, H3D, 0, static_cast<int>(T < kRows ? T : kRows), c0);
  cpAsyncCommit();
  for (int64_t n = 0; n < blocks; ++n) {
    const int64_t b0 = n * kRows;
    const int m = static_cast<int>(T - b0 < kRows ? T - b0 : kRows);
    cpAsyncWait<0>();
    __syncthreads();  // block n staged and visible; every reader of the previous block's operands is done
    for (int e = threadIdx.x; e < kRows * D / 2; e += kThreads) {
      const int j = e / (D / 2), d = (e % (D / 2)) * 2;
      const float* q = smem + L::stageQ + j * L::ldq + d;
      const float* k = smem + L::stageK + j * L::ldq + d;
      const bool valid = j < m;  // rows past the block's end (never staged) become zeros
      storePair(Qb + j * L::ldb + d, valid ? q[0] : 0.0f, valid ? q[1] : 0.0f);
      storePair(Kb + j * L::ldb + d, valid ? k[0] : 0.0f, valid ? k[1] : 0.0f);
    }
    for (int e = threadIdx.x; e < kRows * kWidth / 2; e += kThreads) {
      const int j = e / (kWidth / 2), d = (e % (kWidth / 2)) * 2;
      const float* v = smem + L::stageV + j * L::ldv + d;
      const bool valid = j < m;
      const float v0 = valid ? v[0] : 0.0f, v1 = valid ? v[1] : 0.0f, f = valid ? dpow[m - 1 - j] : 0.0f;
      storePair(Vb + j * L::ldw + d, v0, v1);
      storePair(Vd + j * L::ldw + d, v0 * f, v1 * f);
    }
    __syncthreads();  // operands visible; the stage is free for the next block
    if (n + 1 < blocks) {
      const int64_t next = b0 + kRows;
      loadBlockAsync<D>(smem, qkvHead, H3D, next, static_cast<int>(T - next < kRows ? T - next : kRows), c0);
    }
    cpAsyncCommit();

    // A = Q Kᵀ over this warp's 16 rows and the block's 64 keys, then the decay mask
    float sc[kRows / 8][4];
#pragma unroll
    for (int j = 0; j < kRows / 8; ++j) sc[j][0] = sc[j][1] = sc[j][2] = sc[j][3] = 0.0f;
#pragma unroll
    for (int kk = 0; kk < kSteps; ++kk) {
      uint32_t qa[4];
      ldmatrixX4(qBase + kk * 16, qa);
      mmaNMajor<kRows / 16>(sc, qa, kBase + kk * 16, L::ldb);
    }
#pragma unroll
    for (int j = 0; j < kRows / 8; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int row = row0 + 8 * (e >> 1), key = 8 * j + 2 * c + (e & 1);
        sc[j][e] = key <= row ? sc[j][e] * dpow[row - key] : 0.0f;
      }

    // O = A V, then + diag(dpow[j+1]) Q S (S as it entered the block)
    float o[kNTiles][4], qs[kNTiles][4];
#pragma unroll
    for (int nt = 0; nt < kNTiles; ++nt)
#pragma unroll
      for (int e = 0; e < 4; ++e) o[nt][e] = qs[nt][e] = 0.0f;
#pragma unroll
    for (int kk = 0; kk < kRows / 16; ++kk) {
      uint32_t pa[4];
      accumulatorsAsA(sc[2 * kk], sc[2 * kk + 1], pa);
      mmaKMajor<kNTiles / 2>(o, pa, Vb + kMajor + kk * 16 * L::ldw);
    }
#pragma unroll
    for (int kk = 0; kk < kSteps; ++kk) {
      uint32_t qa[4];
      ldmatrixX4(qBase + kk * 16, qa);
      mmaKMajor<kNTiles / 2>(qs, qa, Sb + kMajor + kk * 16 * L::ldw);
    }
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      const int j = row0 + 8 * r;
      if (j >= m) continue;
      const float f = dpow[j + 1];
      float* dst = out + (b0 + j) * H * D + h * D + c0 + 2 * c;
#pragma unroll
      for (int nt = 0; nt < kNTiles; ++nt)
        *reinterpret_cast<float2*>(dst + 8 * nt) =
            make_float2(o[nt][2 * r] + f * qs[nt][2 * r], o[nt][2 * r + 1] + f * qs[nt][2 * r + 1]);
    }
    __syncthreads();  // every warp's Q S has read Sb before the update rewrites it

    // S ← dpow[m] S + Kᵀ (V·dpow[m−1−j]) over this warp's rows of S; then its bf16 copy
    const float dm = dpow[m];
#pragma unroll
    for (int mt = 0; mt < kMTiles; ++mt)
#pragma unroll
      for (int nt = 0; nt < kNTiles; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) st[mt][nt][e] *= dm;
#pragma unroll
    for (int ks = 0; ks < kRows / 16; ++ks) {
      uint32_t ka[kMTiles][4];
#pragma unroll
      for (int mt = 0; mt < kMTiles; ++mt)
        ldmatrixX4Trans(kBase + ks * 16 * L::ldb + (warp * kMTiles + mt) * 16, ka[mt]);
#pragma unroll
      for (int mt = 0; mt < kMTiles; ++mt) mmaKMajor<kNTiles / 2>(st[mt], ka[mt], Vd + kMajor + ks * 16 * L::ldw);
    }
    eachStatePair([&](float* pair, int a, int col) { storePair(Sb + a * L::ldw + col, pair[0], pair[1]); });
  }

  // the carried state back, fp32
  eachStatePair([&](float* pair, int a, int col) {
    *reinterpret_cast<float2*>(Sg + a * D + c0 + col) = make_float2(pair[0], pair[1]);
  });
}

template <int D>
void launch(const float* qkv, int64_t T, int64_t H, const double* decay, float* state, const int32_t* pending,
            float* out, cudaStream_t s) {
  constexpr size_t bytes = Layout<D>::bytes;
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(lightningPrefillBf16Kernel<D>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(bytes)));
  const dim3 grid(D / kWidth, static_cast<unsigned>(H));
  lightningPrefillBf16Kernel<D><<<grid, kThreads, bytes, s>>>(qkv, T, H, decay, state, pending, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace

void detail::lightningPrefillBf16(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay,
                                  float* state, const int32_t* pending, float* out, cudaStream_t s) {
  if (T <= 0) return;
  if (D == 128) launch<128>(qkv, T, H, decay, state, pending, out, s);
  else launch<64>(qkv, T, H, decay, state, pending, out, s);
}

}  // namespace folio::kernels::cuda
