// Softmax attention decode (one token) on bf16 tensor cores, split over positions (the TensorCore form of
// softmax_forms.h's decode; the math is that of kernels/cpu/ref_softmax_attention.h).
//
// Grid (ranges, KV, ⌈G / 16⌉) with G = H / KV: a CTA takes one kv head, up to 16 of its query heads as
// the 16 rows of the mma tiles (M1's 8 fill half), and the positions [range·chunk, …) of the cache, which
// it streams through a ring of three 64-key K/V tiles by cp.async (two in flight while one is computed).
// Each warp takes 16 keys of every tile:
//   S = Q Kᵀ (16 rows × 16 keys), masked past the range, running row max and sum over the quad,
//   O += P V (16 rows × D; P re-packed to bf16 straight from the S accumulators, mma_bf16.cuh),
// so every K/V byte is read once for all the group's heads, and the per-row work is a handful of mma
// instead of a shuffle reduction per key. At the end the four warps' (max, sum, O) are merged in shared
// memory into the range's partial [ranges, H, 2 + D] = (max in log2 units, sum, unnormalised O), which
// attentionCombine (softmax_attention.cu) turns into out [H, D].
// q and the probabilities are rounded to bf16 (as the tensor-core prefill); scores, softmax and sums fp32.
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

constexpr int kRowsPerCta = 16;  // query heads of one kv head per CTA
constexpr int kKeys = 64;        // per tile, 16 per warp
constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;
constexpr int kStages = 3;

// Shared memory (bf16 elements): Q [16, ld], then the ring of K [64, ld] and V [64, ld] tiles; after the
// walk the ring holds each warp's partial (fp32: max and sum per row, O [16, D]). Rows padded by 16 bytes.
template <int D>
struct Layout {
  static constexpr int ld = D + 8;
  static constexpr int q = 0;
  static constexpr int ring = q + kRowsPerCta * ld;
  static constexpr int stage = 2 * kKeys * ld;  // K then V
  static constexpr int halves = ring + kStages * stage;
  static constexpr int mergeFloats = kWarps * kRowsPerCta * (D + 2);
  static_assert(mergeFloats * 2 <= kStages * stage, "the warps' partials must fit in the ring");
  static constexpr size_t bytes = size_t(halves) * 2;
};

