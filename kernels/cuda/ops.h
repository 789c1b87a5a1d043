// The CUDA kernels of the MiniMax-M1 forward pass, one function per op, each a plain C++ call that
// launches on the given stream (no synchronisation unless the comment says so). Every pointer is a
// device pointer. Numerics: weights stay in their checkpoint dtype on the device (BF16 as is, F16
// converted to BF16 at upload, F32 kept F32, I8 with per-row fp32 scales); the residual stream and
// every op's input/output are fp32; matrix products read their input as bf16 (converted on the fly)
// when the weight is bf16/i8 and as fp32 when the weight is fp32, and always accumulate in fp32; the
// softmax KV cache is bf16 (fp32 for F32 attention weights); lightning states are fp32. Each op
// mirrors a CPU reference in kernels/cpu/ref_*.h, which the gpu tests compare it against.
// Dimension letters: T tokens, C hidden, H heads, KV kv-heads, D head dim, E experts, K top-k,
// I expert hidden, V vocab, P cache capacity (positions).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "kernels/cpu/dtype.h"

namespace folio::kernels::cuda {

// Throws std::runtime_error naming the call, file and line when a CUDA/cuBLAS/NCCL call fails.
void throwCudaError(const char* what, int code, const char* text, const char* file, int line);
// What FOLIO_CUDA_CHECK throws for cudaErrorMemoryAllocation, so a caller can retry with less.
struct CudaOutOfMemory : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The same for a CUDA runtime call: CudaOutOfMemory for cudaErrorMemoryAllocation.
void throwCudaRuntimeError(const char* what, cudaError_t code, const char* file, int line);
#define FOLIO_CUDA_CHECK(call)                                                                  \
  do {                                                                                          \
    cudaError_t folio_err_ = (call);                                                            \
    if (folio_err_ != cudaSuccess)                                                              \
      ::folio::kernels::cuda::throwCudaRuntimeError(#call, folio_err_, __FILE__, __LINE__);     \
  } while (0)

// A weight matrix W [N, K] (torch Linear layout, row-major) in device memory.
struct DeviceMatrix {
  DType dtype = DType::BF16;      // F32, BF16 or I8 (F16 is converted to BF16 at upload)
  const void* data = nullptr;     // [N, K]
  int64_t rows = 0;               // N
  int64_t cols = 0;               // K
  const float* row_scales = nullptr;  // [N], I8 only
};

// cuBLAS handle plus the workspace that matmul() converts its input into. One per stream/device;
// not thread-safe. max_input_elems: the largest T·K that matmul() will be given.
class GemmContext {
 public:
  // max_input_elems: the largest T·K of an x given to matmul beyond the GEMV sizes (its bf16 copy).
  // max_i8_weight_elems: the largest N·K of an I8 weight to multiply by many tokens at once (its bf16
  // copy, so cuBLAS can take it); 0 leaves such products to the GEMV, ⌈T/8⌉ passes over the weight.
  GemmContext(cudaStream_t stream, int64_t max_input_elems, int64_t max_i8_weight_elems = 0);
  ~GemmContext();
  GemmContext(const GemmContext&) = delete;
  GemmContext& operator=(const GemmContext&) = delete;
  cudaStream_t stream() const { return stream_; }
  void* cublas() const { return handle_; }       // cublasHandle_t
  uint16_t* bf16Workspace() const { return ws_; }  // [max_input_elems]
  int64_t workspaceElems() const { return ws_elems_; }
  uint16_t* weightWorkspace() const { return wws_; }  // [max_i8_weight_elems], null when 0
  int64_t weightWorkspaceElems() const { return wws_elems_; }

 private:
  cudaStream_t stream_;
  void* handle_ = nullptr;
  static constexpr size_t kCublasWorkspaceBytes = size_t{32} << 20;
  uint16_t* ws_ = nullptr;
  int64_t ws_elems_ = 0;
  uint16_t* wws_ = nullptr;
  int64_t wws_elems_ = 0;
  void* cublas_ws_ = nullptr;  // handed to cublasSetWorkspace
};

// y [T, N] (fp32, leading dimension ldy ≥ N, 0 = N) = x [T, K] (fp32) · Wᵀ, fp32 accumulation.
// T ≤ 8 with a bf16/i8 weight, and T = 1 with an fp32 weight, take a bandwidth-bound GEMV kernel
// (decode_paths.h); larger T cuBLAS (GemmEx, bf16 inputs, fp32 compute; fp32 weights use plain fp32
// SGEMM with TF32 disabled). An I8 weight at T > kI8GemvMaxTokens, where the context has room for it,
// is widened to bf16 (exact: |q| ≤ 127) for one cuBLAS product, then each column n scaled by
// row_scales[n]; otherwise the GEMV runs over groups of 8 tokens.
constexpr int64_t kI8GemvMaxTokens = 32;
void matmul(GemmContext& ctx, const float* x, int64_t T, const DeviceMatrix& w, float* y, int64_t ldy = 0);

// out[t, :] = fp32(emb[ids[t], :]); ids are device int32 [T], already validated < V.
void embeddingGather(const DeviceMatrix& emb, const int32_t* ids, int64_t T, float* out, cudaStream_t s);
// Vocab-parallel lookup for a tensor-parallel rank: emb [Vr, C] holds the rows of ids first_id …
// first_id + Vr − 1; out[t, :] is that row for those ids and zero for the others (so the ranks' outputs
// summed over the ranks are the whole lookup).
void embeddingGatherPart(const DeviceMatrix& emb, int64_t first_id, const int32_t* ids, int64_t T, float* out,
                         cudaStream_t s);

// y [T, N] = x / sqrt(mean(x²) + eps) · w (y may alias x). Also the joint H·D lightning norm (N = H·D).
void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y, cudaStream_t s);
// The same norm split over tensor-parallel ranks, each holding N of a row's N_total columns: ss [T] ←
// each row's partial sum of squares; after the ranks have summed ss (an all-reduce),
// y = x / sqrt(ss / N_total + eps) · w (y may alias x; w [N] is this rank's part).
void rowSumSquares(const float* x, int64_t T, int64_t N, float* ss, cudaStream_t s);
void rmsNormWithSumSquares(const float* x, int64_t T, int64_t N, const float* ss, int64_t N_total, const float* w,
                           float eps, float* y, cudaStream_t s);

// Partial NeoX RoPE in place on x [T, N, D] with row stride ld (elements between tokens, ≥ N·D);
// token t at absolute position pos0 + t; angles computed in double as in ref::ropeNeox.
void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t ld, int64_t rotary_dim, double theta,
              int64_t pos0, cudaStream_t s);

