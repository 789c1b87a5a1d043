#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/cpu/kernel_level.h"
#include "kernels/cpu/lightning.h"
#include "kernels/cpu/ref_lightning.h"
#include "kernels/cpu/avx2_gemm.h"
#include "kernels/cpu/avx2_math.h"
#include "kernels/cpu/avx512_gemm.h"

namespace folio::kernels {

int64_t lightningPrefillScratch(int64_t D) {
  const int64_t B = avx2::kLightningBlock;
  return B * B + 2 * D * B + (B + 1) + (2 * B - 1) + B;  // P [B, B], Kᵀ and decayed Kᵀ [D, B], decay tables
}

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch) {
#if FOLIO_HAVE_X86
  switch (kernelLevel()) {
    case KernelLevel::Avx512: return avx512::lightningPrefillHead(q, k, v, ld, T, D, s, state, pending, out, ldo, scratch);
    case KernelLevel::Avx2: return avx2::lightningPrefillHead(q, k, v, ld, T, D, s, state, pending, out, ldo, scratch);
    case KernelLevel::Reference: break;
  }
#endif
  (void)scratch;
  ref::lightningPrefillHead(q, k, v, ld, T, D, s, state, pending, out, ldo);
}

void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out) {
#if FOLIO_HAVE_X86
  // the decode step is bound by the state's traffic: both optimised levels run the AVX2 form
  if (kernelLevel() >= KernelLevel::Avx2) return avx2::lightningDecodeHead(q, k, v, D, s, state, pending, out);
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
namespace {

// dst[a·ldd + j] = src[j·lds + a] for j < rows, a < cols: 8×8 tiles in registers, the edges scalar.
void transposeRows(const float* src, int64_t lds, int64_t rows, int64_t cols, float* dst, int64_t ldd) {
  int64_t j = 0;
  for (; j + 8 <= rows; j += 8) {
    int64_t a = 0;
    for (; a + 8 <= cols; a += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + (j + i) * lds + a);
      const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
      const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
      const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
      const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
      const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
      const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
      const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
      const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      const __m256 out[8] = {_mm256_permute2f128_ps(u0, u4, 0x20), _mm256_permute2f128_ps(u1, u5, 0x20),
                             _mm256_permute2f128_ps(u2, u6, 0x20), _mm256_permute2f128_ps(u3, u7, 0x20),
                             _mm256_permute2f128_ps(u0, u4, 0x31), _mm256_permute2f128_ps(u1, u5, 0x31),
                             _mm256_permute2f128_ps(u2, u6, 0x31), _mm256_permute2f128_ps(u3, u7, 0x31)};
      for (int i = 0; i < 8; ++i) _mm256_storeu_ps(dst + (a + i) * ldd + j, out[i]);
    }
    for (; a < cols; ++a)
      for (int64_t i = 0; i < 8; ++i) dst[a * ldd + j + i] = src[(j + i) * lds + a];
  }
  for (; j < rows; ++j)
    for (int64_t a = 0; a < cols; ++a) dst[a * ldd + j] = src[j * lds + a];
}

// The blocked prefill with the dense products done by `gemm` (the micro-kernel of either level).
void prefillBlocks(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                   float* state, int32_t* pending, float* out, int64_t ldo, float* scratch, GemmF32Fn gemm) {
  ref::lightningFoldHead(state, D, s, pending);
  constexpr int64_t B = kLightningBlock;
  float* P = scratch;             // [B, B] masked, decayed Q Kᵀ of the block
  float* kt = P + B * B;          // [D, B] Kᵀ of the block
  float* ktd = kt + D * B;        // [D, B] Kᵀ with column j scaled by e^{−s(m−1−j)}
  float* decay = ktd + D * B;     // [B + 1] decay[n] = e^{−s·n}
  float* rdecay = decay + B + 1;  // [2B − 1] rdecay[B−1−d] = e^{−s·d} for 0 ≤ d < B (zeros above)
  float* dk = rdecay + 2 * B - 1; // [B] the block's key decays
  for (int64_t n = 0; n <= B; ++n) decay[n] = static_cast<float>(std::exp(-s * static_cast<double>(n)));
  for (int64_t n = 0; n < 2 * B - 1; ++n) rdecay[n] = n <= B - 1 ? decay[B - 1 - n] : 0.0f;

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
    transposeRows(kb, ld, m, D, kt, B);  // Kᵀ [D, m]
    // decayed Kᵀ: column j scaled by e^{−s(m−1−j)}, i.e. by decay[m−1−j]: contiguous along j
    for (int64_t j = 0; j < m; ++j) dk[j] = decay[m - 1 - j];
    for (int64_t a = 0; a < D; ++a) {
      for (int64_t j = 0; j < m; j += 8) {
        const __m256i mk = laneMask(m - j);
        _mm256_maskstore_ps(ktd + a * B + j, mk,
                            _mm256_mul_ps(_mm256_maskload_ps(kt + a * B + j, mk), _mm256_maskload_ps(dk + j, mk)));
      }
    }
    // inter-block: O = diag(e^{−s(j+1)}) · Q S
    gemm(m, D, D, qb, ld, state, D, ob, ldo, /*accumulate=*/false);
    for (int64_t j = 0; j < m; ++j) {
      const __m256 dq = _mm256_set1_ps(decay[j + 1]);
      float* oj = ob + j * ldo;
      for (int64_t b = 0; b < D; b += 8) {
        const __m256i mk = laneMask(D - b);
        _mm256_maskstore_ps(oj + b, mk, _mm256_mul_ps(_mm256_maskload_ps(oj + b, mk), dq));
      }
    }
    // intra-block: P = Q Kᵀ masked and decayed, then O += P V
    gemm(m, m, D, qb, ld, kt, B, P, B, /*accumulate=*/false);
    // row j: column i ≤ j times e^{−s(j−i)} = rdecay[B−1−j+i] (contiguous in i), columns i > j zero
    for (int64_t j = 0; j < m; ++j) {
      float* pj = P + j * B;
      const float* rd = rdecay + (B - 1 - j);
      for (int64_t i = 0; i < m; i += 8) {
        const __m256i keep = laneMask(j + 1 - i), mk = laneMask(m - i);
        const __m256 v = _mm256_mul_ps(_mm256_maskload_ps(pj + i, keep), _mm256_maskload_ps(rd + i, keep));
        _mm256_maskstore_ps(pj + i, mk, v);  // lanes past j load as zero
      }
    }
    gemm(m, D, m, P, B, vb, ld, ob, ldo, /*accumulate=*/true);
    // state: S ← e^{−s·m} S + (decayed K)ᵀ V
    const __m256 dm = _mm256_set1_ps(decay[m]);
    for (int64_t i = 0; i < D * D; i += 8) {
      const __m256i mk = laneMask(D * D - i);
      _mm256_maskstore_ps(state + i, mk, _mm256_mul_ps(_mm256_maskload_ps(state + i, mk), dm));
    }
    gemm(D, D, m, ktd, B, vb, ld, state, D, /*accumulate=*/true);
  }
}

}  // namespace

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch) {
  prefillBlocks(q, k, v, ld, T, D, s, state, pending, out, ldo, scratch, gemmF32);
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

namespace folio::kernels::avx512 {

void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch) {
  avx2::prefillBlocks(q, k, v, ld, T, D, s, state, pending, out, ldo, scratch, gemmF32);
}

}  // namespace folio::kernels::avx512
FOLIO_AVX2_END
#endif
