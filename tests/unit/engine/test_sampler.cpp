// Sampler: greedy = argmax, top-k = 1 and tiny top-p reduce to greedy, temperature → 0, seed
// reproducibility, the drawn distribution over many draws at a fixed seed, and the split into one
// uniform draw (nextUniform) plus the selection for it (sampleWith) against the selection by definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "engine/generation/sampler.h"
#include "support/sampling_reference.h"

using folio::engine::argmaxLogit;
using folio::engine::Sampler;
using folio::engine::SamplingParams;
using folio::engine::validateSamplingParams;

namespace {

std::vector<float> randomLogits(int v, uint64_t seed, float scale = 3.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> out(static_cast<size_t>(v));
  for (float& x : out) x = dist(rng);
  return out;
}

SamplingParams params(double temperature, int top_k = 0, double top_p = 1.0) {
  SamplingParams p;
  p.temperature = temperature;
  p.top_k = top_k;
  p.top_p = top_p;
  return p;
}

}  // namespace

TEST(Sampler, ArgmaxTiesGoToTheLowerIndexAndNanNeverWins) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(argmaxLogit(std::vector<float>{1, 3, 3, 2}), 1);
  EXPECT_EQ(argmaxLogit(std::vector<float>{nan, -1, nan, -0.5f}), 3);
  EXPECT_EQ(argmaxLogit(std::vector<float>{-INFINITY, -INFINITY, 0}), 2);
}

TEST(Sampler, GreedyIsArgmax) {
  for (int v : {1, 7, 19, 257, 1000}) {
    for (uint64_t s = 0; s < 5; ++s) {
      const auto logits = randomLogits(v, s * 31 + static_cast<uint64_t>(v));
      Sampler sampler(v, params(0.0), s);
      const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
      EXPECT_EQ(sampler.sample(logits), best) << "V=" << v;
    }
  }
}

TEST(Sampler, TopKOneIsGreedyAtAnyTemperature) {
  const auto logits = randomLogits(257, 5);
  const int32_t best = argmaxLogit(logits);
  Sampler sampler(257, params(5.0, 1), 123);
  for (int i = 0; i < 200; ++i) ASSERT_EQ(sampler.sample(logits), best);
}

TEST(Sampler, TinyTopPIsGreedy) {
  const auto logits = randomLogits(1000, 9);
  const int32_t best = argmaxLogit(logits);
  Sampler sampler(1000, params(2.0, 0, 1e-9), 77);
  for (int i = 0; i < 200; ++i) ASSERT_EQ(sampler.sample(logits), best);
}

TEST(Sampler, TemperatureTowardsZeroConvergesToGreedy) {
  // Two leading logits 0.1 apart: at T = 1 the runner-up is drawn often, at T = 1e-3 its probability is
  // e^-100 and at T = 1e-30 the exponent underflows to exactly zero.
  std::vector<float> logits(19, -5.0f);
  logits[4] = 2.0f;
  logits[11] = 1.9f;
  int runner_up_at_one = 0;
  Sampler warm(19, params(1.0), 42);
  for (int i = 0; i < 1000; ++i) runner_up_at_one += warm.sample(logits) == 11;
  EXPECT_GT(runner_up_at_one, 300);
  for (double t : {1e-3, 1e-30}) {
    Sampler cold(19, params(t), 42);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(cold.sample(logits), 4) << "T=" << t;
  }
  // below ~2.9e-39, 1/T overflows fp32 and the top weight would be 0 · inf = NaN: the argmax, as the limit
  for (double t : {1e-39, 1e-300, 5e-324}) {
    EXPECT_TRUE(params(t).greedy()) << "T=" << t;
    Sampler frozen(19, params(t), 42);
    for (int i = 0; i < 100; ++i) ASSERT_EQ(frozen.sample(logits), 4) << "T=" << t;
  }
  EXPECT_FALSE(params(1e-30).greedy());
}

TEST(Sampler, SameSeedSameTokensDifferentSeedDifferentTokens) {
  const auto logits = randomLogits(257, 3, 1.0f);
  auto draw = [&](uint64_t seed) {
    Sampler sampler(257, params(1.0, 50, 0.95), seed);
    std::vector<int32_t> out;
    for (int i = 0; i < 100; ++i) out.push_back(sampler.sample(logits));
    return out;
  };
  EXPECT_EQ(draw(2024), draw(2024));
  EXPECT_NE(draw(2024), draw(2025));
}

