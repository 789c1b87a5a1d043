#include <cmath>
#include <cstdint>

#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/kernel_level.h"
#include "kernels/cpu/ref_activation.h"
#include "kernels/cpu/ref_norm.h"
#include "kernels/cpu/ref_rope.h"
#include "kernels/cpu/avx2_math.h"

namespace folio::kernels {

#if FOLIO_HAVE_X86
// memory-bound: the AVX-512 level runs these AVX2 forms too
#define FOLIO_DISPATCH(call) \
  if (kernelLevel() >= KernelLevel::Avx2) return avx2::call; \
  return ref::call
#else
#define FOLIO_DISPATCH(call) return ref::call
#endif

void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y) {
  FOLIO_DISPATCH(rmsNorm(x, T, N, w, eps, y));
}
void silu(float* x, int64_t n) { FOLIO_DISPATCH(silu(x, n)); }
void siluMul(const float* gate, const float* up, float* out, int64_t n) { FOLIO_DISPATCH(siluMul(gate, up, out, n)); }
void sigmoid(float* x, int64_t n) { FOLIO_DISPATCH(sigmoid(x, n)); }
void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0) {
  FOLIO_DISPATCH(ropeNeox(x, T, N, D, rotary_dim, theta, pos0));
}
#undef FOLIO_DISPATCH

}  // namespace folio::kernels

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace folio::kernels::avx2 {
namespace {
inline __m256 siluV(__m256 g) {
  // g / (1 + e^{−g}), as the reference (so −inf gives NaN there and here)
  const __m256 e = exp(_mm256_sub_ps(_mm256_setzero_ps(), g));
  return _mm256_div_ps(g, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}
inline __m256 sigmoidV(__m256 v) {
  const __m256 e = exp(_mm256_sub_ps(_mm256_setzero_ps(), v));
  return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}
}  // namespace

void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y) {
  for (int64_t t = 0; t < T; ++t) {
    const float* xr = x + t * N;
    float* yr = y + t * N;
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= N; i += 8) {
      const __m256 v = _mm256_loadu_ps(xr + i);
      acc = _mm256_fmadd_ps(v, v, acc);
    }
    if (i < N) {
      const __m256 v = _mm256_maskload_ps(xr + i, laneMask(N - i));
      acc = _mm256_fmadd_ps(v, v, acc);
    }
    const float inv = 1.0f / std::sqrt(hsum(acc) / static_cast<float>(N) + eps);
    const __m256 s = _mm256_set1_ps(inv);
    for (i = 0; i + 8 <= N; i += 8) {
      _mm256_storeu_ps(yr + i, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(xr + i), s), _mm256_loadu_ps(w + i)));
    }
    if (i < N) {
      const __m256i m = laneMask(N - i);
      _mm256_maskstore_ps(yr + i, m, _mm256_mul_ps(_mm256_mul_ps(_mm256_maskload_ps(xr + i, m), s),
                                                   _mm256_maskload_ps(w + i, m)));
    }
  }
}

void silu(float* x, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, siluV(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i m = laneMask(n - i);
    _mm256_maskstore_ps(x + i, m, siluV(_mm256_maskload_ps(x + i, m)));
  }
}

void siluMul(const float* gate, const float* up, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(out + i, _mm256_mul_ps(siluV(_mm256_loadu_ps(gate + i)), _mm256_loadu_ps(up + i)));
  }
  if (i < n) {
    const __m256i m = laneMask(n - i);
    _mm256_maskstore_ps(out + i, m,
                        _mm256_mul_ps(siluV(_mm256_maskload_ps(gate + i, m)), _mm256_maskload_ps(up + i, m)));
  }
}

void sigmoid(float* x, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, sigmoidV(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i m = laneMask(n - i);
    _mm256_maskstore_ps(x + i, m, sigmoidV(_mm256_maskload_ps(x + i, m)));
  }
}

void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0) {
  constexpr int64_t kMaxHalf = 256;
  const int64_t half = rotary_dim / 2;
  if (half > kMaxHalf) return ref::ropeNeox(x, T, N, D, rotary_dim, theta, pos0);
  alignas(32) float cs[kMaxHalf], sn[kMaxHalf];  // [half] cos and sin of this token's angles
  for (int64_t t = 0; t < T; ++t) {
    const double pos = static_cast<double>(pos0 + t);
    for (int64_t i = 0; i < half; ++i) {
      const double inv_freq = std::pow(theta, -2.0 * static_cast<double>(i) / static_cast<double>(rotary_dim));
      const double angle = pos * inv_freq;
      cs[i] = static_cast<float>(std::cos(angle));
      sn[i] = static_cast<float>(std::sin(angle));
    }
    for (int64_t n = 0; n < N; ++n) {
      float* xh = x + (t * N + n) * D;  // [D] one head
      for (int64_t i = 0; i < half; i += 8) {
        const __m256i m = laneMask(half - i);
        const __m256 a = _mm256_maskload_ps(xh + i, m), b = _mm256_maskload_ps(xh + i + half, m);
        const __m256 c = _mm256_maskload_ps(cs + i, m), s = _mm256_maskload_ps(sn + i, m);
        _mm256_maskstore_ps(xh + i, m, _mm256_sub_ps(_mm256_mul_ps(a, c), _mm256_mul_ps(b, s)));
        _mm256_maskstore_ps(xh + i + half, m, _mm256_add_ps(_mm256_mul_ps(b, c), _mm256_mul_ps(a, s)));
      }
    }
  }
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif
