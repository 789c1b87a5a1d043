#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/cpu/cpu_features.h"
#include "kernels/cpu/ref_softmax_attention.h"
#include "kernels/cpu/softmax_attention.h"
#include "kernels/cpu/avx2_math.h"

namespace folio::kernels {

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scores) {
#if FOLIO_HAVE_X86
  if (hasAvx2Fma() && D <= 256) return avx2::softmaxAttention(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end);
#endif
  ref::softmaxAttention(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scores);
}

}  // namespace folio::kernels

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace folio::kernels::avx2 {
namespace {

constexpr int64_t kQ = 4;        // queries per tile
constexpr int64_t kKeys = 64;    // keys per tile
constexpr int64_t kMaxD = 256;

// Queries t0 … t0+nq−1 of head h (nq ≤ kQ).
void queryTile(const float* q, const float* kc, const float* vc, int64_t p0, int64_t t0, int64_t nq, int64_t H,
               int64_t KV, int64_t D, int64_t h, float scale, float* out) {
  const int64_t kvh = h / (H / KV);
  alignas(32) float o[kQ][kMaxD];      // [nq, D] unnormalised outputs
  alignas(32) float s[kQ][kKeys];      // [nq, keys] scores → probabilities of the tile
  float mx[kQ], sum[kQ];
  bool nan[kQ];  // a visible score was NaN: the reference's softmax row is NaN then
  const float* qr[kQ];
  for (int64_t i = 0; i < nq; ++i) {
    qr[i] = q + ((t0 + i) * H + h) * D;
    mx[i] = -INFINITY;
    sum[i] = 0.0f;
    nan[i] = false;
    std::fill(o[i], o[i] + (D + 7) / 8 * 8, 0.0f);
  }
  const int64_t n_all = p0 + t0 + nq;  // keys visible to the last query of the tile
  for (int64_t k0 = 0; k0 < n_all; k0 += kKeys) {
    const int64_t nk = std::min(kKeys, n_all - k0);
    // scores of the tile
    for (int64_t j = 0; j < nk; ++j) {
      const float* kp = kc + ((k0 + j) * KV + kvh) * D;
      __m256 acc[kQ];
      for (int64_t i = 0; i < kQ; ++i) acc[i] = _mm256_setzero_ps();
      for (int64_t d = 0; d < D; d += 8) {
        const __m256i m = laneMask(D - d);
        const __m256 kv = _mm256_maskload_ps(kp + d, m);
        for (int64_t i = 0; i < nq; ++i) acc[i] = _mm256_fmadd_ps(_mm256_maskload_ps(qr[i] + d, m), kv, acc[i]);
      }
      for (int64_t i = 0; i < nq; ++i) {
        const bool visible = k0 + j <= p0 + t0 + i;
        s[i][j] = visible ? hsum(acc[i]) * scale : -INFINITY;
        nan[i] |= std::isnan(s[i][j]);
      }
    }
    // online softmax update per query
    for (int64_t i = 0; i < nq; ++i) {
      __m256 vm = _mm256_set1_ps(-INFINITY);
      for (int64_t j = 0; j < nk; j += 8) {
        const __m256i m = laneMask(nk - j);
        vm = _mm256_max_ps(vm, _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), _mm256_maskload_ps(s[i] + j, m),
                                                _mm256_castsi256_ps(m)));
      }
      const float tile_max = hmax(vm);
      const float new_max = std::max(mx[i], tile_max);
      if (new_max == -INFINITY) continue;  // nothing visible yet in this tile for this query
      const float corr = mx[i] == -INFINITY ? 0.0f : std::exp(mx[i] - new_max);
      mx[i] = new_max;
      __m256 vs = _mm256_setzero_ps();
      const __m256 nmx = _mm256_set1_ps(new_max);
      for (int64_t j = 0; j < nk; j += 8) {
        const __m256i m = laneMask(nk - j);
        const __m256 p = exp(_mm256_sub_ps(_mm256_maskload_ps(s[i] + j, m), nmx));
        const __m256 pm = _mm256_and_ps(p, _mm256_castsi256_ps(m));
        _mm256_store_ps(s[i] + j, pm);
        vs = _mm256_add_ps(vs, pm);
      }
      sum[i] = sum[i] * corr + hsum(vs);
      const __m256 c = _mm256_set1_ps(corr);
      for (int64_t d = 0; d < D; d += 8) _mm256_store_ps(o[i] + d, _mm256_mul_ps(_mm256_load_ps(o[i] + d), c));
    }
    // o += P V, each value row read once for the query tile; a query skips the rows it cannot see
    // (a zero weight times a NaN/inf value would still poison it)
    int64_t visible[kQ];
    for (int64_t i = 0; i < nq; ++i) visible[i] = std::min(nk, p0 + t0 + i - k0 + 1);
    for (int64_t j = 0; j < nk; ++j) {
      const float* vp = vc + ((k0 + j) * KV + kvh) * D;
      for (int64_t d = 0; d < D; d += 8) {
        const __m256 vv = _mm256_maskload_ps(vp + d, laneMask(D - d));
        for (int64_t i = 0; i < nq; ++i) {
          if (j >= visible[i]) continue;
          _mm256_store_ps(o[i] + d, _mm256_fmadd_ps(_mm256_set1_ps(s[i][j]), vv, _mm256_load_ps(o[i] + d)));
        }
      }
    }
  }
  for (int64_t i = 0; i < nq; ++i) {
    float* dst = out + ((t0 + i) * H + h) * D;
    const __m256 inv = _mm256_set1_ps(nan[i] ? NAN : 1.0f / sum[i]);
    for (int64_t d = 0; d < D; d += 8) {
      _mm256_maskstore_ps(dst + d, laneMask(D - d), _mm256_mul_ps(_mm256_load_ps(o[i] + d), inv));
    }
  }
}

}  // namespace

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end) {
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  for (int64_t h = h_begin; h < h_end; ++h) {
    for (int64_t t0 = 0; t0 < T; t0 += kQ) {
      queryTile(q, kcache, vcache, p0, t0, std::min(kQ, T - t0), H, KV, D, h, scale, out);
    }
  }
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif
