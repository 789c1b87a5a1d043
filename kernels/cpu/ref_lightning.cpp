#include "kernels/cpu/ref_lightning.h"

#include <algorithm>
#include <cmath>

namespace folio::kernels::ref {
namespace {
// Decode folds the deferred decay before e^{s·pending} (the factor on new keys) grows past this.
constexpr double kMaxDeferredDecay = 8.0;
constexpr int32_t kMaxPending = 1 << 30;
}  // namespace

void lightningFoldHead(float* state, int64_t D, double s, int32_t* pending) {
  if (*pending == 0) return;
  const float c = static_cast<float>(std::exp(-s * static_cast<double>(*pending)));
  for (int64_t i = 0; i < D * D; ++i) state[i] *= c;
  *pending = 0;
}

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D,
                          double s, float* state, int32_t* pending, float* out, int64_t ldo, int64_t block) {
  lightningFoldHead(state, D, s, pending);
  block = std::clamp<int64_t>(block, 1, kLightningMaxBlock);
  float decay[kLightningMaxBlock + 1];  // [block + 1] decay[n] = e^{−s·n}
  for (int64_t n = 0; n <= block; ++n) decay[n] = static_cast<float>(std::exp(-s * static_cast<double>(n)));

  for (int64_t b0 = 0; b0 < T; b0 += block) {
    const int64_t m = std::min(block, T - b0);
    // outputs of the block: inter-block part from the incoming state, intra-block part causal
    for (int64_t j = 0; j < m; ++j) {
      const float* qj = q + (b0 + j) * ld;  // [D]
      float* oj = out + (b0 + j) * ldo;     // [D]
      for (int64_t b = 0; b < D; ++b) oj[b] = 0.0f;
      for (int64_t a = 0; a < D; ++a) {
        const float qa = qj[a];
        const float* srow = state + a * D;  // [D]
        for (int64_t b = 0; b < D; ++b) oj[b] += qa * srow[b];
      }
      const float dq = decay[j + 1];
      for (int64_t b = 0; b < D; ++b) oj[b] *= dq;
      for (int64_t i = 0; i <= j; ++i) {
        const float* ki = k + (b0 + i) * ld;  // [D]
        const float* vi = v + (b0 + i) * ld;  // [D]
        float dot = 0.0f;
        for (int64_t a = 0; a < D; ++a) dot += qj[a] * ki[a];
        const float w = dot * decay[j - i];
        for (int64_t b = 0; b < D; ++b) oj[b] += w * vi[b];
      }
    }
    // state after the block
    const float dm = decay[m];
    for (int64_t a = 0; a < D; ++a) {
      float* srow = state + a * D;  // [D]
      for (int64_t b = 0; b < D; ++b) srow[b] *= dm;
      for (int64_t j = 0; j < m; ++j) {
        const float c = decay[m - 1 - j] * k[(b0 + j) * ld + a];
        const float* vj = v + (b0 + j) * ld;
        for (int64_t b = 0; b < D; ++b) srow[b] += c * vj[b];
      }
    }
  }
}

void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out) {
  if (s * static_cast<double>(*pending + 1) > kMaxDeferredDecay || *pending >= kMaxPending)
    lightningFoldHead(state, D, s, pending);
  *pending += 1;
  // S_new = e^{−s} S + kᵀv = e^{−s·n} (R + e^{s·n} kᵀv) with n the new pending count
  const double n = static_cast<double>(*pending);
  const float grow = static_cast<float>(std::exp(s * n));
  const float shrink = static_cast<float>(std::exp(-s * n));
  for (int64_t b = 0; b < D; ++b) out[b] = 0.0f;
  for (int64_t a = 0; a < D; ++a) {
    float* srow = state + a * D;  // [D]
    const float ka = grow * k[a], qa = q[a];
    for (int64_t b = 0; b < D; ++b) {
      srow[b] += ka * v[b];
      out[b] += qa * srow[b];
    }
  }
  for (int64_t b = 0; b < D; ++b) out[b] *= shrink;
}

}  // namespace folio::kernels::ref