TEST(Sampler, DrawsFollowTheSoftmaxAtFixedSeed) {
  // p = softmax(logits / T). With N draws each count is Binomial(N, p); a 5-sigma band around N·p holds
  // for this fixed seed (the test is deterministic: the same seed gives the same counts every run).
  const std::vector<float> logits = {0.0f, 1.0f, 2.0f, -1.0f, 0.5f, -INFINITY, 1.5f};
  const double t = 0.8;
  const int n = 20000;
  std::vector<double> p(logits.size());
  double z = 0;
  for (size_t i = 0; i < logits.size(); ++i) z += p[i] = std::exp(logits[i] / t);
  for (double& x : p) x /= z;
  Sampler sampler(static_cast<int>(logits.size()), params(t), 7);
  std::vector<int> counts(logits.size(), 0);
  for (int i = 0; i < n; ++i) ++counts[static_cast<size_t>(sampler.sample(logits))];
  for (size_t i = 0; i < logits.size(); ++i) {
    const double mean = n * p[i], sd = std::sqrt(n * p[i] * (1 - p[i]));
    EXPECT_LE(std::abs(counts[i] - mean), 5 * sd + 1e-9) << "id " << i << " count " << counts[i] << " expected " << mean;
  }
  EXPECT_EQ(counts[5], 0);  // -inf is never drawn
}

TEST(Sampler, TopKAndTopPOnlyDrawFromTheKeptSet) {
  // Probabilities at T = 1 over sorted logits: the top three hold > 0.9 of the mass.
  const std::vector<float> logits = {0.0f, 4.0f, -2.0f, 3.5f, 3.0f, -1.0f, 1.0f};
  {
    Sampler sampler(7, params(1.0, 2), 11);
    std::vector<int> seen(7, 0);
    for (int i = 0; i < 2000; ++i) ++seen[static_cast<size_t>(sampler.sample(logits))];
    EXPECT_GT(seen[1], 0);
    EXPECT_GT(seen[3], 0);
    EXPECT_EQ(seen[1] + seen[3], 2000);
  }
  {
    // Mass of ids 1, 3, 4: e^4 + e^3.5 + e^3 over the total; top_p = 0.8 needs all three.
    double total = 0;
    for (float l : logits) total += std::exp(l);
    const double first_two = (std::exp(4.0) + std::exp(3.5)) / total;
    ASSERT_LT(first_two, 0.8);
    Sampler sampler(7, params(1.0, 0, 0.8), 12);
    std::vector<int> seen(7, 0);
    for (int i = 0; i < 3000; ++i) ++seen[static_cast<size_t>(sampler.sample(logits))];
    EXPECT_GT(seen[4], 0);
    EXPECT_EQ(seen[1] + seen[3] + seen[4], 3000);
  }
}

