// Embedding gather, RMSNorm and partial NeoX RoPE: one block per token row.
#include "kernels/cuda/cuda_util.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kThreads = 256;

// emb holds the rows of ids first_id … first_id + emb.rows − 1; other ids get a zero row.
__global__ void embeddingKernel(DeviceMatrix emb, int64_t first_id, const int32_t* ids, float* out) {
  const int64_t t = blockIdx.x, C = emb.cols;
  const int64_t row = ids[t] - first_id;
  float* o = out + t * C;  // [C]
  if (row < 0 || row >= emb.rows) {
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) o[c] = 0.0f;
  } else if (emb.dtype == DType::BF16) {
    const uint16_t* src = static_cast<const uint16_t*>(emb.data) + row * C;
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) o[c] = detail::bf16BitsToFloat(src[c]);
  } else if (emb.dtype == DType::I8) {
    const int8_t* src = static_cast<const int8_t*>(emb.data) + row * C;
    const float scale = emb.row_scales[row];
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) o[c] = static_cast<float>(src[c]) * scale;
  } else {
    const float* src = static_cast<const float*>(emb.data) + row * C;
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) o[c] = src[c];
  }
}

__device__ __forceinline__ float rowSumSquaresOf(const float* xr, int64_t N, float* red) {
  float ss = 0.0f;
  for (int64_t i = threadIdx.x; i < N; i += blockDim.x) ss += xr[i] * xr[i];
  return detail::blockSum(ss, red);
}

// ss: null to take the row's own sum of squares, else the row's sum over all N_total columns (the
// row is one rank's part of them).
__global__ void rmsNormKernel(const float* x, int64_t N, const float* ss_rows, int64_t N_total, const float* w,
                              float eps, float* y) {
  __shared__ float red[32];
  const float* xr = x + blockIdx.x * N;  // [N]
  float* yr = y + blockIdx.x * N;        // [N]
  const float ss = ss_rows ? ss_rows[blockIdx.x] : rowSumSquaresOf(xr, N, red);
  const float inv = 1.0f / sqrtf(ss / static_cast<float>(N_total) + eps);
  for (int64_t i = threadIdx.x; i < N; i += blockDim.x) yr[i] = xr[i] * inv * w[i];
}

__global__ void rowSumSquaresKernel(const float* x, int64_t N, float* ss) {
  __shared__ float red[32];
  const float total = rowSumSquaresOf(x + blockIdx.x * N, N, red);
  if (threadIdx.x == 0) ss[blockIdx.x] = total;
}

// One block per token; each thread takes a rotary pair index i and applies it to every head.
__global__ void ropeKernel(float* x, int64_t N, int64_t D, int64_t ld, int64_t rotary_dim, double theta, int64_t pos0) {
  const int64_t t = blockIdx.x, half = rotary_dim / 2;
  const double pos = static_cast<double>(pos0 + t);
  for (int64_t i = threadIdx.x; i < half; i += blockDim.x) {
    const double inv_freq = pow(theta, -2.0 * static_cast<double>(i) / static_cast<double>(rotary_dim));
    double sn, cs;
    sincos(pos * inv_freq, &sn, &cs);
    const float c = static_cast<float>(cs), s = static_cast<float>(sn);
    for (int64_t n = 0; n < N; ++n) {
      float* xh = x + t * ld + n * D;  // [D] one head
      const float a = xh[i], b = xh[i + half];
      xh[i] = a * c - b * s;
      xh[i + half] = b * c + a * s;
    }
  }
}

}  // namespace

void embeddingGatherPart(const DeviceMatrix& emb, int64_t first_id, const int32_t* ids, int64_t T, float* out,
                         cudaStream_t s) {
  detail::requireArg(emb.dtype == DType::F32 || emb.dtype == DType::BF16 || emb.dtype == DType::I8, "embeddingGather",
                     "embedding dtype must be F32, BF16 or I8");
  detail::requireArg(emb.dtype != DType::I8 || emb.row_scales, "embeddingGather", "I8 embedding without row_scales");
  detail::requireArg(first_id >= 0, "embeddingGather", "first_id must be ≥ 0");
  if (T <= 0) return;
  embeddingKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(emb, first_id, ids, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void embeddingGather(const DeviceMatrix& emb, const int32_t* ids, int64_t T, float* out, cudaStream_t s) {
  embeddingGatherPart(emb, 0, ids, T, out, s);
}

void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y, cudaStream_t s) {
  detail::requireArg(N > 0, "rmsNorm", "N must be > 0");
  if (T <= 0) return;
  rmsNormKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(x, N, nullptr, N, w, eps, y);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void rowSumSquares(const float* x, int64_t T, int64_t N, float* ss, cudaStream_t s) {
  detail::requireArg(N > 0, "rowSumSquares", "N must be > 0");
  if (T <= 0) return;
  rowSumSquaresKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(x, N, ss);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void rmsNormWithSumSquares(const float* x, int64_t T, int64_t N, const float* ss, int64_t N_total, const float* w,
                           float eps, float* y, cudaStream_t s) {
  detail::requireArg(N > 0 && N_total >= N, "rmsNormWithSumSquares", "need 0 < N ≤ N_total");
  if (T <= 0) return;
  rmsNormKernel<<<static_cast<unsigned>(T), kThreads, 0, s>>>(x, N, ss, N_total, w, eps, y);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t ld, int64_t rotary_dim, double theta, int64_t pos0,
              cudaStream_t s) {
  detail::requireArg(rotary_dim >= 0 && rotary_dim <= D && rotary_dim % 2 == 0, "ropeNeox",
                     "rotary_dim must be even and ≤ D");
  detail::requireArg(ld >= N * D, "ropeNeox", "ld must be ≥ N·D");
  if (T <= 0 || rotary_dim == 0) return;
  ropeKernel<<<static_cast<unsigned>(T), 64, 0, s>>>(x, N, D, ld, rotary_dim, theta, pos0);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
