#include "engine/generation/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace folio::engine {
namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
bool drawable(float v) { return !std::isnan(v) && v != kNegInf; }
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
  int32_t best = 0;
  float best_value = kNegInf;
  bool found = false;
  for (size_t i = 0; i < logits.size(); ++i) {
    const float v = logits[i];
    if (std::isnan(v)) continue;
    if (!found || v > best_value) {
      best = static_cast<int32_t>(i);
      best_value = v;
      found = true;
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
}

double Sampler::uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

int Sampler::collectCandidates(std::span<const float> logits, bool ordered) {
  int n = 0;
  for (int i = 0; i < vocab_size_; ++i)
    if (drawable(logits[i])) index_[n++] = i;
  if (!ordered) return n;
  const auto before = [&logits](int32_t a, int32_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  };
  const int keep = params_.top_k > 0 ? std::min(params_.top_k, n) : n;
  if (keep < n) std::nth_element(index_.begin(), index_.begin() + keep, index_.begin() + n, before);
  std::sort(index_.begin(), index_.begin() + keep, before);
  return keep;
}

int32_t Sampler::sample(std::span<const float> logits) {
  FOLIO_CHECK(logits.size() == static_cast<size_t>(vocab_size_));
  if (params_.greedy()) return argmaxLogit(logits);

  // Ordering is only needed when top-k or top-p cut the distribution.
  int n = collectCandidates(logits, params_.top_k > 0 || params_.top_p < 1.0);
  if (n == 0) return argmaxLogit(logits);  // nothing drawable: deterministic fallback

  float max_logit = kNegInf;
  for (int j = 0; j < n; ++j) max_logit = std::max(max_logit, logits[index_[j]]);
  if (std::isinf(max_logit)) {
    // +inf present: those ids share all the mass; the first of them wins.
    for (int j = 0; j < n; ++j)
      if (std::isinf(logits[index_[j]])) return index_[j];
  }

  const double inv_t = 1.0 / params_.temperature;
  double total = 0;
  for (int j = 0; j < n; ++j) {
    probs_[j] = static_cast<float>(std::exp((static_cast<double>(logits[index_[j]]) - max_logit) * inv_t));
    total += probs_[j];
  }

  if (params_.top_p < 1.0) {
    // Candidates are in descending order: keep the shortest prefix whose mass reaches top_p (at least one).
    const double target = params_.top_p * total;
    double cum = 0;
    int kept = 0;
    while (kept < n) {
      cum += probs_[kept++];
      if (cum >= target) break;
    }
    n = kept;
    total = cum;
  }

  const double u = uniform() * total;
  double cum = 0;
  for (int j = 0; j < n; ++j) {
    cum += probs_[j];
    if (u < cum) return index_[j];
  }
  // Rounding can leave u at the very top: the last candidate with non-zero probability.
  for (int j = n - 1; j >= 0; --j)
    if (probs_[j] > 0) return index_[j];
  return index_[0];
}

}  // namespace folio::engine
