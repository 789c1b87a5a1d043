// Lightning attention reference: the blockwise prefill, the decode recurrence and the direct O(T²)
// definition must agree, with the fp32 state carried across calls.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/cpu/ref_lightning.h"

using namespace folio::kernels::ref;

namespace {

// Dimension letters: T tokens, D head dim.
struct Qkv {
  int64_t T, D;
  std::vector<float> data;  // [T, 3, D] interleaved like one head of the qkv projection
  const float* q() const { return data.data(); }
  const float* k() const { return data.data() + D; }
  const float* v() const { return data.data() + 2 * D; }
  int64_t ld() const { return 3 * D; }
};

Qkv randomQkv(int64_t T, int64_t D, uint32_t seed) {
  Qkv r{T, D, std::vector<float>(static_cast<size_t>(T * 3 * D))};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (float& x : r.data) x = u(rng);
  return r;
}

// o_t = Σ_{p≤t} e^{−s(t−p)} (q_t·k_p) v_p in double. -> [T, D]
std::vector<double> direct(const Qkv& x, double s) {
  const int64_t T = x.T, D = x.D;
  std::vector<double> o(static_cast<size_t>(T * D), 0.0);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t p = 0; p <= t; ++p) {
      double dot = 0;
      for (int64_t a = 0; a < D; ++a) dot += double(x.q()[t * x.ld() + a]) * x.k()[p * x.ld() + a];
      const double w = dot * std::exp(-s * double(t - p));
      for (int64_t b = 0; b < D; ++b) o[t * D + b] += w * x.v()[p * x.ld() + b];
    }
  return o;
}

// Final state Σ_p e^{−s(T−1−p)} k_pᵀ v_p in double. -> [D, D]
std::vector<double> directState(const Qkv& x, double s) {
  const int64_t D = x.D;
  std::vector<double> S(static_cast<size_t>(D * D), 0.0);
  for (int64_t p = 0; p < x.T; ++p) {
    const double g = std::exp(-s * double(x.T - 1 - p));
    for (int64_t a = 0; a < D; ++a)
      for (int64_t b = 0; b < D; ++b) S[a * D + b] += g * x.k()[p * x.ld() + a] * x.v()[p * x.ld() + b];
  }
  return S;
}

template <class A, class B>
double relErr(const A& a, const B& b) {
  double num = 0, den = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    num += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
    den += double(b[i]) * double(b[i]);
  }
  return std::sqrt(num / den);
}

}  // namespace

class LightningRef : public ::testing::TestWithParam<std::tuple<int64_t, double>> {};

TEST_P(LightningRef, BlockwiseEqualsDirectEqualsRecurrence) {
  const auto [T, s] = GetParam();
  const int64_t D = 16;
  const Qkv x = randomQkv(T, D, static_cast<uint32_t>(T * 31 + 7));
  const std::vector<double> want = direct(x, s);
  const std::vector<double> want_state = directState(x, s);

  // blockwise, block 256, one call
  std::vector<float> state(D * D, 0.0f), out(T * D);
  int32_t pending = 0;
  lightningPrefillHead(x.q(), x.k(), x.v(), x.ld(), T, D, s, state.data(), &pending, out.data(), D, 256);
  const double e_block = relErr(out, want);
  EXPECT_LT(e_block, 1e-6) << "T=" << T << " s=" << s;
  EXPECT_LT(relErr(state, want_state), 1e-6);

  // recurrence, token by token
  std::vector<float> rstate(D * D, 0.0f), rout(T * D);
  int32_t rpending = 0;
  for (int64_t t = 0; t < T; ++t)
    lightningDecodeHead(x.q() + t * x.ld(), x.k() + t * x.ld(), x.v() + t * x.ld(), D, s, rstate.data(),
                        &rpending, rout.data() + t * D);
  lightningFoldHead(rstate.data(), D, s, &rpending);
  EXPECT_EQ(rpending, 0);
  const double e_rec = relErr(rout, want);
  EXPECT_LT(e_rec, 1e-6);
  EXPECT_LT(relErr(rstate, want_state), 1e-6);

  // another block size and the state carried across two calls (a chunk split at T/3)
  // (and a decode step in between, whose deferred decay the next prefill must fold in)
  std::vector<float> cstate(D * D, 0.0f), cout_(T * D);
  int32_t cpending = 0;
  const int64_t split = T / 3;
  lightningPrefillHead(x.q(), x.k(), x.v(), x.ld(), split, D, s, cstate.data(), &cpending, cout_.data(), D, 7);
  int64_t next = split;
  if (next < T) {
    lightningDecodeHead(x.q() + next * x.ld(), x.k() + next * x.ld(), x.v() + next * x.ld(), D, s, cstate.data(),
                        &cpending, cout_.data() + next * D);
    ++next;
  }
  lightningPrefillHead(x.q() + next * x.ld(), x.k() + next * x.ld(), x.v() + next * x.ld(), x.ld(), T - next, D,
                       s, cstate.data(), &cpending, cout_.data() + next * D, D, 100);
  lightningFoldHead(cstate.data(), D, s, &cpending);
  EXPECT_LT(relErr(cout_, want), 1e-6);
  EXPECT_LT(relErr(cstate, want_state), 1e-6);
  std::printf("[ lightning ] T=%lld s=%g rel err blockwise %.2e recurrence %.2e\n", static_cast<long long>(T), s,
              e_block, e_rec);
}

INSTANTIATE_TEST_SUITE_P(Sizes, LightningRef,
                         ::testing::Combine(::testing::Values<int64_t>(1, 7, 255, 256, 257, 600),
                                            ::testing::Values(0.0, 2.4e-8, 0.0039, 0.25, 1.0)));

TEST(LightningRefBasics, DecaySeparatesTokensAndStateMatters) {
  // A single token's output is (q·k) v whatever s is; a second token sees the first decayed by e^{−s}.
  const int64_t D = 2;
  const float qkv[2][6] = {{1, 0, 2, 0, 3, 4}, {0, 1, 1, 0, 0, 0}};  // rows q k v
  std::vector<float> state(D * D, 0.0f), out(2 * D);
  int32_t pending = 0;
  lightningPrefillHead(&qkv[0][0], &qkv[0][2], &qkv[0][4], 6, 2, D, std::log(2.0), state.data(), &pending,
                       out.data(), D);
  EXPECT_FLOAT_EQ(out[0], 2 * 3);
  EXPECT_FLOAT_EQ(out[1], 2 * 4);
  // token 1: q1·k0 = 0·2 + 1·0 = 0, q1·k1 = 1·0... both zero: output zero
  EXPECT_FLOAT_EQ(out[2], 0);
  EXPECT_FLOAT_EQ(out[3], 0);
  // state: S = ½ k0ᵀv0 + k1ᵀv1 = ½ [[6,8],[0,0]] + [[0,0],[0,0]]
  EXPECT_FLOAT_EQ(state[0], 3);
  EXPECT_FLOAT_EQ(state[1], 4);
  EXPECT_FLOAT_EQ(state[2], 0);
}
