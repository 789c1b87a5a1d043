// Dense matrix products y = x · Wᵀ: a GEMV for a few tokens (bandwidth bound: each weight byte is read
// once for all T ≤ 8 tokens; a warp takes four rows so each input load serves four, and for one token
// two rows, whose interleaved loads keep 8 in flight per lane: decode_paths.h), cuBLAS beyond.
#include <cublas_v2.h>

#include <algorithm>

#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/decode_paths.h"
#include "kernels/cuda/weight_rows.cuh"

namespace folio::kernels::cuda {
namespace {

constexpr int kGemvWarps = 8;  // warps per 256-thread block

// y[t, n] for every row n: each warp takes R consecutive weight rows, so each input value it loads
// serves R rows (at T > 1 the input reads, not the weight, would otherwise bound the kernel). One
// token takes R = 2 for bf16/i8 weights: the input's loads and bf16 rounding, done once per row at
// R = 1, held a warp per row at 63–65 % of copy bandwidth on an H200 against 77–83 % at R = 2.
template <int R>
__global__ void gemvKernel(const float* x, int T, DeviceMatrix w, float* y, int64_t ldy) {
  static_assert(R * detail::kMaxGemvTokens <= 32, "one lane stores each (row, token) sum");
  const int64_t n0 = (static_cast<int64_t>(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5)) * R;
  if (n0 >= w.rows) return;
  const int nrows = static_cast<int>(w.rows - n0 < R ? w.rows - n0 : R);
  float acc[R][detail::kMaxGemvTokens];
  detail::warpMatrixRowsDots<R>(w, n0, nrows, x, w.cols, T, acc);
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int r = 0; r < R; ++r)
#pragma unroll
    for (int t = 0; t < detail::kMaxGemvTokens; ++t)
      if (r < nrows && t < T && lane == r * detail::kMaxGemvTokens + t) y[t * ldy + n0 + r] = acc[r][t];
}

// int8 → bf16, exact (bf16 holds every integer up to 256).
__global__ void i8ToBf16Kernel(const int8_t* q, int64_t n, uint16_t* out) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = detail::floatToBf16Bits(static_cast<float>(q[i]));
}

// y[t, n] *= scales[n] for n < N (row stride ldy).
__global__ void scaleColumnsKernel(float* y, int64_t T, int64_t N, int64_t ldy, const float* scales) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < T * N; i += int64_t(gridDim.x) * blockDim.x)
    y[(i / N) * ldy + i % N] *= scales[i % N];
}

__global__ void toBf16Kernel(const float* x, int64_t n, uint16_t* out) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = detail::floatToBf16Bits(x[i]);
}

template <int R>
void launchGemv(cudaStream_t s, const float* x, int64_t T, const DeviceMatrix& w, float* y, int64_t ldy) {
  const unsigned blocks = static_cast<unsigned>((w.rows + kGemvWarps * R - 1) / (kGemvWarps * R));
  gemvKernel<R><<<blocks, kGemvWarps * 32, 0, s>>>(x, static_cast<int>(T), w, y, ldy);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void gemv(GemmContext& ctx, const float* x, int64_t T, const DeviceMatrix& w, float* y, int64_t ldy) {
  if (T == 1) {
    detail::gemvOneTokenWithPath(detail::oneTokenPathFor(w.dtype), ctx, x, w, y);
  } else {
    launchGemv<4>(ctx.stream(), x, T, w, y, ldy);
  }
}

}  // namespace

GemmContext::GemmContext(cudaStream_t stream, int64_t max_input_elems, int64_t max_i8_weight_elems)
    : stream_(stream) {
  detail::requireArg(max_input_elems >= 0 && max_i8_weight_elems >= 0, "GemmContext",
                     "max_input_elems and max_i8_weight_elems must be ≥ 0");
  cublasHandle_t h = nullptr;
  FOLIO_CUBLAS_CHECK(cublasCreate(&h));
  handle_ = h;
  try {
    FOLIO_CUBLAS_CHECK(cublasSetStream(h, stream));
    // fp32 weights must stay true fp32 products (no TF32), so the fp32 path matches the CPU closely
    FOLIO_CUBLAS_CHECK(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH));
    ws_elems_ = std::max<int64_t>(max_input_elems, 1);
    FOLIO_CUDA_CHECK(cudaMalloc(&ws_, static_cast<size_t>(ws_elems_) * sizeof(uint16_t)));
    if (max_i8_weight_elems > 0) {
      FOLIO_CUDA_CHECK(cudaMalloc(&wws_, static_cast<size_t>(max_i8_weight_elems) * sizeof(uint16_t)));
      wws_elems_ = max_i8_weight_elems;
    }
    // cuBLAS's own workspace, given up front so no call allocates (and a decode step can be captured
    // into a CUDA graph)
    FOLIO_CUDA_CHECK(cudaMalloc(&cublas_ws_, kCublasWorkspaceBytes));
    FOLIO_CUBLAS_CHECK(cublasSetWorkspace(h, cublas_ws_, kCublasWorkspaceBytes));
  } catch (...) {  // no destructor runs for a throwing constructor
    if (ws_) cudaFree(ws_);
    if (wws_) cudaFree(wws_);
    if (cublas_ws_) cudaFree(cublas_ws_);
    cublasDestroy(h);
    throw;
  }
}

GemmContext::~GemmContext() {
  if (ws_) cudaFree(ws_);
  if (wws_) cudaFree(wws_);
  if (cublas_ws_) cudaFree(cublas_ws_);
  if (handle_) cublasDestroy(static_cast<cublasHandle_t>(handle_));
}

