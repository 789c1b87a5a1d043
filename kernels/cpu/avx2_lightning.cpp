#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/cpu/cpu_features.h"
#include "kernels/cpu/lightning.h"
#include "kernels/cpu/ref_lightning.h"
#include "kernels/cpu/avx2_gemm.h"
#include "kernels/cpu/avx2_math.h"

namespace folio::kernels {

int64_t lightningPrefillScratch(int64_t D) {
  const int64_t B = avx2::kLightningBlock;
  return B * B + 2 * D * B + B + 1;  // P [B, B], Kᵀ and decayed Kᵀ [D, B], decays [B + 1]
}

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch) {
#if FOLIO_HAVE_X86
  if (hasAvx2Fma()) return avx2::lightningPrefillHead(q, k, v, ld, T, D, s, state, pending, out, ldo, scratch);
#endif
  (void)scratch;
  ref::lightningPrefillHead(q, k, v, ld, T, D, s, state, pending, out, ldo);
}

void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out) {
#if FOLIO_HAVE_X86
  if (hasAvx2Fma()) return avx2::lightningDecodeHead(q, k, v, D, s, state, pending, out);
#endif
  ref::lightningDecodeHead(q, k, v, D, s, state, pending, out);
}

namespace {
// Same thresholds as the reference decode (ref_lightning.cpp).
constexpr double kMaxDeferredDecay = 8.0;
constexpr int32_t kMaxPending = 1 << 30;
}  // namespace

}  // namespace folio::kernels

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace folio::kernels::avx2 {

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch) {
  ref::lightningFoldHead(state, D, s, pending);
  constexpr int64_t B = kLightningBlock;
  float* P = scratch;             // [B, B] masked, decayed Q Kᵀ of the block
  float* kt = P + B * B;          // [D, B] Kᵀ of the block
  float* ktd = kt + D * B;        // [D, B] Kᵀ with column j scaled by e^{−s(m−1−j)}
  float* decay = ktd + D * B;     // [B + 1] decay[n] = e^{−s·n}
  for (int64_t n = 0; n <= B; ++n) decay[n] = static_cast<float>(std::exp(-s * static_cast<double>(n)));

  for (int64_t b0 = 0; b0 < T; b0 += B) {
    const int64_t m = std::min(B, T - b0);
    const float* qb = q + b0 * ld;  // [m, D] stride ld
    const float* kb = k + b0 * ld;
    const float* vb = v + b0 * ld;
    float* ob = out + b0 * ldo;     // [m, D] stride ldo
    // the next block's q, k, v rows are one cache-line run each, a whole interleaved row apart: fetch
    // them now, as the hardware prefetcher does not follow such strides across pages
    const int64_t mn = std::min(B, T - b0 - m);
    for (int64_t j = 0; j < mn; ++j) {
      for (const float* base : {qb, kb, vb}) {
        const char* row = reinterpret_cast<const char*>(base + (m + j) * ld);
        for (int64_t off = 0; off < D * 4; off += 64) _mm_prefetch(row + off, _MM_HINT_T1);
      }
    }
    // the masked products below multiply zeros by later tokens' values: a NaN/inf value there would
    // leak into earlier outputs, so such a (rare) block takes the reference formulas instead
    bool finite = true;
    for (int64_t j = 0; j < m && finite; ++j) {
      __m256 bad = _mm256_setzero_ps();
      for (int64_t b = 0; b < D; b += 8) {
        const __m256 x = _mm256_maskload_ps(vb + j * ld + b, laneMask(D - b));
        bad = _mm256_or_ps(bad, _mm256_cmp_ps(_mm256_sub_ps(x, x), _mm256_setzero_ps(), _CMP_NEQ_UQ));
      }
      finite = _mm256_movemask_ps(bad) == 0;
    }
    if (!finite) {
      int32_t none = 0;
      ref::lightningPrefillHead(qb, kb, vb, ld, m, D, s, state, &none, ob, ldo, m);
      continue;
    }
    for (int64_t j = 0; j < m; ++j) {
      const float* kj = kb + j * ld;
      const float dj = decay[m - 1 - j];
      for (int64_t a = 0; a < D; ++a) {
        kt[a * B + j] = kj[a];
        ktd[a * B + j] = kj[a] * dj;
      }
    }
    // inter-block: O = diag(e^{−s(j+1)}) · Q S
    gemmF32(m, D, D, qb, ld, state, D, ob, ldo, /*accumulate=*/false);
    for (int64_t j = 0; j < m; ++j) {
      const __m256 dq = _mm256_set1_ps(decay[j + 1]);
      float* oj = ob + j * ldo;
      for (int64_t b = 0; b < D; b += 8) {
        const __m256i mk = laneMask(D - b);
        _mm256_maskstore_ps(oj + b, mk, _mm256_mul_ps(_mm256_maskload_ps(oj + b, mk), dq));
      }
    }
    // intra-block: P = Q Kᵀ masked and decayed, then O += P V
    gemmF32(m, m, D, qb, ld, kt, B, P, B, /*accumulate=*/false);
    for (int64_t j = 0; j < m; ++j) {
      float* pj = P + j * B;
      for (int64_t i = 0; i <= j; ++i) pj[i] *= decay[j - i];
      for (int64_t i = j + 1; i < m; ++i) pj[i] = 0.0f;
    }
    gemmF32(m, D, m, P, B, vb, ld, ob, ldo, /*accumulate=*/true);
    // state: S ← e^{−s·m} S + (decayed K)ᵀ V
    const __m256 dm = _mm256_set1_ps(decay[m]);
    for (int64_t i = 0; i < D * D; i += 8) {
      const __m256i mk = laneMask(D * D - i);
      _mm256_maskstore_ps(state + i, mk, _mm256_mul_ps(_mm256_maskload_ps(state + i, mk), dm));
    }
    gemmF32(D, D, m, ktd, B, vb, ld, state, D, /*accumulate=*/true);
  }
}

