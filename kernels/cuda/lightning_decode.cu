// Lightning attention decode on the device: one token per sequence, S = e^{−s}S + kᵀv with the decay
// deferred through `pending` exactly as kernels/cpu/ref_lightning.h, o = q S. Memory bound: S is read
// and written once per step, so the grid must be large enough to keep every SM streaming even for
// one sequence (H = 64 heads alone would fill half of an H100/H200).
#include <cooperative_groups.h>

#include <algorithm>
#include <cmath>

#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kMaxHeadDim = 256;
constexpr double kMaxDeferredDecay = 8.0;  // as ref_lightning.cpp
constexpr int32_t kMaxPending = 1 << 30;
constexpr int64_t kMaxSlices = 8;       // column slices per head: one portable cluster
constexpr int64_t kMinSliceWidth = 16;  // columns; D = 128 gives 8 slices of 16
constexpr int64_t kDecodeThreads = 64;
constexpr int kRowBatch = 8;            // rows of S a thread has in flight

// One decode step of one (sequence, head), split by value columns: S[:, c0:c0+width] of every head
// is a separate CTA (columns of S never mix), so even one sequence puts H·slices CTAs on the device.
// The slices of a head form a thread-block cluster: each reads `pending` and, once all have (cluster
// barrier), rank 0 writes the advanced count. Each thread owns VEC adjacent columns and a stride of
// rows; the rows' partial outputs meet in shared memory.
template <int VEC>
__global__ void lightningDecodeKernel(const float* qkv, int64_t H, int64_t D, int64_t width, const double* decay,
                                      float* states, int32_t* pending, float* out) {
  extern __shared__ float partial[];  // [rows in flight, width] partial outputs
  __shared__ float factors[3];        // fold, grow, shrink
  __shared__ int32_t nextPending;
  const int64_t seq = blockIdx.z, h = blockIdx.y, sh = seq * H + h, c0 = int64_t(blockIdx.x) * width;
  const float* q = qkv + sh * 3 * D;
  const float* k = q + D;
  const float* v = k + D;
  float* S = states + sh * D * D;  // [D, D]
  const int colThreads = static_cast<int>(width / VEC);
  const int tid = threadIdx.x, rowsInFlight = blockDim.x / colThreads;
  const int cg = tid % colThreads, r0 = tid / colThreads;
  const int64_t c = c0 + int64_t(cg) * VEC;  // first column of this thread
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
    nextPending = pend;
  }
  __syncthreads();
  const float fold = factors[0], grow = factors[1];
  float vcol[VEC], acc[VEC];
#pragma unroll
  for (int i = 0; i < VEC; ++i) vcol[i] = c + i < D ? v[c + i] : 0.0f, acc[i] = 0.0f;
  if (c < D) {  // VEC = 4 only with D % 4 == 0, so a vector never crosses the row end
    // kRowBatch rows are loaded before any is used or stored: the stores could alias later loads, so
    // the compiler would not overlap them otherwise, and one load in flight per thread starves the SM
    for (int64_t a0 = r0; a0 < D; a0 += int64_t(kRowBatch) * rowsInFlight) {
      float sv[kRowBatch][VEC];
#pragma unroll
      for (int j = 0; j < kRowBatch; ++j) {
        const int64_t a = a0 + int64_t(j) * rowsInFlight;
        if (a >= D) break;
        const float* srow = S + a * D + c;
        if constexpr (VEC == 4) {
          const float4 x = *reinterpret_cast<const float4*>(srow);
          sv[j][0] = x.x, sv[j][1] = x.y, sv[j][2] = x.z, sv[j][3] = x.w;
        } else {
          sv[j][0] = srow[0];
        }
      }
#pragma unroll
      for (int j = 0; j < kRowBatch; ++j) {
        const int64_t a = a0 + int64_t(j) * rowsInFlight;
        if (a >= D) break;
        const float ka = grow * k[a], qa = q[a];
#pragma unroll
        for (int i = 0; i < VEC; ++i) {
          sv[j][i] = sv[j][i] * fold + ka * vcol[i];
          acc[i] += qa * sv[j][i];
        }
        float* srow = S + a * D + c;
        if constexpr (VEC == 4) {
          *reinterpret_cast<float4*>(srow) = make_float4(sv[j][0], sv[j][1], sv[j][2], sv[j][3]);
        } else {
          srow[0] = sv[j][0];
        }
      }
    }
  }