// Elementwise: x = silu(x); x = sigmoid(x); out = silu(a) · b; x = α·res + β·y.
void siluInPlace(float* x, int64_t n, cudaStream_t s);
void sigmoidInPlace(float* x, int64_t n, cudaStream_t s);
void siluMul(const float* a, const float* b, float* out, int64_t n, cudaStream_t s);
void mulInPlace(float* x, const float* y, int64_t n, cudaStream_t s);
void residualMix(float* x, const float* res, float alpha, const float* y, float beta, int64_t n, cudaStream_t s);

// Lightning attention. qkv [T, H, 3, D] (per-head interleaved q, k, v, already through silu);
// state [H, D, D] fp32 with pending [H] (see ref::lightningFoldHead: S = e^{−s·pending}·R);
// decay [H] (double, s_h, device memory); out [T, H, D]. Prefill runs blockwise (≤ 256-row blocks)
// carrying the fp32 state between blocks and leaves pending = 0. Decode takes one token of one
// sequence: S = e^{−s}S + kᵀv (the decay deferred through `pending` as on the CPU), o = qS.
// lightningDecodeBatch runs one token of each of B independent sequences (batched serving, benchmarks).
// precision picks how the prefill's tensor-core products multiply (head dims 64/128; the scalar fallback
// for other shapes is fp32 whatever it says): Fp32 splits each operand into two TF32 parts (3 mma per
// product, ≈1e-6 relative, for fp32 checkpoints); Tf32 rounds each operand once to TF32 (10-bit mantissa,
// 1 mma per product, ≈1e-4 relative) — enough for bf16/i8 checkpoints, whose products already read bf16.
// Bf16 rounds every operand to bf16 (8 significant bits) for mma.m16n8k16 with the tiles kept in
// registers — q, k, v, the masked scores and the state as the next block reads it — while the carried
// state is still summed in fp32 (lightning_prefill_bf16.cu; built to be measured against Tf32).
// Accumulation, the carried state and the decays stay fp32 in all three.
enum class LightningPrecision { Fp32, Tf32, Bf16 };
void lightningPrefill(const float* qkv, int64_t T, int64_t H, int64_t D, const double* decay, float* state,
                      int32_t* pending, float* out, cudaStream_t s,
                      LightningPrecision precision = LightningPrecision::Fp32);