void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out) {
  if (s * static_cast<double>(*pending + 1) > kMaxDeferredDecay || *pending >= kMaxPending)
    ref::lightningFoldHead(state, D, s, pending);
  *pending += 1;
  // S_new = e^{−s·n} (R + e^{s·n} kᵀv) with n the new pending count (see ref_lightning.h)
  const double n = static_cast<double>(*pending);
  const float grow = static_cast<float>(std::exp(s * n));
  const float shrink = static_cast<float>(std::exp(-s * n));
  for (int64_t b = 0; b < D; b += 8) {
    const __m256i mk = laneMask(D - b);
    const __m256 vb = _mm256_maskload_ps(v + b, mk);
    __m256 o0 = _mm256_setzero_ps(), o1 = _mm256_setzero_ps();
    int64_t a = 0;
    for (; a + 2 <= D; a += 2) {
      float* r0 = state + a * D + b;
      float* r1 = r0 + D;
      const __m256 s0 = _mm256_fmadd_ps(_mm256_set1_ps(grow * k[a]), vb, _mm256_maskload_ps(r0, mk));
      const __m256 s1 = _mm256_fmadd_ps(_mm256_set1_ps(grow * k[a + 1]), vb, _mm256_maskload_ps(r1, mk));
      _mm256_maskstore_ps(r0, mk, s0);
      _mm256_maskstore_ps(r1, mk, s1);
      o0 = _mm256_fmadd_ps(_mm256_set1_ps(q[a]), s0, o0);
      o1 = _mm256_fmadd_ps(_mm256_set1_ps(q[a + 1]), s1, o1);
    }
    if (a < D) {
      float* r0 = state + a * D + b;
      const __m256 s0 = _mm256_fmadd_ps(_mm256_set1_ps(grow * k[a]), vb, _mm256_maskload_ps(r0, mk));
      _mm256_maskstore_ps(r0, mk, s0);
      o0 = _mm256_fmadd_ps(_mm256_set1_ps(q[a]), s0, o0);
    }
    _mm256_maskstore_ps(out + b, mk, _mm256_mul_ps(_mm256_add_ps(o0, o1), _mm256_set1_ps(shrink)));
  }
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif
