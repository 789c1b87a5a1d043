#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/cpu/kernel_level.h"
#include "kernels/cpu/ref_softmax_attention.h"
#include "kernels/cpu/softmax_attention.h"
#include "kernels/cpu/avx2_gemm.h"
#include "kernels/cpu/avx2_math.h"
#include "kernels/cpu/avx512_gemm.h"

namespace folio::kernels {

int64_t softmaxAttentionScratch(int64_t P, int64_t D) {
  return P + avx2::blockedAttentionScratch(D);
}

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch) {
#if FOLIO_HAVE_X86
  if (D <= 256) {
    switch (kernelLevel()) {
      case KernelLevel::Avx512:
        return avx512::softmaxAttention(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scratch);
      case KernelLevel::Avx2:
        return avx2::softmaxAttention(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scratch);
      case KernelLevel::Reference: break;
    }
  }
#endif
  ref::softmaxAttention(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scratch);
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


// The blocked path for a chunk of queries: for the heads of one kv-head (G of them) and up to
// kRows / G tokens at a time, the rows (token, head) form a matrix Q [M, D]; each tile of kKeys keys
// gives S = Q·Kᵀ and O += P·V as small matrix products on the GEMM micro-kernel, with the online
// softmax between them. Each key and value row is read once per row block instead of once per query.
constexpr int64_t kRows = 64;

struct BlockScratch {
  float* qp;     // [M, D] the block's query rows
  float* o;      // [M, D] unnormalised outputs
  float* s;      // [M, kKeys] scores → probabilities
  float* kt;     // [D, kKeys] the key tile transposed
  float* mx;     // [M] running max
  float* sum;    // [M] running sum
  float* nan;    // [M] 1 when a visible score was NaN (the reference's row is NaN then)
};

BlockScratch carve(float* scratch, int64_t D) {
  BlockScratch b;
  b.qp = scratch;
  b.o = b.qp + kRows * D;
  b.s = b.o + kRows * D;
  b.kt = b.s + kRows * kKeys;
  b.mx = b.kt + D * kKeys;
  b.sum = b.mx + kRows;
  b.nan = b.sum + kRows;
  return b;
}

bool rowsFinite(const float* rows, int64_t n, int64_t stride, int64_t D) {
  __m256 bad = _mm256_setzero_ps();
  for (int64_t j = 0; j < n; ++j) {
    for (int64_t d = 0; d < D; d += 8) {
      const __m256 x = _mm256_maskload_ps(rows + j * stride + d, laneMask(D - d));
      bad = _mm256_or_ps(bad, _mm256_cmp_ps(_mm256_sub_ps(x, x), _mm256_setzero_ps(), _CMP_NEQ_UQ));
    }
  }
  return _mm256_movemask_ps(bad) == 0;
}

// Tokens t0 … t0+nt−1 of heads g·G … g·G+G−1 (kv-head g); row r = t·G + i.
void rowBlock(const float* q, const float* kc, const float* vc, int64_t p0, int64_t t0, int64_t nt, int64_t H,
              int64_t KV, int64_t D, int64_t g, int64_t G, float scale, float* out, const BlockScratch& b,
              GemmF32Fn gemm) {
  const int64_t M = nt * G;
  const int64_t kv_stride = KV * D;
  for (int64_t t = 0; t < nt; ++t) {
    for (int64_t i = 0; i < G; ++i) {
      const int64_t r = t * G + i;
      std::copy_n(q + ((t0 + t) * H + g * G + i) * D, D, b.qp + r * D);
      std::fill_n(b.o + r * D, D, 0.0f);
      b.mx[r] = -INFINITY;
      b.sum[r] = 0.0f;
      b.nan[r] = 0.0f;
    }
  }
  const int64_t n_all = p0 + t0 + nt;  // keys visible to the block's last token
  for (int64_t k0 = 0; k0 < n_all; k0 += kKeys) {
    const int64_t nk = std::min(kKeys, n_all - k0);
    const float* krows = kc + (k0 * KV + g) * D;
    for (int64_t j = 0; j < nk; ++j) {
      const float* kj = krows + j * kv_stride;
      for (int64_t d = 0; d < D; ++d) b.kt[d * kKeys + j] = kj[d];
    }
    gemm(M, nk, D, b.qp, D, b.kt, kKeys, b.s, kKeys, /*accumulate=*/false);
    // online softmax per row over the keys it can see (a causal prefix of the tile)
    for (int64_t r = 0; r < M; ++r) {
      float* sr = b.s + r * kKeys;
      const int64_t visible = std::clamp<int64_t>(p0 + t0 + r / G - k0 + 1, 0, nk);
      __m256 vm = _mm256_set1_ps(-INFINITY), vnan = _mm256_setzero_ps();
      const __m256 vscale = _mm256_set1_ps(scale);
      for (int64_t j = 0; j < visible; j += 8) {
        const __m256i m = laneMask(visible - j);
        const __m256 x = _mm256_mul_ps(_mm256_maskload_ps(sr + j, m), vscale);
        _mm256_maskstore_ps(sr + j, m, x);
        vnan = _mm256_or_ps(vnan, _mm256_and_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q), _mm256_castsi256_ps(m)));
        vm = _mm256_max_ps(vm, _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), x, _mm256_castsi256_ps(m)));
      }
      if (_mm256_movemask_ps(vnan)) b.nan[r] = 1.0f;
      const float new_max = std::max(b.mx[r], hmax(vm));
      if (visible == 0 || new_max == -INFINITY) {
        std::fill_n(sr, nk, 0.0f);  // nothing visible: this row takes no weight from the tile
        continue;
      }
      const float corr = b.mx[r] == -INFINITY ? 0.0f : std::exp(b.mx[r] - new_max);
      b.mx[r] = new_max;
      __m256 vs = _mm256_setzero_ps();
      const __m256 nmx = _mm256_set1_ps(new_max);
      for (int64_t j = 0; j < nk; j += 8) {
        const __m256i m = laneMask(visible - j);
        const __m256 p = _mm256_and_ps(exp(_mm256_sub_ps(_mm256_maskload_ps(sr + j, m), nmx)), _mm256_castsi256_ps(m));
        _mm256_maskstore_ps(sr + j, laneMask(nk - j), p);
        vs = _mm256_add_ps(vs, p);
      }
      b.sum[r] = b.sum[r] * corr + hsum(vs);
      if (corr != 1.0f) {
        const __m256 c = _mm256_set1_ps(corr);
        float* orow = b.o + r * D;
        for (int64_t d = 0; d < D; d += 8) {
          const __m256i m = laneMask(D - d);
          _mm256_maskstore_ps(orow + d, m, _mm256_mul_ps(_mm256_maskload_ps(orow + d, m), c));
        }
      }
    }
    // O += P·V. Rows a query cannot see hold zero weight, but 0 × inf/NaN would still poison it: when
    // such a row is not finite, each query adds only the rows it sees.
    const float* vrows = vc + (k0 * KV + g) * D;
    const int64_t seen_by_all = std::clamp<int64_t>(p0 + t0 - k0 + 1, 0, nk);
    if (seen_by_all == nk || rowsFinite(vrows + seen_by_all * kv_stride, nk - seen_by_all, kv_stride, D)) {
      gemm(M, D, nk, b.s, kKeys, vrows, kv_stride, b.o, D, /*accumulate=*/true);
    } else {
      for (int64_t r = 0; r < M; ++r) {
        const int64_t visible = std::clamp<int64_t>(p0 + t0 + r / G - k0 + 1, 0, nk);
        gemm(1, D, visible, b.s + r * kKeys, kKeys, vrows, kv_stride, b.o + r * D, D, /*accumulate=*/true);
      }
    }
  }
  for (int64_t r = 0; r < M; ++r) {
    float* dst = out + ((t0 + r / G) * H + g * G + r % G) * D;
    const __m256 inv = _mm256_set1_ps(b.nan[r] != 0.0f ? NAN : 1.0f / b.sum[r]);
    for (int64_t d = 0; d < D; d += 8) {
      const __m256i m = laneMask(D - d);
      _mm256_maskstore_ps(dst + d, m, _mm256_mul_ps(_mm256_maskload_ps(b.o + r * D + d, m), inv));
    }
  }
}

