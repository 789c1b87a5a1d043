#include "engine/generation/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace folio::engine {
namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
bool drawable(float v) { return !std::isnan(v) && v != kNegInf; }

// Bands of logit distance below the top: 128 per unit of (max − logit) / T, i.e. per factor e in
// probability, down to e^−64 (~1e-28 of the top's probability); the last band takes the rest. Narrow
// bands keep the band a draw falls in small even when the logits are nearly flat.
constexpr int kBandsPerUnit = 128;
constexpr int kBuckets = kBandsPerUnit * 64 + 1;

// Descending logit order, ties to the lower id: the order of every walk over the candidates.
bool ranksBefore(std::span<const float> logits, int32_t a, int32_t b) {
  return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
}

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

int Sampler::leadingBands(std::span<const float> logits, int n, float max_logit, float inv_t, double need) {
  std::fill(bucket_.begin(), bucket_.end(), 0.0);
  for (int j = 0; j < n; ++j) bucket_[bandOf(logits[index_[j]], max_logit, inv_t)] += 1.0;
  double cum = 0;
  int cross = kBuckets - 1;
  for (int b = 0; b < kBuckets; ++b) {
    cum += bucket_[b];
    if (cum >= need) {
      cross = b;
      break;
    }
  }
  // one band of slack, as firstReaching keeps
  const int last = std::min(kBuckets - 1, cross + 1);
  if (last == kBuckets - 1) return n;
  return static_cast<int>(std::partition(index_.begin(), index_.begin() + n,
                                         [&](int32_t id) { return bandOf(logits[id], max_logit, inv_t) <= last; }) -
                          index_.begin());
}

double Sampler::nextUniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

int32_t Sampler::sample(std::span<const float> logits) {
  FOLIO_CHECK(logits.size() == static_cast<size_t>(vocab_size_));
  if (params_.greedy()) return argmaxLogit(logits);
  // drawn before looking at the logits, so the stream of draws does not depend on them
  const double u = nextUniform();
  return sampleWith(logits, u);
}

int32_t Sampler::sampleWith(std::span<const float> logits, double u) {
  FOLIO_CHECK(logits.size() == static_cast<size_t>(vocab_size_));
  FOLIO_CHECK(u >= 0.0 && u < 1.0);
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

  const auto before = [&logits](int32_t a, int32_t b) { return ranksBefore(logits, a, b); };
  const float inv_t = static_cast<float>(1.0 / params_.temperature);
  if (params_.top_k > 0 && params_.top_k < n) {
    // the k best are among the leading bands that hold k ids
    const int m = leadingBands(logits, n, max_logit, inv_t, params_.top_k);
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
    const auto [last, mass] = firstReaching(logits, n, max_logit, inv_t, params_.top_p * total, /*strict=*/false);
    n = std::min(n, last + 1);  // none reached (rounding): all are kept
    total = mass;
  }
  // The draw: the first kept id whose running mass exceeds u · total; index_[0, n) holds the kept ids.
  const int chosen = firstReaching(logits, n, max_logit, inv_t, u * total, /*strict=*/true).first;
  return chosen < n ? index_[chosen] : lastWithWeight(logits, n);
}

std::pair<int, double> Sampler::firstReaching(std::span<const float> logits, int n, float max_logit, float inv_t,
                                              double target, bool strict) {
  const auto reaches = [&](double mass) { return strict ? mass > target : mass >= target; };
  // The band of logit distance where the bands' masses reach the target: the answer lies in it (or,
  // the sums being taken in another order, in the next one); the bands before it need no order.
  std::fill(bucket_.begin(), bucket_.end(), 0.0);
  for (int j = 0; j < n; ++j) bucket_[bandOf(logits[index_[j]], max_logit, inv_t)] += probs_[index_[j]];
  double before = 0;
  int cross = 0;
  while (cross < kBuckets - 1 && !reaches(before + bucket_[cross])) before += bucket_[cross++];
  const int last = std::min(kBuckets - 1, cross + 1);
  const auto inBand = [&](int32_t id, int lo, int hi) {
    const int b = bandOf(logits[id], max_logit, inv_t);
    return b >= lo && b <= hi;
  };
  const int end = static_cast<int>(
      std::partition(index_.begin(), index_.begin() + n, [&](int32_t id) { return inBand(id, 0, last); }) -
      index_.begin());
  const int begin = static_cast<int>(
      std::partition(index_.begin(), index_.begin() + end, [&](int32_t id) { return inBand(id, 0, cross - 1); }) -
      index_.begin());
  const auto found = selectByMass(logits, begin, end, before, target, strict);
  if (found.first < end) return found;
  if (begin == 0 && end == n) return {n, found.second};     // every id was searched
  return selectByMass(logits, 0, n, 0.0, target, strict);  // rounding left the two bands short: all of them
}

std::pair<int, double> Sampler::selectByMass(std::span<const float> logits, int a, int b, double cum, double target,
                                             bool strict) {
  const auto before = [&logits](int32_t x, int32_t y) { return ranksBefore(logits, x, y); };
  const auto reaches = [&](double mass) { return strict ? mass > target : mass >= target; };
  const int end = b;
  bool bounded = false;  // a half's mass said the answer lies before b
  while (b - a > 64) {   // halve: the ids ranking before the middle one, and their mass
    const int m = a + (b - a) / 2;
    std::nth_element(index_.begin() + a, index_.begin() + m, index_.begin() + b, before);
    double left = 0;
    for (int j = a; j < m; ++j) left += probs_[index_[j]];
    if (reaches(cum + left)) {
      b = m, bounded = true;
    } else {
      cum += left, a = m;
    }
  }
  std::sort(index_.begin() + a, index_.begin() + b, before);
  for (int j = a; j < b; ++j) {
    cum += probs_[index_[j]];
    if (reaches(cum)) return {j, cum};
  }
  // the walk fell short of what the half's sum reached (rounding): its last id
  return {bounded ? b - 1 : end, cum};
}

int32_t Sampler::lastWithWeight(std::span<const float> logits, int n) const {
  int32_t last = -1;
  for (int j = 0; j < n; ++j) {
    const int32_t id = index_[j];
    if (probs_[id] > 0 && (last < 0 || ranksBefore(logits, last, id))) last = id;
  }
  return last >= 0 ? last : index_[0];  // the top id has weight 1, so `last` is always found
}

}  // namespace folio::engine
