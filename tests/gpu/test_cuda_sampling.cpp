// Sampling on the device: sampleRow (temperature, top-k, top-p) against the host's
// engine::Sampler::sampleWith for the same logits and the same uniform, at odd sizes, with ties,
// NaN / ±inf entries and uniforms on running-mass boundaries; the draws' distribution against the exact
// probabilities; argmaxRows' NaN rule (engine::argmaxLogit's). Outputs are poisoned before each run.
// Dimension letters: V vocabulary size.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/generation/sampler.h"
#include "gpu_test_util.h"
#include "support/sampling_reference.h"

namespace {

using folio::gputest::DeviceBuffer;
namespace kc = folio::kernels::cuda;
namespace fe = folio::engine;
namespace ft = folio::test;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Both sides weigh in fp32, the device's expf within 2 ulps of the host's (~2.4e-7 relative each), so
// a running mass or a target may move by up to ~6e-7 of the total: decisions that close to a running
// mass may go either way. Relative to the total mass.
constexpr double kNearTol = 1e-6;

// The logits, scratch and output of one row on the device.
class DeviceRow {
 public:
  explicit DeviceRow(const std::vector<float>& logits)
      : v_(static_cast<int64_t>(logits.size())), logits_(logits), scratch_(kc::sampleRowScratchBytes(v_)), out_(1) {}

  int32_t sample(const fe::SamplingParams& p, double u, cudaStream_t s = nullptr) {
    out_.poison();
    kc::sampleRow(logits_.get(), v_, kc::DeviceSampling{p.temperature, p.top_k, p.top_p}, u, scratch_.get(),
                  out_.get(), s);
    return out_.download()[0];
  }

 private:
  int64_t v_;
  DeviceBuffer<float> logits_;
  DeviceBuffer<unsigned char> scratch_;
  DeviceBuffer<int32_t> out_;
};

fe::SamplingParams params(double temperature, int top_k = 0, double top_p = 1.0) {
  fe::SamplingParams p;
  p.temperature = temperature;
  p.top_k = top_k;
  p.top_p = top_p;
  return p;
}

std::vector<float> normalLogits(int v, uint64_t seed, float scale) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> out(static_cast<size_t>(v));
  for (float& x : out) x = dist(rng);
  return out;
}

// Tallies of device-vs-host comparisons: every difference must be a near decision.
struct Agreement {
  int draws = 0, random_draws = 0, differ = 0, random_differ = 0;
};

// Device and host on `logits` for each uniform; a difference must be near a running mass.
void expectSameTokens(DeviceRow& row, const std::vector<float>& logits, const fe::SamplingParams& p,
                      const std::vector<double>& us, size_t first_random, Agreement& a, const char* what) {
  const auto walk = ft::referenceWalk(logits, p.temperature, p.top_k, p.top_p, kNearTol);
  fe::Sampler host(static_cast<int>(logits.size()), p, 1);
  for (size_t i = 0; i < us.size(); ++i) {
    const int32_t want = host.sampleWith(logits, us[i]);
    const int32_t got = row.sample(p, us[i]);
    const bool random = i >= first_random;
    ++a.draws, a.random_draws += random;
    if (got == want) continue;
    ++a.differ, a.random_differ += random;
    ASSERT_TRUE(ft::referenceDraw(walk, us[i], kNearTol).near)
        << what << " V " << logits.size() << " T " << p.temperature << " top_k " << p.top_k << " top_p " << p.top_p
        << " u " << us[i] << ": device " << got << ", host " << want;
  }
}

