// Internal to kernels/cuda (and the gpu tests): the forms of softmax attention over a bf16 cache behind
// the ops.h contract softmaxAttention, selectable so that tests and benchmarks can run each one.
//
// Prefill (T > 1):
//   Scalar:     fp32 CUDA cores, fp32 products (softmax_attention.cu); any head dim; the only form for
//               fp32 caches.
//   TensorCore: FlashAttention-2 style on bf16 tensor cores (softmax_prefill_mma.cu): q rounded to bf16
//               as every bf16 matrix product rounds its input, probabilities rounded to bf16 for P·V,
//               scores, softmax and accumulation in fp32; head dims 64 and 128.
// Auto (what softmaxAttention uses) takes TensorCore wherever it fits; the environment variable
// FOLIO_SOFTMAX_PREFILL=scalar|tensor-core|auto overrides it (read on every call).
//
// Decode (T = 1, split over positions, with the scratch):
//   Scalar:     half-warps per cached row on CUDA cores, fp32 products (softmax_attention.cu).
//   TensorCore: a kv head's query heads as the 16 rows of mma tiles, 16 keys per warp and tile
//               (softmax_decode_mma.cu); q and probabilities rounded to bf16; D 64 and 128.
// Auto takes Scalar until the tensor-core form has been measured on a device;
// FOLIO_SOFTMAX_DECODE=tensor-core|scalar|auto overrides it (read on every call).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace folio::kernels::cuda::detail {

enum class SoftmaxPrefillPath { Auto, Scalar, TensorCore };

// Whether the tensor-core form takes this head dim and these pointers (16-byte aligned caches, 8-byte
// aligned output).
bool softmaxPrefillTensorCoreFits(int64_t D, const void* kcache, const void* vcache, const void* out);

// The tensor-core prefill itself (arguments checked by the caller; T > 1 or T = 1 both work).
void softmaxPrefillTensorCore(const float* q, int64_t ldq, const uint16_t* kcache, const uint16_t* vcache,
                              int64_t p0, int64_t T, int64_t H, int64_t KV, int64_t D, float* out,
                              cudaStream_t s);

// softmaxAttention over a bf16 cache with the prefill form forced (T = 1 takes the decode kernel
// whatever the path). TensorCore where it does not fit throws std::invalid_argument.
void softmaxAttentionWithPath(SoftmaxPrefillPath path, const float* q, int64_t ldq, const uint16_t* kcache,
                              const uint16_t* vcache, int64_t p0, int64_t T, int64_t H, int64_t KV, int64_t D,
                              float* out, cudaStream_t s);

enum class SoftmaxDecodePath { Auto, Scalar, TensorCore };

bool softmaxDecodeTensorCoreFits(int64_t D, const void* kcache, const void* vcache);
// The tensor-core decode: partials of its ranges into part (attentionDecodeScratchBytes), merged into out.
void softmaxDecodeTensorCore(const float* q, const uint16_t* kcache, const uint16_t* vcache, int64_t p0, int64_t H,
                             int64_t KV, int64_t D, float* out, float* part, cudaStream_t s);

// One decode step (T = 1) over a bf16 cache with the form forced (scratch as softmaxAttention's; the
// TensorCore form needs it). TensorCore where it does not fit throws std::invalid_argument.
void softmaxDecodeWithPath(SoftmaxDecodePath path, const float* q, const uint16_t* kcache, const uint16_t* vcache,
                           int64_t p0, int64_t H, int64_t KV, int64_t D, float* out, void* scratch,
                           int64_t scratch_bytes, cudaStream_t s);

// Shared by the decode forms (softmax_attention.cu): how many position ranges a split decode uses per
// kv head for n cached rows, ctasPerSplit CTAs per range and residentPerSm CTAs resident per SM; and the
// merge of the ranges' partials [splits, H, 2 + D] (max in log2 units, sum, unnormalised output) into out.
int decodeSplits(int64_t n, int64_t ctasPerSplit, int residentPerSm);
void attentionCombine(const float* part, int splits, int64_t H, int64_t D, float* out, cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