TEST(Sampler, LargeVocabularyKeptSetsMatchABruteForceOrder) {
  // 8,000 logits spread over ~200 units (many beyond the last band of logit distance), with ties
  // across the whole range: top-k and the nucleus, computed by sorting everything, must be exactly the
  // ids the sampler ever draws from, and the most likely ones must be drawn
  const int V = 8000;
  std::vector<float> logits(static_cast<size_t>(V));
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-190.0f, 10.0f);
  for (float& l : logits) l = std::round(u(rng) * 4.0f) / 4.0f;  // quarter steps: many exact ties
  std::vector<int32_t> order(static_cast<size_t>(V));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return logits[static_cast<size_t>(a)] > logits[static_cast<size_t>(b)] ||
           (logits[static_cast<size_t>(a)] == logits[static_cast<size_t>(b)] && a < b);
  });
  // a high temperature keeps the kept sets flat, so a wrong member would be drawn
  const double T = 20.0;
  for (const auto& [k, p] : {std::pair<int, double>{37, 1.0}, {0, 0.3}, {0, 0.999999}, {300, 0.5}}) {
    std::vector<double> prob(static_cast<size_t>(V));
    for (int i = 0; i < V; ++i) prob[static_cast<size_t>(i)] = std::exp((logits[static_cast<size_t>(i)] - logits[static_cast<size_t>(order[0])]) / T);
    size_t keep = k > 0 ? static_cast<size_t>(k) : order.size();
    double total = 0;
    for (size_t j = 0; j < keep; ++j) total += prob[static_cast<size_t>(order[j])];
    if (p < 1.0) {
      double cum = 0;
      size_t kept = 0;
      while (kept < keep) {
        cum += prob[static_cast<size_t>(order[kept++])];
        if (cum >= p * total) break;
      }
      keep = kept;
    }
    std::vector<char> allowed(static_cast<size_t>(V), 0);
    for (size_t j = 0; j < keep; ++j) allowed[static_cast<size_t>(order[j])] = 1;
    Sampler sampler(V, params(T, k, p), 21);
    int outside = 0, top = 0;
    for (int i = 0; i < 1000; ++i) {
      const int32_t id = sampler.sample(logits);
      outside += allowed[static_cast<size_t>(id)] ? 0 : 1;
      top += id == order[0] ? 1 : 0;
    }
    EXPECT_EQ(outside, 0) << "top_k " << k << ", top_p " << p << ": " << keep << " ids kept";
    EXPECT_GT(top, 0) << "top_k " << k << ", top_p " << p;
  }
}

TEST(Sampler, ValidationNamesTheField) {
  EXPECT_TRUE(validateSamplingParams(params(0.7, 40, 0.9)).ok());
  auto bad_t = validateSamplingParams(params(-1));
  ASSERT_FALSE(bad_t.ok());
  EXPECT_NE(bad_t.error().message.find("temperature"), std::string::npos);
  EXPECT_FALSE(validateSamplingParams(params(std::nan(""))).ok());
  auto bad_k = validateSamplingParams(params(1, -3));
  ASSERT_FALSE(bad_k.ok());
  EXPECT_NE(bad_k.error().message.find("top_k"), std::string::npos);
  for (double p : {0.0, 1.5, -0.1}) {
    auto bad_p = validateSamplingParams(params(1, 0, p));
    ASSERT_FALSE(bad_p.ok());
    EXPECT_NE(bad_p.error().message.find("top_p"), std::string::npos);
  }
}

TEST(Sampler, WideNucleusBeyondTheFirstOrderedBlock) {
  // 1000 ids with slowly falling logits: the 0.9 nucleus holds hundreds of ids, more than the first
  // block of 64 the sampler orders, so it has to widen; ids past the nucleus are never drawn.
  const int v = 1000;
  std::vector<float> logits(v);
  for (int i = 0; i < v; ++i) logits[static_cast<size_t>((i * 7919) % v)] = -0.002f * static_cast<float>(i);
  // The nucleus by definition, from a full sort.
  std::vector<int> order(v);
  for (int i = 0; i < v; ++i) order[static_cast<size_t>(i)] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return logits[static_cast<size_t>(a)] > logits[static_cast<size_t>(b)]; });
  double total = 0;
  for (float l : logits) total += std::exp(static_cast<double>(l));
  std::vector<bool> in_nucleus(v, false);
  double cum = 0;
  size_t nucleus = 0;
  for (int id : order) {
    in_nucleus[static_cast<size_t>(id)] = true;
    ++nucleus;
    cum += std::exp(static_cast<double>(logits[static_cast<size_t>(id)]));
    if (cum >= 0.9 * total) break;
  }
  ASSERT_GT(nucleus, 256u);
  Sampler sampler(v, params(1.0, 0, 0.9), 5);
  std::vector<bool> seen(v, false);
  size_t distinct = 0;
  for (int i = 0; i < 20000; ++i) {
    const int32_t id = sampler.sample(logits);
    ASSERT_TRUE(in_nucleus[static_cast<size_t>(id)]) << id;
    if (!seen[static_cast<size_t>(id)]) ++distinct, seen[static_cast<size_t>(id)] = true;
  }
  EXPECT_GT(distinct, nucleus * 9 / 10);
}