TEST(CudaSampling, SampleRowMatchesTheHostSamplerAtOddSizes) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Agreement a;
  for (const int v : {1, 7, 1000, 32001, 200064}) {
    const auto logits = normalLogits(v, static_cast<uint64_t>(v), 3.0f);
    DeviceRow row(logits);
    for (const double t : {0.3, 1.0, 2.0}) {
      for (const int k : {0, 1, 5, 40, v + 3}) {
        for (const double p : {1.0, 0.95, 0.5, 1e-6}) {
          const auto sp = params(t, k, p);
          auto us = ft::boundaryUniforms(ft::referenceWalk(logits, t, k, p, kNearTol), 8);
          const size_t first_random = us.size();
          for (int i = 0; i < 12; ++i) us.push_back(uniform(rng));
          expectSameTokens(row, logits, sp, us, first_random, a, "random logits");
          if (testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
  std::printf("[ gpu ] sampleRow vs Sampler::sampleWith: %d of %d draws differ (%d of %d at random uniforms), all near a running mass\n",
              a.differ, a.draws, a.random_differ, a.random_draws);
  EXPECT_LE(a.random_differ * 100, a.random_draws) << "more than 1 % of random draws differ";
}

TEST(CudaSampling, TiesKeepTheIdOrder) {
  // Few distinct values: top-k cuts through runs of equal logits, and the walk passes through them
  // in id order; −0 and +0 are one value, as on the host.
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int v = 1000;
  auto logits = normalLogits(v, 5, 1.0f);
  for (float& l : logits) l = std::round(l * 2.0f) / 2.0f;
  logits[10] = -0.0f;
  logits[11] = 0.0f;
  DeviceRow row(logits);
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Agreement a;
  for (const auto& sp : {params(1.0), params(1.0, 5), params(0.7, 133), params(2.0, 0, 0.5), params(1.0, 300, 0.9)}) {
    auto us = ft::boundaryUniforms(ft::referenceWalk(logits, sp.temperature, sp.top_k, sp.top_p, kNearTol), 50);
    const size_t first_random = us.size();
    for (int i = 0; i < 100; ++i) us.push_back(uniform(rng));
    expectSameTokens(row, logits, sp, us, first_random, a, "ties");
    if (HasFatalFailure()) return;
  }
  EXPECT_LE(a.random_differ * 100, a.random_draws);
}

TEST(CudaSampling, NanAndMinusInfAreNeverChosenPlusInfTakesAll) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int v = 32001;
  auto logits = normalLogits(v, 9, 2.0f);
  for (int i = 0; i < v; i += 3) logits[static_cast<size_t>(i)] = kNaN;
  for (int i = 1; i < v; i += 5) logits[static_cast<size_t>(i)] = -kInf;
  std::mt19937_64 rng(10);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  {
    DeviceRow row(logits);
    std::vector<double> us = {0.0, 1.0 - 0x1.0p-53};
    for (int i = 0; i < 300; ++i) us.push_back(uniform(rng));
    Agreement a;
    for (const auto& sp : {params(1.0), params(2.0, 0, 0.95), params(0.5, 40)}) {
      expectSameTokens(row, logits, sp, us, 2, a, "NaN and -inf");
      if (HasFatalFailure()) return;
      for (const double u : us) {
        const float chosen = logits[static_cast<size_t>(row.sample(sp, u))];
        ASSERT_FALSE(std::isnan(chosen) || chosen == -kInf) << "u " << u;
      }
    }
  }
  {
    // +inf at 300 and 17 (NaN at 0 before them): the lowest +inf id for every uniform
    auto with_inf = logits;
    with_inf[300] = kInf;
    with_inf[17] = kInf;
    DeviceRow row(with_inf);
    for (const double u : {0.0, 0.5, 1.0 - 0x1.0p-53}) {
      EXPECT_EQ(row.sample(params(1.0), u), 17);
      EXPECT_EQ(row.sample(params(0.3, 5, 0.5), u), 17);
    }
  }
}

TEST(CudaSampling, NothingDrawableGivesArgmaxRowsAnswer) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int v : {1, 7, 200064}) {
    std::vector<float> logits(static_cast<size_t>(v), -kInf);
    for (int i = 0; i < v; i += 2) logits[static_cast<size_t>(i)] = kNaN;
    DeviceBuffer<float> dl(logits);
    DeviceBuffer<int32_t> greedy(1);
    greedy.poison();
    kc::argmaxRows(dl.get(), 1, v, greedy.get(), nullptr);
    const int32_t want = greedy.download()[0];
    EXPECT_EQ(want, fe::argmaxLogit(logits));
    DeviceRow row(logits);
    for (const double u : {0.0, 0.3, 1.0 - 0x1.0p-53}) {
      EXPECT_EQ(row.sample(params(1.0), u), want) << "V " << v;
      EXPECT_EQ(row.sample(params(0.8, 40, 0.9), u), want) << "V " << v;
    }
  }
}

TEST(CudaSampling, ArgmaxRowsNanNeverWins) {
  // engine::argmaxLogit's rule: a NaN before a number does not beat it; NaN and −inf only: 0.
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t V = 1000;
  std::vector<float> logits(static_cast<size_t>(4 * V), -1.0f);
  logits[0] = kNaN, logits[1] = 5.0f;                                // row 0: 1
  for (int64_t i = 0; i < V; ++i) logits[static_cast<size_t>(V + i)] = i % 2 ? kNaN : -kInf;  // row 1: 0
  logits[static_cast<size_t>(2 * V + 3)] = 2.0f;                     // row 2: NaN spread, 3 wins
  for (int64_t i = 0; i < V; i += 7) logits[static_cast<size_t>(2 * V + i)] = kNaN;
  logits[static_cast<size_t>(3 * V + V - 1)] = 0.5f;                 // row 3: the last id
  logits[static_cast<size_t>(3 * V)] = kNaN;
  DeviceBuffer<float> dl(logits);
  DeviceBuffer<int32_t> dout(4);
  dout.poison();
  kc::argmaxRows(dl.get(), 4, V, dout.get(), nullptr);
  const auto got = dout.download();
  for (int64_t r = 0; r < 4; ++r) {
    const std::span<const float> row(logits.data() + r * V, static_cast<size_t>(V));
    EXPECT_EQ(got[static_cast<size_t>(r)], fe::argmaxLogit(row)) << "row " << r;
  }
}

TEST(CudaSampling, DrawsFollowTheExactProbabilities) {
  // 20,000 draws at V = 50 with uniforms from a seeded host sampler: chi-square against the exact
  // kept-set probabilities (fixed seed, so the statistic is the same every run); ids outside the kept
  // set are never drawn.
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int v = 50, n = 20000;
  const auto logits = normalLogits(v, 50, 1.5f);
  DeviceRow row(logits);
  for (const auto& sp : {params(1.0), params(0.7, 10), params(1.3, 0, 0.8)}) {
    const auto walk = ft::referenceWalk(logits, sp.temperature, sp.top_k, sp.top_p, 0.0);
    std::vector<double> prob(static_cast<size_t>(v), 0.0);
    for (int j = 0; j < walk.kept; ++j)
      prob[static_cast<size_t>(walk.order[static_cast<size_t>(j)])] = walk.weight[static_cast<size_t>(j)] / walk.kept_mass;
    fe::Sampler draws(v, sp, 77);
    std::vector<int> count(static_cast<size_t>(v), 0);
    for (int i = 0; i < n; ++i) ++count[static_cast<size_t>(row.sample(sp, draws.nextUniform()))];
    double chi2 = 0;
    for (int id = 0; id < v; ++id) {
      const double expected = n * prob[static_cast<size_t>(id)];
      if (expected == 0) {
        EXPECT_EQ(count[static_cast<size_t>(id)], 0) << "id " << id << " is outside the kept set";
        continue;
      }
      const double d = count[static_cast<size_t>(id)] - expected;
      chi2 += d * d / expected;
    }
    // mean df, sd sqrt(2 df): 6 sd above the mean is far in the tail (p < 1e-6)
    const double df = walk.kept - 1;
    std::printf("[ gpu ] T %.1f top_k %d top_p %.1f: chi-square %.1f on %.0f degrees of freedom\n", sp.temperature,
                sp.top_k, sp.top_p, chi2, df);
    EXPECT_LE(chi2, df + 6 * std::sqrt(2 * df) + 1) << "T " << sp.temperature;
  }
}

TEST(CudaSampling, SameInputsSameTokenOnAnotherStream) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const auto logits = normalLogits(200064, 3, 0.05f);  // flat: the nucleus holds most of the vocabulary
  DeviceRow row(logits);
  cudaStream_t s;
  FOLIO_CUDA_CHECK(cudaStreamCreate(&s));
  const auto sp = params(1.0, 0, 0.95);
  for (const double u : {0.1, 0.5, 0.99}) {
    const int32_t first = row.sample(sp, u, s);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(row.sample(sp, u, s), first) << "u " << u;
    EXPECT_EQ(row.sample(sp, u), first);
  }
  cudaStreamDestroy(s);
}

TEST(CudaSampling, SampleRowRejectsBadArguments) {
  // Checked on the host before anything is launched, so this runs without a device too.
  const kc::DeviceSampling ok{1.0, 0, 1.0};
  auto* scratch = reinterpret_cast<void*>(uintptr_t(4096));  // never dereferenced: the checks throw first
  auto* out = reinterpret_cast<int32_t*>(uintptr_t(4096));
  const float* logits = nullptr;
  EXPECT_THROW(kc::sampleRow(logits, 0, ok, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, {0.0, 0, 1.0}, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, {kInf, 0, 1.0}, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, {1.0, -1, 1.0}, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, {1.0, 0, 0.0}, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, {1.0, 0, 1.5}, 0.5, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, ok, 1.0, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, ok, -0.1, scratch, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, ok, 0.5, static_cast<char*>(scratch) + 4, out, nullptr), std::invalid_argument);
  EXPECT_THROW(kc::sampleRow(logits, 10, ok, 0.5, nullptr, out, nullptr), std::invalid_argument);
}

}  // namespace