// All heads [h_begin, h_end) with the blocked products done by `gemm` (the micro-kernel of either level).
void attendHeads(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                 int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch, GemmF32Fn gemm) {
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  const int64_t G = H / KV;
  // whole kv-head groups go through the blocked path, row blocks of kRows / G tokens, so each key and
  // value row is read once per block (a group larger than kRows, or a lone query of a lone head, takes
  // the per-query tiles)
  if ((T > 1 || G > 1) && G <= kRows) {
    const BlockScratch b = carve(scratch, D);
    const int64_t tokens = kRows / G;
    int64_t h = h_begin;
    for (; h < h_end && h % G != 0; ++h) {
      for (int64_t t0 = 0; t0 < T; t0 += kQ) queryTile(q, kcache, vcache, p0, t0, std::min(kQ, T - t0), H, KV, D, h, scale, out);
    }
    for (; h + G <= h_end; h += G) {
      for (int64_t t0 = 0; t0 < T; t0 += tokens) {
        rowBlock(q, kcache, vcache, p0, t0, std::min(tokens, T - t0), H, KV, D, h / G, G, scale, out, b, gemm);
      }
    }
    h_begin = h;
  }
  for (int64_t h = h_begin; h < h_end; ++h) {
    for (int64_t t0 = 0; t0 < T; t0 += kQ) {
      queryTile(q, kcache, vcache, p0, t0, std::min(kQ, T - t0), H, KV, D, h, scale, out);
    }
  }
}

}  // namespace

int64_t blockedAttentionScratch(int64_t D) {
  return 2 * kRows * D + kRows * kKeys + D * kKeys + 3 * kRows;
}

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch) {
  attendHeads(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scratch, gemmF32);
}

}  // namespace folio::kernels::avx2

namespace folio::kernels::avx512 {

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch) {
  avx2::attendHeads(q, kcache, vcache, p0, T, H, KV, D, out, h_begin, h_end, scratch, gemmF32);
}

}  // namespace folio::kernels::avx512
FOLIO_AVX2_END
#endif
