#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/cpu/cpu_features.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/avx2_math.h"

namespace folio::kernels {

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
#if FOLIO_HAVE_X86
  if (hasAvx2Fma()) return avx2::matmulRows(x, T, w, y, n_begin, n_end);
#endif
  ref::matmulRows(x, T, w, y, n_begin, n_end);
}

}  // namespace folio::kernels

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace folio::kernels::avx2 {
namespace {

constexpr int64_t kTokenTile = 48;  // tokens whose x rows stay in cache while a row block is swept

// 8 weights at element index k of a row, as fp32.
template <DType DT>
inline __m256 load8(const void* row, int64_t k) {
  if constexpr (DT == DType::F32) {
    return _mm256_loadu_ps(static_cast<const float*>(row) + k);
  } else if constexpr (DT == DType::BF16) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(row) + k));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
  } else if constexpr (DT == DType::F16) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(row) + k)));
  } else {
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(static_cast<const int8_t*>(row) + k));
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
  }
}

// The last r < 8 weights from k, zero padded (the padded lanes multiply zeros).
template <DType DT>
inline __m256 loadTail(const void* row, int64_t k, int64_t r) {
  alignas(32) unsigned char buf[32] = {};
  std::memcpy(buf, static_cast<const unsigned char*>(row) + static_cast<size_t>(k) * dtypeSize(DT),
              static_cast<size_t>(r) * dtypeSize(DT));
  return load8<DT>(buf, 0);
}

// y[t + j, n + i] for i < R, j < TT from the R weight rows at `w` (row_bytes apart, stored as DT) times
// scales[i] when given: one 8-lane accumulator per output, k ascending, then hsum; so the arithmetic
// of an output does not depend on R, TT, where the block starts or whether its rows were widened.
template <DType DT, int R, int TT>
inline void block(const float* x, int64_t K, const unsigned char* w, size_t row_bytes, const float* scales,
                  float* y, int64_t N, int64_t n, int64_t t) {
  __m256 acc[R][TT];
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < TT; ++j) acc[i][j] = _mm256_setzero_ps();
  const void* rows[R];
  for (int i = 0; i < R; ++i) rows[i] = w + static_cast<size_t>(i) * row_bytes;
  const float* xs[TT];
  for (int j = 0; j < TT; ++j) xs[j] = x + (t + j) * K;
  int64_t k = 0;
  if constexpr (TT == 1 && R == 4) {
    // one token (decode): the rows are streamed once from memory, each only a few KiB long, too short
    // for the hardware prefetcher to run ahead; so fetch the next 4-row block's line at the same k
    // while this one is consumed (prefetching past the matrix's end is harmless: it never faults)
    constexpr int64_t kPerLine = 64 / static_cast<int64_t>(dtypeSize(DT));
    for (; k + kPerLine <= K; k += kPerLine) {
      for (int i = 0; i < R; ++i) {
        _mm_prefetch(static_cast<const char*>(rows[i]) + R * row_bytes + static_cast<size_t>(k) * dtypeSize(DT),
                     _MM_HINT_T0);
      }
      for (int64_t kk = k; kk < k + kPerLine; kk += 8) {
        const __m256 xv = _mm256_loadu_ps(xs[0] + kk);
        for (int i = 0; i < R; ++i) acc[i][0] = _mm256_fmadd_ps(load8<DT>(rows[i], kk), xv, acc[i][0]);
      }
    }
  }
  for (; k + 8 <= K; k += 8) {
    __m256 xv[TT];
    for (int j = 0; j < TT; ++j) xv[j] = _mm256_loadu_ps(xs[j] + k);
    for (int i = 0; i < R; ++i) {
      const __m256 wv = load8<DT>(rows[i], k);
      for (int j = 0; j < TT; ++j) acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
    }
  }
  if (k < K) {
    const __m256i m = laneMask(K - k);
    __m256 xv[TT];
    for (int j = 0; j < TT; ++j) xv[j] = _mm256_maskload_ps(xs[j] + k, m);
    for (int i = 0; i < R; ++i) {
      const __m256 wv = loadTail<DT>(rows[i], k, K - k);
      for (int j = 0; j < TT; ++j) acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
    }
  }
  for (int i = 0; i < R; ++i) {
    const float s = scales ? scales[i] : 1.0f;
    for (int j = 0; j < TT; ++j) y[(t + j) * N + n + i] = hsum(acc[i][j]) * s;
  }
}

