// The cuBLAS form of the decode-time MoE (decode_paths.h): pointer arrays filled on the device from the
// routing, two batched one-column GEMMs (gate+up, then down) and a combine that adds the experts in
// ascending id order, as the CPU does.
#include <cublas_v2.h>

#include "kernels/cuda/cuda_util.cuh"
#include "kernels/cuda/decode_paths.h"

namespace folio::kernels::cuda {
namespace {

constexpr int kMaxTopK = 8;
constexpr size_t kAlign = 256;

size_t alignUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

// Scratch: bf16 input [T, C] | gate, up fp32 [2, T·K, I] | bf16 act [T·K, I] | y fp32 [T·K, C] |
// 6 pointer arrays (gate/up A, B, C of 2·T·K; down A, B, C of T·K).
struct Scratch {
  uint16_t* xb;
  float* gu;
  uint16_t* actb;
  float* y;
  const void** upA;
  const void** upB;
  void** upC;
  const void** downA;
  const void** downB;
  void** downC;
  size_t bytes;

  Scratch(void* base, int64_t T, int64_t C, int64_t I, int K) {
    const size_t TK = static_cast<size_t>(T * K);
    char* p = static_cast<char*>(base);
    size_t at = 0;
    auto take = [&](size_t n) { char* q = p ? p + at : nullptr; at += alignUp(n); return q; };
    xb = reinterpret_cast<uint16_t*>(take(static_cast<size_t>(T * C) * 2));
    gu = reinterpret_cast<float*>(take(2 * TK * static_cast<size_t>(I) * 4));
    actb = reinterpret_cast<uint16_t*>(take(TK * static_cast<size_t>(I) * 2));
    y = reinterpret_cast<float*>(take(TK * static_cast<size_t>(C) * 4));
    upA = reinterpret_cast<const void**>(take(2 * TK * sizeof(void*)));
    upB = reinterpret_cast<const void**>(take(2 * TK * sizeof(void*)));
    upC = reinterpret_cast<void**>(take(2 * TK * sizeof(void*)));
    downA = reinterpret_cast<const void**>(take(TK * sizeof(void*)));
    downB = reinterpret_cast<const void**>(take(TK * sizeof(void*)));
    downC = reinterpret_cast<void**>(take(TK * sizeof(void*)));
    bytes = at;
  }
};

// One thread per (which ∈ {gate, up}, token, slot); slots past kept[t] point at the token's first expert.
__global__ void pointersKernel(Scratch sc, int64_t T, int64_t C, int64_t I, const int* experts, const int* kept, int K,
                               const DeviceMatrix* w1s, const DeviceMatrix* w3s, const DeviceMatrix* w2s) {
  const int64_t TK = T * K;
  const int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (idx >= 2 * TK) return;
  const int64_t ts = idx % TK, t = ts / K;
  const int slot = static_cast<int>(ts % K);
  const int chosen = experts[slot < kept[t] ? ts : t * K];
  const int e = chosen < 0 ? 0 : chosen;  // a token with nothing kept still gets valid pointers
  sc.upA[idx] = idx < TK ? w1s[e].data : w3s[e].data;
  sc.upB[idx] = sc.xb + t * C;
  sc.upC[idx] = sc.gu + idx * I;
  if (idx < TK) {
    sc.downA[idx] = w2s[e].data;
    sc.downB[idx] = sc.actb + idx * I;
    sc.downC[idx] = sc.y + idx * C;
  }
}

__global__ void siluMulBf16Kernel(const float* gu, int64_t n, uint16_t* actb) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const float g = gu[i], u = gu[n + i];
    actb[i] = detail::floatToBf16Bits(g / (1.0f + expf(-g)) * u);
  }
}

// out[t, c] += Σ_j weights[t, j]·y[t·K + j, c] over j < kept[t], in ascending expert id order.
__global__ void combineKernel(const float* y, int64_t T, int64_t C, const int* experts, const float* weights,
                              const int* kept, int K, float* out) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < T * C; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t t = i / C, c = i % C;
    const int n = kept[t];
    int order[kMaxTopK];
    for (int j = 0; j < n; ++j) order[j] = j;
    for (int a = 1; a < n; ++a)  // insertion sort of ≤ 8 slots by expert id
      for (int b = a; b > 0 && experts[t * K + order[b]] < experts[t * K + order[b - 1]]; --b) {
        const int tmp = order[b];
        order[b] = order[b - 1], order[b - 1] = tmp;
      }
    float acc = out[i];
    for (int j = 0; j < n; ++j) acc += weights[t * K + order[j]] * y[(t * K + order[j]) * C + c];
    out[i] = acc;
  }
}

}  // namespace

size_t detail::moeDecodeCublasScratchBytes(int64_t T, int64_t C, int64_t I, int K) {
  return Scratch(nullptr, T, C, I, K).bytes;
}

void detail::moeDecodeCublas(GemmContext& ctx, const float* x, int64_t T, int64_t C, int64_t I, const int* experts,
                             const float* weights, const int* kept, int K, const DeviceMatrix* w1s,
                             const DeviceMatrix* w3s, const DeviceMatrix* w2s, void* scratch, size_t scratchBytes,
                             float* out) {
  requireArg(T <= 8, "moeDecodeCublas", "at most 8 tokens");
  requireArg(K > 0 && K <= kMaxTopK, "moeDecodeCublas", "K must be in 1 … 8");
  requireArg(C > 0 && I > 0, "moeDecodeCublas", "C and I must be > 0");
  if (T <= 0) return;
  const Scratch sc(scratch, T, C, I, K);
  requireArg(scratch != nullptr && scratchBytes >= sc.bytes, "moeDecodeCublas", "scratch smaller than moeDecodeCublasScratchBytes");
  cudaStream_t s = ctx.stream();
  auto* h = static_cast<cublasHandle_t>(ctx.cublas());
  const int TK = static_cast<int>(T * K);
  convertToBf16(x, T * C, sc.xb, s);
  pointersKernel<<<(2 * TK + 127) / 128, 128, 0, s>>>(sc, T, C, I, experts, kept, K, w1s, w3s, w2s);
  FOLIO_CUDA_LAUNCH_CHECK();
  const float one = 1.0f, zero = 0.0f;
  const int Ii = static_cast<int>(I), Ci = static_cast<int>(C);
  // column-major: g [I, 1] = W [I, C] (row-major, op T) · x [C, 1]
  FOLIO_CUBLAS_CHECK(cublasGemmBatchedEx(h, CUBLAS_OP_T, CUBLAS_OP_N, Ii, 1, Ci, &one, sc.upA, CUDA_R_16BF, Ci, sc.upB,
                                         CUDA_R_16BF, Ci, &zero, sc.upC, CUDA_R_32F, Ii, 2 * TK, CUBLAS_COMPUTE_32F,
                                         CUBLAS_GEMM_DEFAULT));
  siluMulBf16Kernel<<<gridFor(TK * I, 256), 256, 0, s>>>(sc.gu, TK * I, sc.actb);
  FOLIO_CUDA_LAUNCH_CHECK();
  FOLIO_CUBLAS_CHECK(cublasGemmBatchedEx(h, CUBLAS_OP_T, CUBLAS_OP_N, Ci, 1, Ii, &one, sc.downA, CUDA_R_16BF, Ii,
                                         sc.downB, CUDA_R_16BF, Ii, &zero, sc.downC, CUDA_R_32F, Ci, TK,
                                         CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  combineKernel<<<gridFor(T * C, 256), 256, 0, s>>>(sc.y, T, C, experts, weights, kept, K, out);
  FOLIO_CUDA_LAUNCH_CHECK();
}

}  // namespace folio::kernels::cuda