#pragma unroll
  for (int i = 0; i < VEC; ++i) partial[r0 * width + cg * VEC + i] = acc[i];
  __syncthreads();
  const float shrink = factors[2];
  const int64_t cols = D - c0 < width ? D - c0 : width;
  for (int64_t b = tid; b < cols; b += blockDim.x) {
    float o = 0.0f;
    for (int r = 0; r < rowsInFlight; ++r) o += partial[r * width + b];
    out[sh * D + c0 + b] = o * shrink;
  }
  cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
  cluster.sync();  // every slice has read the old count
  if (cluster.block_rank() == 0 && tid == 0) pending[sh] = nextPending;
}

void checkShapes(const char* op, int64_t H, int64_t D) {
  detail::requireArg(H > 0, op, "H must be > 0");
  detail::requireArg(D > 0 && D <= kMaxHeadDim, op, "head dim D must be in 1 … 256");
}

}  // namespace

void lightningDecodeBatch(const float* qkv, int64_t B, int64_t H, int64_t D, const double* decay, float* states,
                          int32_t* pending, float* out, cudaStream_t s) {
  checkShapes("lightningDecodeBatch", H, D);
  detail::requireArg(B <= 65535 && H <= 65535, "lightningDecodeBatch",
                     "at most 65535 sequences and heads per call");
  if (B <= 0) return;
  // Column slices only where B·H heads alone leave SMs idle (few sequences): narrow slices cost
  // coalescing and a cluster barrier, which measured 35-39 % of bandwidth at B = 16/64 on an H200
  // against 63-74 % with whole heads. ≤ kMaxSlices slices of ≥ kMinSliceWidth columns (a multiple of
  // the vector width).
  int device = 0, sms = 0;
  FOLIO_CUDA_CHECK(cudaGetDevice(&device));
  FOLIO_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
  const int64_t wanted = (2 * int64_t{sms} + B * H - 1) / (B * H);  // ≥ 2 CTAs per SM
  const int vec = D % 4 == 0 ? 4 : 1;
  int64_t slices = std::clamp<int64_t>(wanted, 1, std::min<int64_t>(kMaxSlices, (D + kMinSliceWidth - 1) / kMinSliceWidth));
  int64_t width = (D + slices - 1) / slices;
  width = (width + vec - 1) / vec * vec;
  slices = (D + width - 1) / width;
  const int64_t colThreads = width / vec, rowsInFlight = std::max<int64_t>(1, kDecodeThreads / colThreads);

  cudaLaunchConfig_t config{};
  config.gridDim = dim3(static_cast<unsigned>(slices), static_cast<unsigned>(H), static_cast<unsigned>(B));
  config.blockDim = dim3(static_cast<unsigned>(colThreads * rowsInFlight));
  config.dynamicSmemBytes = static_cast<size_t>(rowsInFlight * width) * sizeof(float);
  config.stream = s;
  cudaLaunchAttribute cluster{};
  cluster.id = cudaLaunchAttributeClusterDimension;
  cluster.val.clusterDim.x = static_cast<unsigned>(slices);
  cluster.val.clusterDim.y = 1;
  cluster.val.clusterDim.z = 1;
  config.attrs = &cluster;
  config.numAttrs = 1;
  if (vec == 4) {
    FOLIO_CUDA_CHECK(cudaLaunchKernelEx(&config, lightningDecodeKernel<4>, qkv, H, D, width, decay, states, pending,
                                        out));
  } else {
    FOLIO_CUDA_CHECK(cudaLaunchKernelEx(&config, lightningDecodeKernel<1>, qkv, H, D, width, decay, states, pending,
                                        out));
  }
  FOLIO_CUDA_LAUNCH_CHECK();
}

void lightningDecode(const float* qkv, int64_t H, int64_t D, const double* decay, float* state, int32_t* pending,
                     float* out, cudaStream_t s) {
  lightningDecodeBatch(qkv, 1, H, D, decay, state, pending, out, s);
}

}  // namespace folio::kernels::cuda
