// Lightning attention (linear attention with per-head exponential decay) on the device; the math and
// the deferred decode decay are those of kernels/cpu/ref_lightning.h.
//
// Prefill: one CTA per (head, 32-column slice of the value dimension). Columns b of S, V and O never
// mix, so each CTA keeps its slice S[:, b0:b0+32] in shared memory for the whole sequence and walks
// the tokens in blocks of kBlock rows:
//   A = (Q Kᵀ) ⊙ M, M[j, i] = e^{−s(j−i)} (i ≤ j)        intra-block scores (recomputed per slice)
//   O = diag(e^{−s(j+1)}) Q S + A V                        inter + intra block
//   S ← e^{−s·m} S + (diag(e^{−s(m−1−j)}) K)ᵀ V            state carried to the next block
// Decode: one CTA per (sequence, head), memory bound: S is read and written once per step.
#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kBlock = 64;       // token rows per block (the contract allows ≤ 256)
constexpr int kSlice = 32;       // value columns per CTA
constexpr int kPrefillThreads = 256;
constexpr int kMaxHeadDim = 256;
constexpr double kMaxDeferredDecay = 8.0;  // as ref_lightning.cpp
constexpr int32_t kMaxPending = 1 << 30;

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

__global__ void clearPendingKernel(int32_t* pending, int64_t H) {
  for (int64_t h = threadIdx.x; h < H; h += blockDim.x) pending[h] = 0;
}

// One decode step of one (sequence, head): S = e^{−s}S + kᵀv with the decay deferred, o = q S.
// Each thread owns VEC adjacent columns and a stride of rows; row partial outputs meet in shared memory.
template <int VEC>
__global__ void lightningDecodeKernel(const float* qkv, int64_t H, int64_t D, const double* decay, float* states,
                                      int32_t* pending, float* out) {
  __shared__ float partial[1024];  // [rows in flight, D] partial outputs (blockDim·VEC ≤ 1024)
  __shared__ float factors[3];     // fold, grow, shrink
  const int64_t seq = blockIdx.y, h = blockIdx.x, sh = seq * H + h;
  const float* q = qkv + sh * 3 * D;
  const float* k = q + D;
  const float* v = k + D;
  float* S = states + sh * D * D;  // [D, D]
  const int colThreads = static_cast<int>(D / VEC);
  const int tid = threadIdx.x, rowsInFlight = blockDim.x / colThreads;
  const int cg = tid % colThreads, r0 = tid / colThreads;
  if (tid == 0) {
    const double s = decay[h];
    int32_t pend = pending[sh];
    float fold = 1.0f;
    if (s * static_cast<double>(pend + 1) > kMaxDeferredDecay || pend >= kMaxPending) {
      fold = pend == 0 ? 1.0f : static_cast<float>(exp(-s * static_cast<double>(pend)));
      pend = 0;
    }
    pend += 1;
    factors[0] = fold;
    factors[1] = static_cast<float>(exp(s * pend));
    factors[2] = static_cast<float>(exp(-s * pend));
    pending[sh] = pend;
  }
  __syncthreads();
  const float fold = factors[0], grow = factors[1];
  float vcol[VEC], acc[VEC];
#pragma unroll
  for (int i = 0; i < VEC; ++i) vcol[i] = v[cg * VEC + i], acc[i] = 0.0f;
  if (r0 < rowsInFlight) {
    for (int64_t a = r0; a < D; a += rowsInFlight) {
      const float ka = grow * k[a], qa = q[a];
      float* srow = S + a * D + cg * VEC;
      float sv[VEC];
      if constexpr (VEC == 4) {
        const float4 x = *reinterpret_cast<const float4*>(srow);
        sv[0] = x.x, sv[1] = x.y, sv[2] = x.z, sv[3] = x.w;
      } else {
        sv[0] = srow[0];
      }
#pragma unroll
      for (int i = 0; i < VEC; ++i) {
        sv[i] = sv[i] * fold + ka * vcol[i];
        acc[i] += qa * sv[i];
      }
      if constexpr (VEC == 4) {
        *reinterpret_cast<float4*>(srow) = make_float4(sv[0], sv[1], sv[2], sv[3]);
      } else {
        srow[0] = sv[0];
      }
    }
#pragma unroll
    for (int i = 0; i < VEC; ++i) partial[r0 * D + cg * VEC + i] = acc[i];
  }
  __syncthreads();
  const float shrink = factors[2];
  for (int64_t b = tid; b < D; b += blockDim.x) {
    float o = 0.0f;
    for (int r = 0; r < rowsInFlight; ++r) o += partial[r * D + b];
    out[sh * D + b] = o * shrink;
  }
}

void checkShapes(const char* op, int64_t H, int64_t D) {
  detail::requireArg(H > 0, op, "H must be > 0");
  detail::requireArg(D > 0 && D <= kMaxHeadDim, op, "head dim D must be in 1 … 256");
}

}  // namespace

void lightningPrefill(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                      int32_t* pending, float* out, cudaStream_t s) {
  checkShapes("lightningPrefill", H, D);
  if (T <= 0) return;
  const size_t bytes = static_cast<size_t>(prefillLayout(D).total) * sizeof(float);
  FOLIO_CUDA_CHECK(cudaFuncSetAttribute(lightningPrefillKernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        static_cast<int>(bytes)));
  const dim3 grid(static_cast<unsigned>((D + kSlice - 1) / kSlice), static_cast<unsigned>(H));
  lightningPrefillKernel<<<grid, kPrefillThreads, bytes, s>>>(qkv, T, H, D, decay, state, pending, out);
  FOLIO_CUDA_LAUNCH_CHECK();
  // the pending decay is folded by every slice above, so it is cleared only after all of them ran
  clearPendingKernel<<<1, 256, 0, s>>>(pending, H);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void lightningDecodeBatch(const float* qkv, int64_t B, int64_t H, int64_t D, const double* decay, float* states,
                          int32_t* pending, float* out, cudaStream_t s) {
  checkShapes("lightningDecodeBatch", H, D);
  detail::requireArg(B <= 65535, "lightningDecodeBatch", "at most 65535 sequences per call");
  if (B <= 0) return;
  const dim3 grid(static_cast<unsigned>(H), static_cast<unsigned>(B));
  // 4 rows of S per column group in flight: blockDim·VEC = 4·D ≤ 1024 partial outputs
  if (D % 4 == 0) {
    lightningDecodeKernel<4><<<grid, static_cast<unsigned>(D), 0, s>>>(qkv, H, D, decay, states, pending, out);
  } else {
    lightningDecodeKernel<1><<<grid, static_cast<unsigned>(4 * D > 1024 ? D : 4 * D), 0, s>>>(qkv, H, D, decay,
                                                                                             states, pending, out);
  }
  FOLIO_CUDA_LAUNCH_CHECK();
}

void lightningDecode(const float* qkv, int64_t H, int64_t D, const double* decay, float* state, int32_t* pending,
                     float* out, cudaStream_t s) {
  lightningDecodeBatch(qkv, 1, H, D, decay, state, pending, out, s);
}

}  // namespace folio::kernels::cuda