template <int D>
__global__ void __launch_bounds__(kThreads)
    attentionDecodeMmaKernel(const float* q, const uint16_t* kc, const uint16_t* vc, int64_t n, int64_t chunk,
                             int64_t H, int64_t KV, float scaleLog2, float* part) {
  using L = Layout<D>;
  constexpr int kSteps = D / 16;
  extern __shared__ __align__(128) uint16_t smem[];
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, g = lane >> 2, c = lane & 3;
  const int64_t kvh = blockIdx.y, G = H / KV;
  const int64_t h0 = kvh * G + int64_t(blockIdx.z) * kRowsPerCta;  // the CTA's first query head
  const int rows = static_cast<int>(G - int64_t(blockIdx.z) * kRowsPerCta < kRowsPerCta
                                        ? G - int64_t(blockIdx.z) * kRowsPerCta
                                        : kRowsPerCta);
  const int64_t begin = int64_t(blockIdx.x) * chunk, end = begin + chunk < n ? begin + chunk : n;
  const int64_t tiles = end > begin ? (end - begin + kKeys - 1) / kKeys : 0;
  const uint16_t* kHead = kc + kvh * D;
  const uint16_t* vHead = vc + kvh * D;
  const int64_t rowStride = KV * D;

  uint16_t* Qs = smem + L::q;
  const auto loadTile = [&](int64_t t) {
    const int64_t k0 = begin + t * kKeys;
    uint16_t* Ks = smem + L::ring + (t % kStages) * L::stage;
    uint16_t* Vs = Ks + kKeys * L::ld;
    constexpr int kChunks = D / 8;  // 16-byte chunks per row
    for (int e = threadIdx.x; e < kKeys * kChunks; e += kThreads) {
      const int j = e / kChunks, d = (e % kChunks) * 8;
      const bool valid = k0 + j < end;  // past the range: zeros, so 0·V adds nothing
      const int64_t row = valid ? k0 + j : 0;
      cpAsync16OrZero(Ks + j * L::ld + d, kHead + row * rowStride + d, valid);
      cpAsync16OrZero(Vs + j * L::ld + d, vHead + row * rowStride + d, valid);
    }
  };
  for (int64_t t = 0; t < kStages - 1; ++t) {  // the first two tiles in flight
    if (t < tiles) loadTile(t);
    cpAsyncCommit();
  }
  for (int e = threadIdx.x; e < kRowsPerCta * D; e += kThreads) {
    const int r = e / D, d = e % D;
    Qs[r * L::ld + d] = floatToBf16Bits(r < rows ? q[(h0 + r) * D + d] : 0.0f);
  }
  __syncthreads();
  uint32_t qa[kSteps][4];
  {
    const uint16_t* base = Qs + rowsFirstOffset(lane, L::ld);
#pragma unroll
    for (int kk = 0; kk < kSteps; ++kk) ldmatrixX4(base + kk * 16, qa[kk]);
  }

  float o[2 * kSteps][4];
#pragma unroll
  for (int nt = 0; nt < 2 * kSteps; ++nt) o[nt][0] = o[nt][1] = o[nt][2] = o[nt][3] = 0.0f;
  float mRow[2] = {-INFINITY, -INFINITY}, lRow[2] = {0.0f, 0.0f};  // rows g and g + 8, log2 units
  for (int64_t t = 0; t < tiles; ++t) {
    if (t + kStages - 1 < tiles) loadTile(t + kStages - 1);  // its slot's readers finished last iteration
    cpAsyncCommit();
    cpAsyncWait<kStages - 1>();  // this thread's copies of tile t have landed
    __syncthreads();
    const uint16_t* Ks = smem + L::ring + (t % kStages) * L::stage + warp * 16 * L::ld;  // this warp's keys
    const uint16_t* Vs = Ks + kKeys * L::ld;
    float sc[2][4] = {{0.0f, 0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f, 0.0f}};
#pragma unroll
    for (int kk = 0; kk < kSteps; ++kk) mmaNMajor<1>(sc, qa[kk], Ks + colsFirstOffset(lane, L::ld) + kk * 16, L::ld);
    const int64_t key0 = begin + t * kKeys + warp * 16;
#pragma unroll
    for (int j = 0; j < 2; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e)
        sc[j][e] = key0 + 8 * j + 2 * c + (e & 1) < end ? sc[j][e] * scaleLog2 : -INFINITY;  // past the range
    onlineSoftmaxTile(sc, mRow, lRow, o);
    uint32_t pa[4];
    accumulatorsAsA(sc[0], sc[1], pa);
    mmaKMajor<kSteps>(o, pa, Vs + rowsFirstOffset(lane, L::ld));
    __syncthreads();  // every reader of slot t is done before it is refilled
  }
  cpAsyncWait<0>();  // only empty groups remain, but the ring becomes the merge area next
  __syncthreads();

  // each warp's partial: max and (quad-summed) sum per row, O rows, into the ring as fp32
  float* merge = reinterpret_cast<float*>(smem + L::ring);  // [warp][row][2 + D]
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    lRow[r] += __shfl_xor_sync(0xffffffffu, lRow[r], 1);
    lRow[r] += __shfl_xor_sync(0xffffffffu, lRow[r], 2);
    float* pr = merge + (warp * kRowsPerCta + g + 8 * r) * (D + 2);
    if (c == 0) pr[0] = mRow[r], pr[1] = lRow[r];
#pragma unroll
    for (int nt = 0; nt < 2 * kSteps; ++nt) {
      pr[2 + 8 * nt + 2 * c] = o[nt][2 * r];
      pr[2 + 8 * nt + 2 * c + 1] = o[nt][2 * r + 1];
    }
  }
  __syncthreads();
  for (int e = threadIdx.x; e < rows * D; e += kThreads) {
    const int r = e / D, d = e % D;
    float M = -INFINITY;
#pragma unroll
    for (int w = 0; w < kWarps; ++w) M = fmaxf(M, merge[(w * kRowsPerCta + r) * (D + 2)]);
    float sum = 0.0f, acc = 0.0f;
    if (M != -INFINITY) {
#pragma unroll
      for (int w = 0; w < kWarps; ++w) {
        const float* pw = merge + (w * kRowsPerCta + r) * (D + 2);
        if (pw[0] == -INFINITY) continue;  // a warp whose keys were all past the range
        const float f = exp2f(pw[0] - M);
        sum += pw[1] * f;
        acc += pw[2 + d] * f;
      }
    }
    float* out = part + (int64_t(blockIdx.x) * H + h0 + r) * (2 + D);
    if (d == 0) out[0] = M, out[1] = sum;
    out[2 + d] = acc;
  }
}

template <int D>
void launch(const float* q, const uint16_t* kc, const uint16_t* vc, int64_t p0, int64_t H, int64_t KV, float* out,
            float* part, cudaStream_t s) {
  constexpr size_t bytes = Layout<D>::bytes;
  const auto kernel = attentionDecodeMmaKernel<D>;
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
  int resident = 0;
  FOLIO_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, kernel, kThreads, bytes));
  const int64_t n = p0 + 1, groupCtas = (H / KV + kRowsPerCta - 1) / kRowsPerCta;
  const int splits = decodeSplits(n, KV * groupCtas, resident);
  const int64_t chunk = ((n + splits - 1) / splits + kKeys - 1) / kKeys * kKeys;  // whole tiles per range
  const double scaleLog2 = 1.0 / std::sqrt(static_cast<double>(D)) * 1.4426950408889634;  // log2(e)
  const dim3 grid(static_cast<unsigned>(splits), static_cast<unsigned>(KV), static_cast<unsigned>(groupCtas));
  kernel<<<grid, kThreads, bytes, s>>>(q, kc, vc, n, chunk, H, KV, static_cast<float>(scaleLog2), part);
  FOLIO_CUDA_LAUNCH_CHECK();
  attentionCombine(part, splits, H, D, out, s);
}

}  // namespace

bool detail::softmaxDecodeTensorCoreFits(int64_t D, const void* kcache, const void* vcache) {
  const auto aligned = [](const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; };
  return (D == 64 || D == 128) && aligned(kcache) && aligned(vcache);
}

void detail::softmaxDecodeTensorCore(const float* q, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                                     int64_t H, int64_t KV, int64_t D, float* out, float* part, cudaStream_t s) {
  detail::requireArg(softmaxDecodeTensorCoreFits(D, kcache, vcache) && part != nullptr, "softmaxAttention",
                     "the tensor-core decode needs D = 64 or 128, 16-byte aligned caches and the scratch");
  if (D == 128) launch<128>(q, kcache, vcache, p0, H, KV, out, part, s);
  else launch<64>(q, kcache, vcache, p0, H, KV, out, part, s);
}

}  // namespace folio::kernels::cuda
