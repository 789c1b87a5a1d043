// Scalar lightning prefill: the fallback of lightning_prefill.cu for head dims the tensor-core kernel
// does not take (D not 64/128) or unaligned buffers. The math is that of kernels/cpu/ref_lightning.h.
//
// One CTA per (head, 32-column slice of the value dimension). Columns b of S, V and O never
// mix, so each CTA keeps its slice S[:, b0:b0+32] in shared memory for the whole sequence and walks
// the tokens in blocks of kBlock rows:
//   A = (Q Kᵀ) ⊙ M, M[j, i] = e^{−s(j−i)} (i ≤ j)        intra-block scores (recomputed per slice)
//   O = diag(e^{−s(j+1)}) Q S + A V                        inter + intra block
//   S ← e^{−s·m} S + (diag(e^{−s(m−1−j)}) K)ᵀ V            state carried to the next block
#include "kernels/cuda/lightning_prefill_scalar.h"

#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kBlock = 64;       // token rows per block (the contract allows ≤ 256)
constexpr int kSlice = 32;       // value columns per CTA
constexpr int kPrefillThreads = 256;

struct PrefillSmem {  // float offsets into dynamic shared memory
  int64_t q, k, v, s, a, decay, total;
};

__host__ __device__ inline PrefillSmem prefillLayout(int64_t D) {
  PrefillSmem l{};
  l.q = 0;                                 // [kBlock, D + 1]
  l.k = l.q + kBlock * (D + 1);            // [kBlock, D + 1]
  l.v = l.k + kBlock * (D + 1);            // [kBlock, kSlice]
  l.s = l.v + kBlock * kSlice;             // [D, kSlice]
  l.a = l.s + D * kSlice;                  // [kBlock, kBlock + 1]
  l.decay = l.a + kBlock * (kBlock + 1);   // [kBlock + 1] e^{−s·n}
  l.total = l.decay + kBlock + 1;
  return l;
}

__global__ void lightningPrefillKernel(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay,
                                       float* state, const int32_t* pending, float* out) {
  extern __shared__ float smem[];
  const PrefillSmem L = prefillLayout(D);
  float* Qs = smem + L.q;
  float* Ks = smem + L.k;
  float* Vs = smem + L.v;
  float* Ss = smem + L.s;
  float* As = smem + L.a;
  float* dpow = smem + L.decay;
  const int64_t h = blockIdx.y, c0 = int64_t(blockIdx.x) * kSlice;
  const int64_t width = (D - c0 < kSlice ? D - c0 : int64_t(kSlice));
  const int tid = threadIdx.x, col = tid % kSlice, rowStep = kPrefillThreads / kSlice;
  const double s = decay[h];
  const int64_t ld = H * 3 * D;  // elements between tokens of qkv
  for (int n = tid; n <= kBlock; n += kPrefillThreads) dpow[n] = static_cast<float>(exp(-s * n));

  // load the slice of S with the pending decode decay folded in (as ref::lightningFoldHead)
  const int32_t pend = pending[h];
  const float fold = pend == 0 ? 1.0f : static_cast<float>(exp(-s * static_cast<double>(pend)));
  float* Sg = state + h * D * D;  // [D, D]
  for (int64_t a = tid / kSlice; a < D; a += rowStep)
    if (col < width) Ss[a * kSlice + col] = pend == 0 ? Sg[a * D + c0 + col] : Sg[a * D + c0 + col] * fold;

  for (int64_t b0 = 0; b0 < T; b0 += kBlock) {
    const int m = static_cast<int>(T - b0 < kBlock ? T - b0 : int64_t(kBlock));
    __syncthreads();  // previous block's readers of Qs/Ks/Vs are done; dpow/Ss visible
    for (int64_t e = tid; e < m * D; e += kPrefillThreads) {
      const int64_t j = e / D, d = e % D;
      const float* row = qkv + (b0 + j) * ld + h * 3 * D;
      Qs[j * (D + 1) + d] = row[d];
      Ks[j * (D + 1) + d] = row[D + d];
    }
    for (int j = tid / kSlice; j < m; j += rowStep)
      if (col < width) Vs[j * kSlice + col] = qkv[(b0 + j) * ld + h * 3 * D + 2 * D + c0 + col];
    __syncthreads();
    // A[j, i] = decay^(j−i) q_j·k_i for i ≤ j
    for (int e = tid; e < m * m; e += kPrefillThreads) {
      const int j = e / m, i = e % m;
      float dot = 0.0f;
      if (i <= j) {
        const float* qj = Qs + j * (D + 1);
        const float* ki = Ks + i * (D + 1);
        for (int64_t d = 0; d < D; ++d) dot += qj[d] * ki[d];
        dot *= dpow[j - i];
      }
      As[j * (kBlock + 1) + i] = dot;
    }
    __syncthreads();
    // O[j, col] = decay^(j+1) q_j S[:, col] + Σ_{i≤j} A[j, i] V[i, col]
    if (col < width) {
      for (int j = tid / kSlice; j < m; j += rowStep) {
        const float* qj = Qs + j * (D + 1);
        float inter = 0.0f;
        for (int64_t a = 0; a < D; ++a) inter += qj[a] * Ss[a * kSlice + col];
        float o = inter * dpow[j + 1];
        const float* aj = As + j * (kBlock + 1);
        for (int i = 0; i <= j; ++i) o += aj[i] * Vs[i * kSlice + col];
        out[(b0 + j) * H * D + h * D + c0 + col] = o;
      }
    }
    __syncthreads();  // every reader of the old S is done
    // S[a, col] = decay^m S[a, col] + Σ_j decay^(m−1−j) k_j[a] V[j, col]
    if (col < width) {
      for (int64_t a = tid / kSlice; a < D; a += rowStep) {
        float acc = Ss[a * kSlice + col] * dpow[m];
        for (int j = 0; j < m; ++j) acc += dpow[m - 1 - j] * Ks[j * (D + 1) + a] * Vs[j * kSlice + col];
        Ss[a * kSlice + col] = acc;
      }
    }
  }
  __syncthreads();
  for (int64_t a = tid / kSlice; a < D; a += rowStep)
    if (col < width) Sg[a * D + c0 + col] = Ss[a * kSlice + col];
}

}  // namespace

void detail::lightningPrefillScalar(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay,
                                    float* state, const int32_t* pending, float* out, cudaStream_t s) {
  const size_t bytes = static_cast<size_t>(prefillLayout(D).total) * sizeof(float);
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(lightningPrefillKernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(bytes)));
  const dim3 grid(static_cast<unsigned>((D + kSlice - 1) / kSlice), static_cast<unsigned>(H));
  lightningPrefillKernel<<<grid, kPrefillThreads, bytes, s>>>(qkv, T, H, D, decay, state, pending, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