void lightningDecode(const float* qkv, int64_t H, int64_t D, const double* decay, float* state, int32_t* pending,
                     float* out, cudaStream_t s);
// B sequences: qkv [B, H, 3, D], states [B, H, D, D], pending [B, H], out [B, H, D].
void lightningDecodeBatch(const float* qkv, int64_t B, int64_t H, int64_t D, const double* decay, float* states,
                          int32_t* pending, float* out, cudaStream_t s);

// Softmax attention. Appends k, v [T, KV, D] (fp32, row stride ldk/ldv) to the bf16 caches
// kcache, vcache [P, KV, D] at rows p0 … p0+T−1; then causal GQA attention of q [T, H, D] (row
// stride ldq) over cache rows 0 … p0+t, scale 1/√D, fp32 online softmax (flash-style tiles for
// T > 1, a GQA decode kernel for T = 1); out [T, H, D]. With a bf16 cache and D = 64 or 128 the
// prefill (T > 1) runs on bf16 tensor cores: q, and the probabilities that weight V, are rounded to bf16
// like every bf16 matrix product's input (≈2e-3 normalised error); scores, softmax and sums stay fp32.
// The fp32 cache and other head dims keep fp32 products (kernels/cuda/softmax_forms.h).
void kvAppend(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
              uint16_t* kcache, uint16_t* vcache, int64_t p0, cudaStream_t s);
void softmaxAttention(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                      int64_t T, int64_t H, int64_t KV, int64_t D, float* out, cudaStream_t s);
// The same with an fp32 cache (models whose attention weights are F32 keep their K/V unrounded).
void kvAppend(const float* k, int64_t ldk, const float* v, int64_t ldv, int64_t T, int64_t KV, int64_t D,
              float* kcache, float* vcache, int64_t p0, cudaStream_t s);
void softmaxAttention(const float* q, int64_t ldq, const float* kcache, const float* vcache, int64_t p0, int64_t T,
                      int64_t H, int64_t KV, int64_t D, float* out, cudaStream_t s);
// Decode (T = 1) split over positions: CTAs of (position range, kv head) each read every K/V row of
// their range once for all H/KV query heads and leave partial (max, sum, output) in `scratch`; a
// second kernel merges them. Without scratch (the overloads above) one CTA per kv head walks all rows.
// scratch: ≥ attentionDecodeScratchBytes(H, D) bytes of device memory, used only when T = 1.
int64_t attentionDecodeScratchBytes(int64_t H, int64_t D);
void softmaxAttention(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache, int64_t p0,
                      int64_t T, int64_t H, int64_t KV, int64_t D, float* out, void* scratch, int64_t scratch_bytes,
                      cudaStream_t s);
void softmaxAttention(const float* q, int64_t ldq, const float* kcache, const float* vcache, int64_t p0, int64_t T,
                      int64_t H, int64_t KV, int64_t D, float* out, void* scratch, int64_t scratch_bytes,
                      cudaStream_t s);

// MoE routing on the device: logits [T, E] fp32 -> per token the kept experts [T, K] (descending
// probability, ties to the lower index, −1 past `kept`), weights [T, K] renormalised over the kept
// ones, kept [T] (1 … K) after the τ threshold, exactly as ref::routeTopK. probs [T, E] (may be
// null) receives the full softmax (the routing log).
void routeTopK(const float* logits, int64_t T, int E, int K, double tau, int* experts, float* weights, int* kept,
               float* probs, cudaStream_t s);

// Token permutation by expert. From experts/kept [T, K]: counts [E], offsets [E + 1] (exclusive
// prefix sum), perm_token [T·K] (source token of each permuted row, grouped by expert in ascending
// expert then token order), perm_weight [T·K], and xperm [T·K, C] = x rows gathered. Rows past
// offsets[E] are untouched. scratch: ≥ moePermuteScratchBytes(T, K, E) bytes.
int64_t moePermuteScratchBytes(int64_t T, int K, int E);
void moePermute(const float* x, int64_t T, int64_t C, const int* experts, const float* weights, const int* kept, int K,
                int E, int* counts, int* offsets, int* perm_token, float* perm_weight, float* xperm, void* scratch,
                cudaStream_t s);
// out[t, :] += Σ over permuted rows r of token t: perm_weight[r] · y[r, :] (deterministic order:
// each token sums its rows in permuted order; no atomics). out must be zeroed or hold a partial sum.
// n_rows: offsets[E] as known on the device (read from offsets; no host sync).
void moeUnpermuteAdd(const float* y, const int* offsets, int E, const int* perm_token, const float* perm_weight,
                     int64_t T, int K, int64_t C, float* out, cudaStream_t s);

// Decode-time MoE for a few tokens (T ≤ 8) without a host sync: for each token and each of its kept
// experts (ids read on the device), act = silu(x·W1[e]ᵀ) · (x·W3[e]ᵀ) (gather-GEMV over the expert's
// rows) then out[t] += w · act·W2[e]ᵀ. w1s/w3s/w2s: device arrays [E] of the experts' matrices (all
// same dtype/shape). act: scratch [T, K, I].
void moeDecode(const float* x, int64_t T, int64_t C, int64_t I, const int* experts, const float* weights,
               const int* kept, int K, const DeviceMatrix* w1s, const DeviceMatrix* w3s, const DeviceMatrix* w2s,
               float* act, float* out, cudaStream_t s);

// Shared-expert mix: moe[t, :] = moe[t, :]·(1 − g_t) + shared[t, :]·g_t with g_t = σ(coef[t]).
void sharedExpertMix(float* moe, const float* shared, const float* coef, int64_t T, int64_t C, cudaStream_t s);

// Greedy sampling on the device: argmax over each row of logits [T, V] into out [T] (ties to the lower id,
// NaN never wins, a row of NaN / −inf only: 0), as engine::argmaxLogit.
void argmaxRows(const float* logits, int64_t T, int64_t V, int32_t* out, cudaStream_t s);

// Sampling parameters as engine::SamplingParams, for a non-greedy draw (temperature > 0).
struct DeviceSampling {
  double temperature = 1.0;  // finite, > 0
  int top_k = 0;             // 0: no limit
  double top_p = 1.0;        // (0, 1]
};

// Bytes of device scratch sampleRow needs for a row of V logits (keys and ids before and after the
// sort, per-tile masses, the sort's own storage). Queries the current device; allocates nothing.
size_t sampleRowScratchBytes(int64_t V);

// Draws one token from logits [V] for the uniform u in [0, 1) (drawn on the host by
// engine::Sampler::nextUniform) with the selection of engine::Sampler::sampleWith, into out[0]: the
// same token except where a running mass is within rounding of its target (weights exp are a few fp32
// ulps apart, the double sums associate differently). scratch: sampleRowScratchBytes(V) bytes,
// 256-byte aligned (as cudaMalloc gives). Everything on s: no host sync, no allocation; deterministic.
void sampleRow(const float* logits, int64_t V, const DeviceSampling& p, double u, void* scratch, int32_t* out,
               cudaStream_t s);

}  // namespace folio::kernels::cuda
