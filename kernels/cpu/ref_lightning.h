// Plain reference lightning attention (linear attention with exponential decay) for one head, with
// the fp32 state S [D, D] carried across calls. Definition (s the head's decay):
//   o_t = Σ_{p≤t} e^{−s(t−p)} (q_t·k_p) v_p;   recurrence S_t = e^{−s} S_{t−1} + k_tᵀ v_t, o_t = q_t S_t.
// Dimension letters: T tokens, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

constexpr int64_t kLightningMaxBlock = 1024;

// The state of one head is S = e^{−s·pending} · R with R [D, D] (row-major, R[a, b]) in fp32 and
// `pending` decode steps whose decay has not been multiplied in yet. A per-token factor e^{−s} rounds
// to 1 in fp32 for the small decays of late layers (s ~ 1e-8 … 1e-5), so decode defers the decay and
// applies e^{−s·pending}, computed in double, instead; pending = 0 means R is S.
// Multiplies the pending decay into R and sets pending to 0.
void lightningFoldHead(float* state, int64_t D, double s, int32_t* pending);

// Blockwise prefill of T tokens for one head. q, k, v: row t at q + t·ld (ld elements between rows, so
// they can point into an interleaved [T, H, 3, D] buffer); out: row t at out + t·ldo. state [D, D]
// with `pending` (see above) is the state after the previous tokens (zeros at the start) and is
// replaced by the state after these T tokens (pending 0). Within a block of m ≤ block tokens, local index j:
//   o_j = e^{−s(j+1)} q_j S + Σ_{i≤j} e^{−s(j−i)} (q_j·k_i) v_i;  S ← e^{−s·m} S + Σ_j e^{−s(m−1−j)} k_jᵀ v_j.
// 1 ≤ block ≤ kLightningMaxBlock.
void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D,
                          double s, float* state, int32_t* pending, float* out, int64_t ldo, int64_t block = 256);

// One decode step: S = e^{−s} S + kᵀ v, then o = q S. q, k, v, out [D]; state [D, D] with `pending`.
void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out);

}  // namespace folio::kernels::ref
