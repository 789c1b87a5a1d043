// Lightning prefill and softmax attention of each level (AVX2, AVX-512, called directly; skipped where
// the CPU lacks it) and the dispatched lightning decode against the plain references at odd sizes and
// lengths that cross block boundaries. Dimension letters: T tokens, H heads, KV kv-heads, D head dim.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/cpu/avx2_target.h"
#include "kernels/cpu/lightning.h"
#include "kernels/cpu/ref_lightning.h"
#include "kernels/cpu/ref_softmax_attention.h"
#include "kernels/cpu/softmax_attention.h"
#include "opt_compare.h"

using namespace folio::kernels;
using folio::test::expectClose;
using folio::test::randomVector;

namespace {

using PrefillFn = void (*)(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                           float* state, int32_t* pending, float* out, int64_t ldo, float* scratch);
using AttentionFn = void (*)(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                             int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch);

PrefillFn prefillAt(KernelLevel level) {
#if FOLIO_HAVE_X86
  if (level == KernelLevel::Avx512) return avx512::lightningPrefillHead;
  if (level == KernelLevel::Avx2) return avx2::lightningPrefillHead;
#endif
  return lightningPrefillHead;
}

AttentionFn attentionAt(KernelLevel level) {
#if FOLIO_HAVE_X86
  if (level == KernelLevel::Avx512) return avx512::softmaxAttention;
  if (level == KernelLevel::Avx2) return avx2::softmaxAttention;
#endif
  return softmaxAttention;
}

class OptLightning : public folio::test::PerLevel {};
class OptSoftmaxAttention : public folio::test::PerLevel {};

}  // namespace

TEST_P(OptLightning, PrefillMatchesReference) {
  const PrefillFn prefill = prefillAt(GetParam());
  struct Case { int64_t T, D; double s; };
  for (const Case c : {Case{1, 1, 0.1}, Case{7, 7, 0.5}, Case{19, 19, 1e-3}, Case{257, 8, 0.02},
                       Case{300, 64, 1e-5}, Case{130, 128, 0.7}, Case{1000, 16, 1e-2}}) {
    // q, k, v interleaved as [T, 3, D] (ld = 3D), outputs [T, D]; a non-zero incoming state with pending decay
    const int64_t ld = 3 * c.D;
    const std::vector<float> qkv = randomVector(static_cast<size_t>(c.T * ld), static_cast<uint32_t>(c.T + c.D), 0, 1);
    std::vector<float> s0 = randomVector(static_cast<size_t>(c.D * c.D), 3, -0.5f, 0.5f);
    std::vector<float> s1 = s0, out(static_cast<size_t>(c.T * c.D)), ref_out(out.size());
    int32_t p0 = 3, p1 = 3;
    std::vector<float> scratch(static_cast<size_t>(lightningPrefillScratch(c.D)));
    prefill(qkv.data(), qkv.data() + c.D, qkv.data() + 2 * c.D, ld, c.T, c.D, c.s, s0.data(), &p0, out.data(), c.D,
            scratch.data());
    ref::lightningPrefillHead(qkv.data(), qkv.data() + c.D, qkv.data() + 2 * c.D, ld, c.T, c.D, c.s, s1.data(), &p1,
                              ref_out.data(), c.D, 256);
    const std::string what = "T=" + std::to_string(c.T) + " D=" + std::to_string(c.D);
    expectClose(out, ref_out, 2e-5, "lightning prefill out " + what);
    expectClose(s0, s1, 2e-5, "lightning prefill state " + what);
    EXPECT_EQ(p0, 0);
  }
}

TEST_P(OptLightning, PrefillPropagatesNan) {
  const PrefillFn prefill = prefillAt(GetParam());
  const int64_t T = 70, D = 9, ld = 3 * D;
  std::vector<float> qkv = randomVector(static_cast<size_t>(T * ld), 1, 0, 1);
  qkv[static_cast<size_t>(66 * ld + 2 * D + 4)] = NAN;  // v of token 66, dim 4
  std::vector<float> s0(static_cast<size_t>(D * D), 0.0f), s1 = s0, out(static_cast<size_t>(T * D)), r(out.size());
  int32_t p0 = 0, p1 = 0;
  std::vector<float> scratch(static_cast<size_t>(lightningPrefillScratch(D)));
  prefill(qkv.data(), qkv.data() + D, qkv.data() + 2 * D, ld, T, D, 0.1, s0.data(), &p0, out.data(), D, scratch.data());
  ref::lightningPrefillHead(qkv.data(), qkv.data() + D, qkv.data() + 2 * D, ld, T, D, 0.1, s1.data(), &p1, r.data(), D, 256);
  expectClose(out, r, 2e-5, "lightning NaN out");
  expectClose(s0, s1, 2e-5, "lightning NaN state");
}

TEST(OptLightningDecode, MatchesReference) {
  for (int64_t D : {1, 7, 19, 64, 128}) {
    for (double s : {1e-6, 0.05, 3.0}) {
      std::vector<float> s0 = randomVector(static_cast<size_t>(D * D), 4, -0.5f, 0.5f), s1 = s0;
      int32_t p0 = 0, p1 = 0;
      std::vector<float> outs, refs;
      for (int step = 0; step < 9; ++step) {
        const std::vector<float> qkv = randomVector(static_cast<size_t>(3 * D), static_cast<uint32_t>(step + D), 0, 1);
        std::vector<float> o(static_cast<size_t>(D)), r(o.size());
        lightningDecodeHead(qkv.data(), qkv.data() + D, qkv.data() + 2 * D, D, s, s0.data(), &p0, o.data());
        ref::lightningDecodeHead(qkv.data(), qkv.data() + D, qkv.data() + 2 * D, D, s, s1.data(), &p1, r.data());
        outs.insert(outs.end(), o.begin(), o.end());
        refs.insert(refs.end(), r.begin(), r.end());
      }
      EXPECT_EQ(p0, p1);
      const std::string what = "D=" + std::to_string(D) + " s=" + std::to_string(s);
      expectClose(outs, refs, 1e-5, "lightning decode out " + what);
      expectClose(s0, s1, 1e-5, "lightning decode state " + what);
    }
  }
}