template <DType DT, int R>
inline void rowBlock(const float* x, int64_t t0, int64_t t1, int64_t K, const unsigned char* w, size_t rb,
                     const float* sc, float* y, int64_t N, int64_t n) {
  int64_t t = t0;
  for (; t + 3 <= t1; t += 3) block<DT, R, 3>(x, K, w, rb, sc, y, N, n, t);
  if (t1 - t == 2) block<DT, R, 2>(x, K, w, rb, sc, y, N, n, t);
  if (t1 - t == 1) block<DT, R, 1>(x, K, w, rb, sc, y, N, n, t);
}

// Tokens from which a 4-row block is widened to fp32 once and swept as fp32 by every token triple:
// the conversion then costs a fraction of the products instead of two extra uops per weight vector on
// the FMA ports (the values, and so the results, are exactly the same).
constexpr int64_t kWidenFromTokens = 12;

// The 4 rows at w as fp32 [4, K] (exact: bf16/f16 widen without rounding; int8 stays unscaled, the
// scale is applied to the sums as in block()).
template <DType DT>
void widenRows(const unsigned char* w, size_t rb, int64_t K, float* out) {
  for (int64_t i = 0; i < 4; ++i) {
    const unsigned char* row = w + static_cast<size_t>(i) * rb;
    float* o = out + i * K;
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) _mm256_storeu_ps(o + k, load8<DT>(row, k));
    if (k < K) _mm256_maskstore_ps(o + k, laneMask(K - k), loadTail<DT>(row, k, K - k));
  }
}

// Per-thread buffer for widened rows; grows to the largest 4·K once per thread (prefill only).
float* widenScratch(int64_t floats) {
  thread_local std::vector<float> buf;
  if (static_cast<int64_t>(buf.size()) < floats) buf.resize(static_cast<size_t>(floats));
  return buf.data();
}

template <DType DT>
void run(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  const int64_t K = w.cols, N = w.rows;
  const auto* base = static_cast<const unsigned char*>(w.data);
  const size_t rb = static_cast<size_t>(K) * dtypeSize(DT);
  const float* scales = DT == DType::I8 ? w.row_scales : nullptr;
  const bool widen = DT != DType::F32 && T >= kWidenFromTokens;
  float* wide = widen ? widenScratch(4 * K) : nullptr;
  for (int64_t t0 = 0; t0 < T; t0 += kTokenTile) {
    const int64_t t1 = std::min(T, t0 + kTokenTile);
    int64_t n = n_begin;
    for (; n + 4 <= n_end; n += 4) {
      const float* sc = scales ? scales + n : nullptr;
      if (widen) {
        widenRows<DT>(base + static_cast<size_t>(n) * rb, rb, K, wide);
        rowBlock<DType::F32, 4>(x, t0, t1, K, reinterpret_cast<const unsigned char*>(wide), static_cast<size_t>(K) * 4,
                                sc, y, N, n);
      } else {
        rowBlock<DT, 4>(x, t0, t1, K, base + static_cast<size_t>(n) * rb, rb, sc, y, N, n);
      }
    }
    for (; n < n_end; ++n) {
      rowBlock<DT, 1>(x, t0, t1, K, base + static_cast<size_t>(n) * rb, rb, scales ? scales + n : nullptr, y, N, n);
    }
  }
}

}  // namespace

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  switch (w.dtype) {
    case DType::F32: return run<DType::F32>(x, T, w, y, n_begin, n_end);
    case DType::BF16: return run<DType::BF16>(x, T, w, y, n_begin, n_end);
    case DType::F16: return run<DType::F16>(x, T, w, y, n_begin, n_end);
    case DType::I8: return run<DType::I8>(x, T, w, y, n_begin, n_end);
  }
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif
