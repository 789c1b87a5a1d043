// Softmax attention prefill on bf16 tensor cores, FlashAttention-2 style (the TensorCore form of
// softmax_forms.h; the math is that of kernels/cpu/ref_softmax_attention.h).
//
// One CTA per (head, 64 query rows), four warps of 16 rows each. The CTA walks the keys its rows can see
// (0 … p0 + last row) in tiles of 64, K and V rows streamed from the bf16 cache into shared memory by
// cp.async, the next tile in flight while the current one is computed. Per warp and tile:
//   S = Q Kᵀ            (16 × 64, mma.m16n8k16 bf16 → fp32; Q's fragments stay in registers throughout)
//   causal mask, running row max m, P = 2^(S·scale·log2 e − m), running sum l, O rescaled by 2^(m_old − m)
//   O += P V            (P re-packed to bf16 straight from the S accumulators: the m16n8 C layout of two
//                        adjacent key tiles is the m16k16 A layout, so P never touches shared memory)
// and at the end O / l. Keys past the last visible position are zero-filled, so a stale or poisoned cache
// row adds nothing. The longest query tiles (the last ones, which see the most keys) are launched first.
//
// Fragment layouts: mma_bf16.cuh. tools/reference/softmax_prefill_lane_emulation.py runs this kernel's
// per-lane code against the PTX fragment tables on the host.
//
// Non-finite values: a NaN or inf in a K row the row cannot see is masked; in a V row it cannot see but
// inside its 64-key tile, it reaches the output through 0·NaN (the scalar form skips those rows).
#include <cuda_bf16.h>

#include <cmath>
#include <cstdint>

#include "kernels/cuda/async_copy.cuh"
#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/mma_bf16.cuh"
#include "kernels/cuda/online_softmax.cuh"
#include "kernels/cuda/softmax_forms.h"

namespace folio::kernels::cuda {
namespace {

using namespace detail;  // async_copy.cuh, mma_bf16.cuh, online_softmax.cuh

constexpr int kQueryRows = 64;  // per CTA, 16 per warp
constexpr int kKeys = 64;       // per tile
constexpr int kThreads = 128;

// Shared memory in bf16 elements. Rows are padded by 8 elements (16 bytes): a row stride of 272 (D = 128)
// or 144 (D = 64) bytes puts the eight row addresses of one ldmatrix tile in eight different 16-byte bank
// groups, and keeps every row 16-byte aligned for cp.async.
template <int D>
struct Layout {
  static constexpr int ld = D + 8;
  static constexpr int q = 0;                    // [64, ld]
  static constexpr int k = q + kQueryRows * ld;  // two stages of [64, ld]
  static constexpr int v = k + 2 * kKeys * ld;   // two stages of [64, ld]
  static constexpr int total = v + 2 * kKeys * ld;
  static constexpr size_t bytes = size_t(total) * sizeof(uint16_t);
};
static_assert(2 * Layout<128>::bytes <= 227 * 1024, "two D = 128 CTAs must fit one sm_90 SM");

template <int D>
__global__ void __launch_bounds__(kThreads, 2)
    attentionPrefillMmaKernel(const float* q, int64_t ldq, const uint16_t* kc, const uint16_t* vc, int64_t p0,
                              int64_t T, int64_t H, int64_t KV, float scaleLog2, float* out) {
  using L = Layout<D>;
  constexpr int kSteps = D / 16;  // k-steps of Q Kᵀ, and pairs of 8-column output tiles
  constexpr int kKeyTiles = kKeys / 8;
  extern __shared__ __align__(128) uint16_t smem[];
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, c = lane & 3;
  const int64_t h = blockIdx.x, kvh = h / (H / KV);
  const int64_t q0 = int64_t(gridDim.y - 1 - blockIdx.y) * kQueryRows;
  const int rows = static_cast<int>(T - q0 < kQueryRows ? T - q0 : kQueryRows);
  const int64_t lastKey = p0 + q0 + rows - 1;  // the furthest position any row of the CTA sees
  const int64_t tiles = lastKey / kKeys + 1;
  const uint16_t* kHead = kc + kvh * D;
  const uint16_t* vHead = vc + kvh * D;
  const int64_t rowStride = KV * D;  // cache elements between positions

  uint16_t* Qs = smem + L::q;
  const auto loadTile = [&](int64_t n) {
    const int64_t k0 = n * kKeys;
    uint16_t* Ks = smem + L::k + (n & 1) * kKeys * L::ld;
    uint16_t* Vs = smem + L::v + (n & 1) * kKeys * L::ld;
    constexpr int kChunks = D / 8;  // 16-byte chunks per row
    for (int e = threadIdx.x; e < kKeys * kChunks; e += kThreads) {
      const int j = e / kChunks, d = (e % kChunks) * 8;
      const bool valid = k0 + j <= lastKey;
      const int64_t row = valid ? k0 + j : 0;
      cpAsync16OrZero(Ks + j * L::ld + d, kHead + row * rowStride + d, valid);
      cpAsync16OrZero(Vs + j * L::ld + d, vHead + row * rowStride + d, valid);
    }
  };
  loadTile(0);
  cpAsyncCommit();

  // Q rounded to bf16 (rows past T are zero), then each warp's 16 rows into A fragments
  for (int e = threadIdx.x; e < kQueryRows * D; e += kThreads) {
    const int j = e / D, d = e % D;
    Qs[j * L::ld + d] = detail::floatToBf16Bits(j < rows ? q[(q0 + j) * ldq + h * D + d] : 0.0f);
  }
  __syncthreads();
  uint32_t qa[kSteps][4];
  {
    const uint16_t* base = Qs + warp * 16 * L::ld + rowsFirstOffset(lane, L::ld);
#pragma unroll
    for (int kk = 0; kk < kSteps; ++kk) ldmatrixX4(base + kk * 16, qa[kk]);
  }

  float o[2 * kSteps][4];  // output tile n: columns 8n … 8n+7
#pragma unroll
  for (int n = 0; n < 2 * kSteps; ++n) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.0f;
  float mRow[2] = {-INFINITY, -INFINITY}, lRow[2] = {0.0f, 0.0f};  // rows g and g + 8, log2 units
  const int64_t warpFirst = p0 + q0 + warp * 16;                   // position of the warp's first row
  const int64_t pos[2] = {warpFirst + g, warpFirst + g + 8};

  for (int64_t n = 0; n < tiles; ++n) {
    if (n + 1 < tiles) loadTile(n + 1);  // its stage's last readers finished before the previous barrier
    cpAsyncCommit();                     // possibly empty, so the wait leaves exactly the newest pending
    cpAsyncWait<1>();
    __syncthreads();
    const int64_t k0 = n * kKeys;
    if (k0 <= warpFirst + 15) {  // some row of this warp sees a key of this tile (warp-uniform)
      const uint16_t* Ks = smem + L::k + (n & 1) * kKeys * L::ld;
      const uint16_t* Vs = smem + L::v + (n & 1) * kKeys * L::ld;
      float sc[kKeyTiles][4];
#pragma unroll
      for (int j = 0; j < kKeyTiles; ++j) sc[j][0] = sc[j][1] = sc[j][2] = sc[j][3] = 0.0f;
      {
        const uint16_t* base = Ks + colsFirstOffset(lane, L::ld);  // keys are the n rows
#pragma unroll
        for (int kk = 0; kk < kSteps; ++kk) mmaNMajor<kKeyTiles / 2>(sc, qa[kk], base + kk * 16, L::ld);
      }
      // scale into log2 units, mask keys past each row's position, then the online softmax step
      const bool diagonal = k0 + kKeys - 1 > warpFirst;
#pragma unroll
      for (int j = 0; j < kKeyTiles; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const bool masked = diagonal && k0 + 8 * j + 2 * c + (e & 1) > pos[e >> 1];
          sc[j][e] = masked ? -INFINITY : sc[j][e] * scaleLog2;
        }
      onlineSoftmaxTile(sc, mRow, lRow, o);
      {
        const uint16_t* base = Vs + rowsFirstOffset(lane, L::ld);  // keys are the k rows
#pragma unroll
        for (int kk = 0; kk < kKeyTiles / 2; ++kk) {
          uint32_t pa[4];
          accumulatorsAsA(sc[2 * kk], sc[2 * kk + 1], pa);
          mmaKMajor<kSteps>(o, pa, base + kk * 16 * L::ld);
        }
      }
    }
    __syncthreads();  // every reader of this stage is done before the loop refills it
  }

#pragma unroll
  for (int r = 0; r < 2; ++r) {
    lRow[r] += __shfl_xor_sync(0xffffffffu, lRow[r], 1);
    lRow[r] += __shfl_xor_sync(0xffffffffu, lRow[r], 2);
    const int64_t t = q0 + warp * 16 + g + 8 * r;
    if (t >= T) continue;
    const float inv = 1.0f / lRow[r];
    float* dst = out + (t * H + h) * D + 2 * c;
#pragma unroll
    for (int nt = 0; nt < 2 * kSteps; ++nt)
      *reinterpret_cast<float2*>(dst + 8 * nt) = make_float2(o[nt][2 * r] * inv, o[nt][2 * r + 1] * inv);
  }
}

template <int D>
void launch(const float* q, int64_t ldq, const uint16_t* kc, const uint16_t* vc, int64_t p0, int64_t T,
            int64_t H, int64_t KV, float* out, cudaStream_t s) {
  constexpr size_t bytes = Layout<D>::bytes;
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(
      attentionPrefillMmaKernel<D>, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
  const double scaleLog2 = 1.0 / std::sqrt(static_cast<double>(D)) * 1.4426950408889634;  // log2(e)
  const dim3 grid(static_cast<unsigned>(H), static_cast<unsigned>((T + kQueryRows - 1) / kQueryRows));
  attentionPrefillMmaKernel<D>
      <<<grid, kThreads, bytes, s>>>(q, ldq, kc, vc, p0, T, H, KV, static_cast<float>(scaleLog2), out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

bool alignedTo(const void* p, uintptr_t n) {
  return reinterpret_cast<uintptr_t>(p) % n == 0;
}

}  // namespace

bool detail::softmaxPrefillTensorCoreFits(int64_t D, const void* kcache, const void* vcache,
                                          const void* out) {
  return (D == 64 || D == 128) && alignedTo(kcache, 16) && alignedTo(vcache, 16) && alignedTo(out, 8);
}

void detail::softmaxPrefillTensorCore(const float* q, int64_t ldq, const uint16_t* kcache,
                                      const uint16_t* vcache, int64_t p0, int64_t T, int64_t H, int64_t KV,
                                      int64_t D, float* out, cudaStream_t s) {
  detail::requireArg(
      softmaxPrefillTensorCoreFits(D, kcache, vcache, out), "softmaxAttention",
      "the tensor-core prefill needs D = 64 or 128, 16-byte aligned caches and an 8-byte aligned out");
  detail::requireArg((T + kQueryRows - 1) / kQueryRows <= 65535, "softmaxAttention",
                     "the tensor-core prefill takes at most 4,194,240 tokens per call");
  if (T <= 0) return;
  if (D == 128)
    launch<128>(q, ldq, kcache, vcache, p0, T, H, KV, out, s);
  else
    launch<64>(q, ldq, kcache, vcache, p0, T, H, KV, out, s);
}

}  // namespace folio::kernels::cuda