void matmul(GemmContext& ctx, const float* x, int64_t T, const DeviceMatrix& w, float* y, int64_t ldy) {
  detail::requireArg(w.dtype == DType::F32 || w.dtype == DType::BF16 || w.dtype == DType::I8, "matmul",
                     "weight dtype must be F32, BF16 or I8");
  detail::requireArg(w.rows > 0 && w.cols > 0 && T >= 0, "matmul", "empty weight or negative T");
  detail::requireArg(w.dtype != DType::I8 || w.row_scales != nullptr, "matmul", "I8 weight without row_scales");
  if (ldy == 0) ldy = w.rows;
  detail::requireArg(ldy >= w.rows, "matmul", "ldy must be ≥ N");
  if (T == 0) return;
  auto* handle = static_cast<cublasHandle_t>(ctx.cublas());
  const float one = 1.0f, zero = 0.0f;
  const int M = static_cast<int>(w.rows), N = static_cast<int>(T), Kd = static_cast<int>(w.cols);
  // column-major view: yᵀ [N, T] = W [N, K] (row-major, so op T) · xᵀ [K, T]
  if (w.dtype == DType::F32 && T == 1) {
    detail::gemvOneTokenWithPath(detail::oneTokenPathFor(w.dtype), ctx, x, w, y);
    return;
  }
  if (w.dtype == DType::F32) {
    FOLIO_CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, M, N, Kd, &one, static_cast<const float*>(w.data),
                                   Kd, x, Kd, &zero, y, static_cast<int>(ldy)));
    return;
  }
  if (T <= detail::kMaxGemvTokens) {
    gemv(ctx, x, T, w, y, ldy);
    return;
  }
  const void* weight = w.data;
  if (w.dtype == DType::I8) {
    if (T <= kI8GemvMaxTokens || w.rows * w.cols > ctx.weightWorkspaceElems()) {
      // cuBLAS has no int8 × bf16 product: the GEMV over groups of 8 tokens, ⌈T/8⌉ reads of the weight
      for (int64_t t0 = 0; t0 < T; t0 += detail::kMaxGemvTokens)
        gemv(ctx, x + t0 * w.cols, std::min<int64_t>(detail::kMaxGemvTokens, T - t0), w, y + t0 * ldy, ldy);
      return;
    }
    // many tokens: the weight widened once (reading it once, writing it twice) beats ⌈T/8⌉ reads
    const int64_t elems = w.rows * w.cols;
    i8ToBf16Kernel<<<detail::gridFor(elems, 256), 256, 0, ctx.stream()>>>(static_cast<const int8_t*>(w.data), elems,
                                                                          ctx.weightWorkspace());
    FOLIO_CUDA_LAUNCH_CHECK();
    weight = ctx.weightWorkspace();
  }
  detail::requireArg(T * w.cols <= ctx.workspaceElems(), "matmul", "T·K exceeds the GemmContext workspace");
  detail::convertToBf16(x, T * w.cols, ctx.bf16Workspace(), ctx.stream());
  FOLIO_CUBLAS_CHECK(cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, M, N, Kd, &one, weight, CUDA_R_16BF, Kd,
                                  ctx.bf16Workspace(), CUDA_R_16BF, Kd, &zero, y, CUDA_R_32F, static_cast<int>(ldy),
                                  CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  if (w.dtype == DType::I8) {
    scaleColumnsKernel<<<detail::gridFor(T * w.rows, 256), 256, 0, ctx.stream()>>>(y, T, w.rows, ldy, w.row_scales);
    FOLIO_CUDA_LAUNCH_CHECK();
  }
}

void detail::convertToBf16(const float* x, int64_t n, uint16_t* out, cudaStream_t s) {
  if (n <= 0) return;
  toBf16Kernel<<<detail::gridFor(n, 256), 256, 0, s>>>(x, n, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

void detail::gemvOneTokenWithPath(DecodeGemvPath path, GemmContext& ctx, const float* x, const DeviceMatrix& w,
                                  float* y) {
  if (path == DecodeGemvPath::RowPairs) {
    launchGemv<2>(ctx.stream(), x, 1, w, y, w.rows);
  } else if (path == DecodeGemvPath::Rows) {
    launchGemv<1>(ctx.stream(), x, 1, w, y, w.rows);
  } else if (w.dtype == DType::F32) {
    const float one = 1.0f, zero = 0.0f;
    const int M = static_cast<int>(w.rows), Kd = static_cast<int>(w.cols);
    FOLIO_CUBLAS_CHECK(cublasSgemm(static_cast<cublasHandle_t>(ctx.cublas()), CUBLAS_OP_T, CUBLAS_OP_N, M, 1, Kd, &one,
                                   static_cast<const float*>(w.data), Kd, x, Kd, &zero, y, M));
  } else {
    requireArg(w.dtype == DType::BF16, "gemvOneTokenWithPath", "the cuBLAS form takes F32 or BF16 weights");
    requireArg(w.cols <= ctx.workspaceElems(), "gemvOneTokenWithPath", "K exceeds the GemmContext workspace");
    convertToBf16(x, w.cols, ctx.bf16Workspace(), ctx.stream());
    const float one = 1.0f, zero = 0.0f;
    const int M = static_cast<int>(w.rows), Kd = static_cast<int>(w.cols);
    FOLIO_CUBLAS_CHECK(cublasGemmEx(static_cast<cublasHandle_t>(ctx.cublas()), CUBLAS_OP_T, CUBLAS_OP_N, M, 1, Kd, &one,
                                    w.data, CUDA_R_16BF, Kd, ctx.bf16Workspace(), CUDA_R_16BF, Kd, &zero, y,
                                    CUDA_R_32F, M, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  }
}

}  // namespace folio::kernels::cuda