TEST(Sampler, SampleIsSampleWithTheNextUniformOfASameSeededTwin) {
  // Rows with nothing drawable, a +inf and ties between ordinary ones: the twin draws its uniform
  // first and selects with it; greedy params draw nothing.
  const int v = 257;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<std::vector<float>> rows = {randomLogits(v, 1), std::vector<float>(v, nan), randomLogits(v, 2, 0.5f),
                                          std::vector<float>(v, -INFINITY), randomLogits(v, 3)};
  rows[2][17] = INFINITY;
  rows[2][200] = INFINITY;
  for (int i = 0; i < v; i += 3) rows[4][static_cast<size_t>(i)] = 1.0f;  // ties at the top
  for (const SamplingParams& p : {params(0.7), params(1.0, 40), params(1.3, 0, 0.9), params(0.5, 5, 0.5),
                                  params(0.0), params(2.0, 1)}) {
    Sampler a(v, p, 99), twin(v, p, 99);
    for (int i = 0; i < 300; ++i) {
      const auto& row = rows[static_cast<size_t>(i) % rows.size()];
      const int32_t want = p.greedy() ? argmaxLogit(row) : twin.sampleWith(row, twin.nextUniform());
      ASSERT_EQ(a.sample(row), want) << "draw " << i << ", T " << p.temperature << ", top_k " << p.top_k;
    }
    EXPECT_EQ(a.nextUniform(), twin.nextUniform());  // both streams advanced alike
  }
}

TEST(Sampler, DegenerateRowsStillConsumeOneDraw) {
  // Nothing drawable answers 0 and a +inf its lowest id, each after one draw, so what follows does
  // not depend on whether such a row came first.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto normal = randomLogits(7, 8, 1.0f);
  Sampler a(7, params(1.0, 0, 0.9), 5), b(7, params(1.0, 0, 0.9), 5);
  EXPECT_EQ(a.sample(std::vector<float>{nan, -INFINITY, nan, nan, -INFINITY, nan, nan}), 0);
  EXPECT_EQ(a.sample(std::vector<float>{1, nan, INFINITY, 3, INFINITY, -INFINITY, 0}), 2);
  b.nextUniform();
  b.nextUniform();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(a.sample(normal), b.sample(normal)) << "draw " << i;
}

TEST(Sampler, SampleWithIsTheWalkInDescendingOrder) {
  // Against the selection by definition (tests/support/sampling_reference.h) at odd sizes, with
  // ties, NaN and -inf entries, uniforms at the ends, on running-mass boundaries and at random. The
  // sampler sums by bands of logit distance, the reference in order: they may differ only where a
  // running mass is within 1e-10 of the total from its target.
  const double tol = 1e-10;
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int draws = 0, near_differ = 0;
  for (const int v : {1, 7, 1000, 8000}) {
    auto logits = randomLogits(v, static_cast<uint64_t>(v), 2.0f);
    for (float& l : logits) l = std::round(l * 8.0f) / 8.0f;  // eighth steps: many exact ties
    if (v > 7) logits[3] = std::numeric_limits<float>::quiet_NaN(), logits[5] = -INFINITY;
    for (const double t : {0.3, 1.0, 2.0}) {
      for (const int k : {0, 5, 40, v + 3}) {
        for (const double p : {1.0, 0.95, 0.5, 1e-6}) {
          const SamplingParams sp = params(t, k, p);
          if (sp.greedy()) continue;
          const auto walk = folio::test::referenceWalk(logits, t, k, p, tol);
          auto us = folio::test::boundaryUniforms(walk, 20);
          for (int i = 0; i < 30; ++i) us.push_back(uniform(rng));
          Sampler sampler(v, sp, 1);
          for (const double u : us) {
            const auto want = folio::test::referenceDraw(walk, u, tol);
            const int32_t got = sampler.sampleWith(logits, u);
            ++draws;
            if (got != want.token) {
              ASSERT_TRUE(want.near) << "V " << v << " T " << t << " top_k " << k << " top_p " << p << " u " << u
                                     << ": got " << got << ", by definition " << want.token;
              ++near_differ;
            }
          }
          EXPECT_EQ(sampler.sampleWith(logits, 0.0), walk.order[0]);  // u = 0: the top id
        }
      }
    }
  }
  EXPECT_LE(near_differ, draws / 100) << near_differ << " of " << draws << " draws differ on a boundary";
}
