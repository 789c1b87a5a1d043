// Internal to kernels/cuda (and the gpu tests): the two forms of the lightning prefill behind the ops.h
// contract lightningPrefill, selectable so that tests and benchmarks can run each one.
//   Sequential: one CTA per (head, 64 value columns) walks all T tokens, carrying the state in shared memory.
//   Chunked:    groups of kGroupTokens tokens in parallel — pass 1 the group-local state contributions,
//               pass 2 a scan over groups giving each group's incoming state, pass 3 the outputs.
// Auto (what lightningPrefill uses) takes Chunked only where the sequential grid cannot fill the device;
// the environment variable FOLIO_LIGHTNING_PREFILL=sequential|chunked overrides it (read on every call).
// LightningPrecision::Bf16 takes neither: its register-tile kernel (lightning_prefill_bf16.h) walks the
// tokens once; lightningPrefill uses it for Tf32 requests when FOLIO_LIGHTNING_PRECISION=bf16.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "kernels/cuda/ops.h"

namespace folio::kernels::cuda::detail {

enum class LightningPrefillPath { Auto, Sequential, Chunked };

constexpr int64_t kLightningGroupTokens = 256;  // tokens per chunked-form group (4 blocks of 64)

// lightningPrefill with the path forced. maxGroupsPerLaunch > 0 caps the groups of one chunked launch
// sequence (tests use it to cross super-chunks); 0 sizes it by a 256 MiB scratch budget. Head dims other
// than 64/128 or unaligned qkv/out take the scalar kernel whatever the path and precision.
void lightningPrefillWithPath(LightningPrefillPath path, LightningPrecision precision, const float* qkv, int64_t T,
                              int64_t H, int64_t D, const double* decay, float* state, int32_t* pending, float* out,
                              cudaStream_t s, int64_t maxGroupsPerLaunch = 0);

}  // namespace folio::kernels::cuda::detail
