#include "engine/generation/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace folio::engine {
namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
bool drawable(float v) { return !std::isnan(v) && v != kNegInf; }

// Bands of logit distance below the top: 32 per unit of (max − logit) / T, i.e. per factor e in
// probability, down to e^−64 (~1e-28 of the top's probability); the last band takes the rest.
constexpr int kBandsPerUnit = 32;
constexpr int kBuckets = kBandsPerUnit * 64 + 1;

int bandOf(float logit, float max_logit, float inv_t) {
  const float d = (max_logit - logit) * inv_t * static_cast<float>(kBandsPerUnit);
  return d < static_cast<float>(kBuckets - 1) ? static_cast<int>(d) : kBuckets - 1;
}
}  // namespace

Status validateSamplingParams(const SamplingParams& params) {
  if (!std::isfinite(params.temperature) || params.temperature < 0)
    return badInput("temperature: must be a finite number >= 0, got " + std::to_string(params.temperature));
  if (params.top_k < 0) return badInput("top_k: must be >= 0 (0 = no limit), got " + std::to_string(params.top_k));
  if (!(params.top_p > 0 && params.top_p <= 1))
    return badInput("top_p: must be in (0, 1], got " + std::to_string(params.top_p));
  return {};
}

int32_t argmaxLogit(std::span<const float> logits) {
  // NaN compares false, so it never wins; all NaN or -inf: 0.
  int32_t best = 0;
  float best_value = kNegInf;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (logits[i] > best_value) {
      best = static_cast<int32_t>(i);
      best_value = logits[i];
    }
  }
  return best;
}

Sampler::Sampler(int vocab_size, const SamplingParams& params, uint64_t seed)
    : vocab_size_(vocab_size), params_(params), rng_(seed) {
  FOLIO_CHECK(vocab_size > 0);
  FOLIO_CHECK(validateSamplingParams(params).ok());
  index_.resize(static_cast<size_t>(vocab_size));
  probs_.resize(static_cast<size_t>(vocab_size));
  bucket_.resize(kBuckets);
}

int Sampler::leadingBands(std::span<const float> logits, int n, float max_logit, float inv_t, bool by_mass,
                          double need) {
  std::fill(bucket_.begin(), bucket_.end(), 0.0);
  for (int j = 0; j < n; ++j) {
    const int32_t id = index_[j];
    bucket_[bandOf(logits[id], max_logit, inv_t)] += by_mass ? static_cast<double>(probs_[id]) : 1.0;
  }
  double cum = 0;
  int cross = kBuckets - 1;
  for (int b = 0; b < kBuckets; ++b) {
    cum += bucket_[b];
    if (cum >= need) {
      cross = b;
      break;
    }
  }
  // one band of slack: the sums above were taken in another order than the caller's
  const int last = std::min(kBuckets - 1, cross + 1);
  if (last == kBuckets - 1) return n;
  return static_cast<int>(std::partition(index_.begin(), index_.begin() + n,
                                         [&](int32_t id) { return bandOf(logits[id], max_logit, inv_t) <= last; }) -
                          index_.begin());
}

double Sampler::uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

int32_t Sampler::sample(std::span<const float> logits) {
  FOLIO_CHECK(logits.size() == static_cast<size_t>(vocab_size_));
  if (params_.greedy()) return argmaxLogit(logits);

  // The drawable ids (not NaN, not -inf) and the largest logit.
  int n = 0;
  float max_logit = kNegInf;
  for (int i = 0; i < vocab_size_; ++i) {
    if (!drawable(logits[i])) continue;
    index_[n++] = i;
    max_logit = std::max(max_logit, logits[i]);
  }
  if (n == 0) return argmaxLogit(logits);  // nothing drawable: deterministic fallback
  if (std::isinf(max_logit)) return argmaxLogit(logits);  // +inf takes all the mass (lowest such id)

  // Descending logit order, ties to the lower id.
  const auto before = [&logits](int32_t a, int32_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  };
  const float inv_t = static_cast<float>(1.0 / params_.temperature);
  if (params_.top_k > 0 && params_.top_k < n) {
    // the k best are among the leading bands that hold k ids
    const int m = leadingBands(logits, n, max_logit, inv_t, /*by_mass=*/false, params_.top_k);
    if (m > params_.top_k) std::nth_element(index_.begin(), index_.begin() + params_.top_k, index_.begin() + m, before);
    n = params_.top_k;
  }

  double total = 0;
  for (int j = 0; j < n; ++j) {
    const int32_t id = index_[j];
    probs_[id] = std::exp((logits[id] - max_logit) * inv_t);
    total += probs_[id];
  }

  if (params_.top_p < 1.0) {
    // The nucleus: the shortest prefix in descending order whose mass reaches top_p (at least one id).
    // It lies within the leading bands that hold that mass (ids of higher bands rank first), so only
    // those are ordered: 64 ids, then 4× more until the ordered part holds the mass. Should rounding
    // leave them short, the same runs over every candidate.
    const double target = params_.top_p * total;
    const int lead = leadingBands(logits, n, max_logit, inv_t, /*by_mass=*/true, target);
    for (int space : {lead, n}) {
      bool reached = false;
      for (int m = std::min(space, 64);; m = std::min(space, m * 4)) {
        if (m < space) std::nth_element(index_.begin(), index_.begin() + m, index_.begin() + space, before);
        std::sort(index_.begin(), index_.begin() + m, before);
        double mass = 0;
        for (int j = 0; j < m; ++j) mass += probs_[index_[j]];
        reached = mass >= target;
        if (reached || m == space) break;
      }
      if (reached || space == n) break;
    }
    double cum = 0;
    int kept = 0;
    while (kept < n) {
      cum += probs_[index_[kept++]];
      if (cum >= target) break;
    }
    n = kept;
    total = cum;
  }

  const double u = uniform() * total;
  double cum = 0;
  for (int j = 0; j < n; ++j) {
    cum += probs_[index_[j]];
    if (u < cum) return index_[j];
  }
  // Rounding can leave u at the very top: the last candidate with non-zero probability.
  for (int j = n - 1; j >= 0; --j)
    if (probs_[index_[j]] > 0) return index_[j];
  return index_[0];
}

}  // namespace folio::engine
