// Internal to kernels/cuda: pass 2 of the chunked lightning prefill (lightning_prefill.cu).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace folio::kernels::cuda::detail {

// Per head h and element e of its D×D state, walks groups g = 0 … groups−1 of groupTokens tokens (the last
// one lastGroupTokens long): reads U = groupStates[h, g, e] (the group's own contribution), writes the
// incoming state there, then S ← e^{−s·tokens(g)} S + U. S starts as state[h, e], times e^{−s·pending[h]}
// when pending is non-null (the pending decode decay folded as ref::lightningFoldHead; pending itself is
// left for the caller to clear), and the state after the last group is written back to state[h, e].
void lightningStateScan(float* groupStates, int64_t groups, int64_t groupTokens, int64_t lastGroupTokens,
                        int64_t H, int64_t D, const double* decay, float* state, const int32_t* pending,
                        cudaStream_t s);

}  // namespace folio::kernels::cuda::detail
