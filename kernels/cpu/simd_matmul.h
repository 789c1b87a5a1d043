// The body of the optimised matrix products (matmul.h), generic over SIMD traits S (avx2::Simd in
// avx2_math.h, avx512::Simd in avx512_math.h) so every instruction-set level runs the same algorithm:
// conversion on the fly, fp32 accumulation in S::kLanes lanes per output, register blocks of R rows × TT
// tokens, tokens tiled so each weight row is read from memory once per tile.
// Include it only inside one level's target region (after FOLIO_AVX2_BEGIN or FOLIO_AVX512_BEGIN, every
// standard header included before it), so the templates are compiled for that level; everything here
// depends on S, so the levels' instantiations never mix.
// Dimension letters: T tokens (rows of x), K input features, N output features (rows of W).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/cpu/dtype.h"
#include "kernels/cpu/ref_matmul.h"

namespace folio::kernels::simd {

constexpr int64_t kTokenTile = 48;  // tokens whose x rows stay in cache while a row block is swept

// Tokens from which a row block is widened to fp32 once per tile and swept as fp32 by every token
// block: the conversion then costs a fraction of the products instead of extra uops per weight vector
// on the FMA ports (the values, and so the results, are exactly the same). Below 32 tokens (an expert's
// share of a MoE prefill) converting on the fly was faster on Zen 5: 32 bf16 experts × 16 tokens took
// 6.0 instead of 9.2 ms (AVX2) and 5.4 instead of 6.4 ms (AVX-512) than when widened from 12 tokens.
constexpr int64_t kWidenFromTokens = 32;

// The last r < kLanes weights from k, zero padded (the padded lanes multiply zeros).
template <class S, DType DT>
inline typename S::V loadTail(const void* row, int64_t k, int64_t r) {
  alignas(64) unsigned char buf[S::kLanes * 4] = {};
  std::memcpy(buf, static_cast<const unsigned char*>(row) + static_cast<size_t>(k) * dtypeSize(DT),
              static_cast<size_t>(r) * dtypeSize(DT));
  return S::template widen<DT>(buf, 0);
}

// y[t + j, n + i] for i < R, j < TT from the R weight rows at `w` (row_bytes apart, stored as DT) times
// scales[i] when given: one accumulator per output, k ascending, then S::sum; so the arithmetic of an
// output does not depend on R, TT, where the block starts, whether its rows were widened or prefetched.
// `streamed`: this block is the first to read its rows, from memory (see tokenBlocks).
template <class S, int RB, DType DT, int R, int TT>
inline void block(const float* x, int64_t K, const unsigned char* w, size_t row_bytes, const float* scales, float* y,
                  int64_t N, int64_t n, int64_t t, bool streamed) {
  using V = typename S::V;
  constexpr int64_t L = S::kLanes;
  V acc[R][TT];
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < TT; ++j) acc[i][j] = S::zero();
  const void* rows[R];
  for (int i = 0; i < R; ++i) rows[i] = w + static_cast<size_t>(i) * row_bytes;
  const float* xs[TT];
  for (int j = 0; j < TT; ++j) xs[j] = x + (t + j) * K;
  // the products of the L weights from k of each row with the TT tokens
  const auto step = [&](int64_t k) {
    V xv[TT];
#pragma GCC unroll 8
    for (int j = 0; j < TT; ++j) xv[j] = S::load(xs[j] + k);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
      const V wv = S::template widen<DT>(rows[i], k);
#pragma GCC unroll 8
      for (int j = 0; j < TT; ++j) acc[i][j] = S::fma(wv, xv[j], acc[i][j]);
    }
  };
  int64_t k = 0;
  if constexpr (R == RB) {
    if (streamed) {
      // rows streamed from memory (decode, and a few tokens' first pass) are only a few KiB long, too
      // short for the hardware prefetcher to run ahead; so fetch the next row block's line at the same
      // k while this one is consumed (prefetching past the matrix's end is harmless: it never faults)
      constexpr int64_t kPerLine = 64 / static_cast<int64_t>(dtypeSize(DT));
      for (; k + kPerLine <= K; k += kPerLine) {
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
          _mm_prefetch(static_cast<const char*>(rows[i]) + R * row_bytes + static_cast<size_t>(k) * dtypeSize(DT),
                       _MM_HINT_T0);
        }
#pragma GCC unroll 4
        for (int64_t kk = k; kk < k + kPerLine; kk += L) step(kk);
      }
    }
  }
  for (; k + L <= K; k += L) step(k);
  if (k < K) {
    const typename S::Mask m = S::mask(K - k);
    V xv[TT];
    for (int j = 0; j < TT; ++j) xv[j] = S::loadMasked(xs[j] + k, m);
    for (int i = 0; i < R; ++i) {
      const V wv = loadTail<S, DT>(rows[i], k, K - k);
      for (int j = 0; j < TT; ++j) acc[i][j] = S::fma(wv, xv[j], acc[i][j]);
    }
  }
  for (int i = 0; i < R; ++i) {
    const float s = scales ? scales[i] : 1.0f;
    for (int j = 0; j < TT; ++j) y[(t + j) * N + n + i] = S::sum(acc[i][j]) * s;
  }
}

