// Lightning attention decode on the device: one token per sequence, S = e^{−s}S + kᵀv with the decay
// deferred through `pending` exactly as kernels/cpu/ref_lightning.h, o = q S. Memory bound: S is read
// and written once per step.
#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kMaxHeadDim = 256;
constexpr double kMaxDeferredDecay = 8.0;  // as ref_lightning.cpp
constexpr int32_t kMaxPending = 1 << 30;

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