TEST_P(OptSoftmaxAttention, MatchesReferenceForPrefillAndDecode) {
  const AttentionFn attention = attentionAt(GetParam());
  struct Case { int64_t p0, T, H, KV, D; };
  // the blocked path: groups of 1, 2, 3, 8 and 65 (larger than a row block) heads per kv-head, row
  // blocks cut mid-chunk, key tiles cut mid-block, D not a multiple of 8
  for (const Case c : {Case{0, 1, 1, 1, 1}, Case{0, 7, 4, 2, 7}, Case{5, 19, 6, 3, 19}, Case{0, 257, 2, 1, 64},
                       Case{300, 1, 8, 2, 128}, Case{1000, 3, 4, 4, 16}, Case{63, 66, 3, 1, 8},
                       Case{130, 70, 16, 2, 24}, Case{0, 33, 65, 1, 8}, Case{127, 129, 3, 3, 200}}) {
    const int64_t P = c.p0 + c.T;
    const std::vector<float> q = randomVector(static_cast<size_t>(c.T * c.H * c.D), 1, -2, 2);
    const std::vector<float> kc = randomVector(static_cast<size_t>(P * c.KV * c.D), 2, -2, 2);
    const std::vector<float> vc = randomVector(static_cast<size_t>(P * c.KV * c.D), 3);
    std::vector<float> out(q.size()), r(q.size()), scores(static_cast<size_t>(softmaxAttentionScratch(P, c.D)));
    attention(q.data(), kc.data(), vc.data(), c.p0, c.T, c.H, c.KV, c.D, out.data(), 0, c.H, scores.data());
    ref::softmaxAttention(q.data(), kc.data(), vc.data(), c.p0, c.T, c.H, c.KV, c.D, r.data(), 0, c.H, scores.data());
    expectClose(out, r, 1e-5, "softmax attention p0=" + std::to_string(c.p0) + " T=" + std::to_string(c.T) +
                                  " D=" + std::to_string(c.D));
  }
}

TEST_P(OptSoftmaxAttention, NanPositionsMatchReference) {
  const AttentionFn attention = attentionAt(GetParam());
  const int64_t p0 = 10, T = 9, H = 2, KV = 1, D = 11, P = p0 + T;
  const std::vector<float> q = randomVector(static_cast<size_t>(T * H * D), 1);
  std::vector<float> kc = randomVector(static_cast<size_t>(P * KV * D), 2);
  std::vector<float> vc = randomVector(static_cast<size_t>(P * KV * D), 3);
  kc[static_cast<size_t>(14 * D + 3)] = NAN;  // key 14: queries at positions ≥ 14 become NaN
  vc[static_cast<size_t>(12 * D + 5)] = NAN;  // value 12 dim 5: dim 5 NaN from position 12 on
  std::vector<float> out(q.size()), r(q.size()), scores(static_cast<size_t>(softmaxAttentionScratch(P, D)));
  attention(q.data(), kc.data(), vc.data(), p0, T, H, KV, D, out.data(), 0, H, scores.data());
  ref::softmaxAttention(q.data(), kc.data(), vc.data(), p0, T, H, KV, D, r.data(), 0, H, scores.data());
  expectClose(out, r, 1e-5, "softmax attention NaN");
}

TEST_P(OptSoftmaxAttention, LaterTokensInfOrNanDoNotReachEarlierQueries) {
  const AttentionFn attention = attentionAt(GetParam());
  // a chunk whose last value rows are inf/NaN: in the blocked path those rows are in the same key tile
  // as earlier queries, which give them zero weight (0 × inf must not leak into those outputs)
  const int64_t p0 = 40, T = 30, H = 4, KV = 2, D = 9, P = p0 + T;
  const std::vector<float> q = randomVector(static_cast<size_t>(T * H * D), 4);
  const std::vector<float> kc = randomVector(static_cast<size_t>(P * KV * D), 5);
  std::vector<float> vc = randomVector(static_cast<size_t>(P * KV * D), 6);
  vc[static_cast<size_t>((65 * KV + 0) * D + 2)] = INFINITY;
  vc[static_cast<size_t>((68 * KV + 1) * D + 7)] = NAN;
  std::vector<float> out(q.size()), r(q.size()), scores(static_cast<size_t>(softmaxAttentionScratch(P, D)));
  for (const auto& [h0, h1] : {std::pair<int64_t, int64_t>{0, H}, {1, 3}}) {
    std::fill(out.begin(), out.end(), 0.0f);
    std::fill(r.begin(), r.end(), 0.0f);
    attention(q.data(), kc.data(), vc.data(), p0, T, H, KV, D, out.data(), h0, h1, scores.data());
    ref::softmaxAttention(q.data(), kc.data(), vc.data(), p0, T, H, KV, D, r.data(), h0, h1, scores.data());
    expectClose(out, r, 1e-5, "softmax attention inf/NaN values, heads [" + std::to_string(h0) + ", " + std::to_string(h1) + ")");
  }
}

FOLIO_INSTANTIATE_PER_LEVEL(OptLightning);
FOLIO_INSTANTIATE_PER_LEVEL(OptSoftmaxAttention);