// Tokens [t, t1) against R rows: blocks of TT tokens, then one block of each smaller size that remains.
// The first block (t == t0) reads the rows from memory unless they were widened into a buffer.
template <class S, int RB, DType DT, int R, int TT>
inline void tokenBlocks(const float* x, int64_t t0, int64_t t, int64_t t1, int64_t K, const unsigned char* w,
                        size_t rb, const float* sc, float* y, int64_t N, int64_t n, bool from_memory) {
  for (; t + TT <= t1; t += TT) block<S, RB, DT, R, TT>(x, K, w, rb, sc, y, N, n, t, from_memory && t == t0);
  if constexpr (TT > 1) tokenBlocks<S, RB, DT, R, TT - 1>(x, t0, t, t1, K, w, rb, sc, y, N, n, from_memory);
}

// The RB rows at w as fp32 [RB, K] (exact: bf16/f16 widen without rounding; int8 stays
// unscaled, the scale is applied to the sums as in block()).
template <class S, int RB, DType DT>
void widenRows(const unsigned char* w, size_t rb, int64_t K, float* out) {
  constexpr int64_t L = S::kLanes;
  for (int64_t i = 0; i < RB; ++i) {
    const unsigned char* row = w + static_cast<size_t>(i) * rb;
    float* o = out + i * K;
    int64_t k = 0;
    for (; k + L <= K; k += L) S::store(o + k, S::template widen<DT>(row, k));
    if (k < K) S::storeMasked(o + k, S::mask(K - k), loadTail<S, DT>(row, k, K - k));
  }
}

// Per-thread buffer for widened rows; grows to the largest RB·K once per thread (prefill only).
template <class S>
float* widenScratch(int64_t floats) {
  thread_local std::vector<float> buf;
  if (static_cast<int64_t>(buf.size()) < floats) buf.resize(static_cast<size_t>(floats));
  return buf.data();
}

// y[t, n] for n in [n_begin, n_end): the contract of matmul.h, with register blocks of RB rows × TT tokens.
template <class S, int RB, int TT, DType DT>
void matmulRowsOf(const float* x, int64_t T, const ref::WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  const int64_t K = w.cols, N = w.rows;
  const auto* base = static_cast<const unsigned char*>(w.data);
  const size_t rb = static_cast<size_t>(K) * dtypeSize(DT);
  const float* scales = DT == DType::I8 ? w.row_scales : nullptr;
  const bool widen = DT != DType::F32 && T >= kWidenFromTokens;
  float* wide = widen ? widenScratch<S>(RB * K) : nullptr;
  const auto* wide_bytes = reinterpret_cast<const unsigned char*>(wide);
  const size_t wide_rb = static_cast<size_t>(K) * sizeof(float);
  for (int64_t t0 = 0; t0 < T; t0 += kTokenTile) {
    const int64_t t1 = std::min(T, t0 + kTokenTile);
    int64_t n = n_begin;
    for (; n + RB <= n_end; n += RB) {
      const float* sc = scales ? scales + n : nullptr;
      if (widen) {
        widenRows<S, RB, DT>(base + static_cast<size_t>(n) * rb, rb, K, wide);
        tokenBlocks<S, RB, DType::F32, RB, TT>(x, t0, t0, t1, K, wide_bytes, wide_rb, sc, y, N, n, false);
      } else {
        tokenBlocks<S, RB, DT, RB, TT>(x, t0, t0, t1, K, base + static_cast<size_t>(n) * rb, rb, sc, y, N, n, true);
      }
    }
    for (; n < n_end; ++n) {
      tokenBlocks<S, RB, DT, 1, TT>(x, t0, t0, t1, K, base + static_cast<size_t>(n) * rb, rb, scales ? scales + n : nullptr,
                                    y, N, n, true);
    }
  }
}

template <class S, int RB, int TT>
void matmulRows(const float* x, int64_t T, const ref::WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  switch (w.dtype) {
    case DType::F32: return matmulRowsOf<S, RB, TT, DType::F32>(x, T, w, y, n_begin, n_end);
    case DType::BF16: return matmulRowsOf<S, RB, TT, DType::BF16>(x, T, w, y, n_begin, n_end);
    case DType::F16: return matmulRowsOf<S, RB, TT, DType::F16>(x, T, w, y, n_begin, n_end);
    case DType::I8: return matmulRowsOf<S, RB, TT, DType::I8>(x, T, w, y, n_begin, n_end);
  }
}

}  // namespace folio::kernels::simd
