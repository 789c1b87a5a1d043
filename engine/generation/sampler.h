// Next-token sampling over fp32 logits [V]: greedy, temperature, top-k and top-p (nucleus), driven by a
// seeded std::mt19937_64 so that a seed reproduces the same tokens on every run and platform (the
// uniform draw is built from the raw 64-bit output, not from a library distribution).
//
// Dimension letters: V vocabulary size.
#pragma once

#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/common/result.h"

namespace folio::engine {

struct SamplingParams {
  double temperature = 0.0;  // <= 0: greedy (argmax). Otherwise logits are divided by it.
  int top_k = 0;             // 0: no limit; 1 is greedy
  double top_p = 1.0;        // (0, 1]: keep the smallest prefix (by probability) whose mass reaches top_p

  // Also a temperature so small that 1/T overflows fp32 (below ~2.9e-39): the weights, exp((l − max)/T),
  // would be NaN at the top logit (0 · inf); the limit T → 0 is the argmax.
  bool greedy() const {
    const float inv_t = static_cast<float>(1.0 / temperature);
    return temperature <= 0.0 || top_k == 1 || !(inv_t < std::numeric_limits<float>::infinity());
  }
};

// Checks the ranges (temperature finite and >= 0, top_k >= 0, top_p in (0, 1]); the message names the field.
Status validateSamplingParams(const SamplingParams& params);

// The index of the largest logit; ties go to the lower index, NaN never wins (all NaN: 0).
int32_t argmaxLogit(std::span<const float> logits);

class Sampler {
 public:
  // `vocab_size` fixes the size of the preallocated buffers; sample() never allocates.
  // `params` must have passed validateSamplingParams (checked).
  Sampler(int vocab_size, const SamplingParams& params, uint64_t seed);

  // Draws the next token from `logits` [V]. NaN and -inf logits have probability 0. Greedy params
  // take argmaxLogit and draw nothing; otherwise exactly one nextUniform() is drawn, first, whatever
  // the logits hold, and the token is sampleWith(logits, that draw).
  int32_t sample(std::span<const float> logits);

  // The uniform draw sample() uses: a double in [0, 1) from 53 raw bits of the generator. A device
  // sampler (kernels/cuda sampleRow) takes it from here so that a seed gives the same stream.
  double nextUniform();

  // The token for the uniform u in [0, 1), no randomness of its own. Greedy params: argmaxLogit.
  // Otherwise: the drawable ids (not NaN, not -inf); none, or a +inf among them: argmaxLogit. Else,
  // in descending order (logit, then lower id): top-k keeps the first k; weights w = exp((l − max)/T)
  // in fp32; top-p < 1 keeps the shortest prefix whose mass reaches top_p · total; the token is the
  // first kept id at which the running mass exceeds u · (kept mass), or the last kept id with w > 0
  // should rounding leave u · mass at the very top. Masses are double sums whose association is not
  // part of the contract: another implementation (the device's) may differ from this one only where
  // a running mass is within rounding of its target.
  int32_t sampleWith(std::span<const float> logits, double u);

  const SamplingParams& params() const { return params_; }

 private:
  int vocab_size_;
  SamplingParams params_;
  std::mt19937_64 rng_;
  std::vector<int32_t> index_;  // [V] candidate ids
  std::vector<float> probs_;    // [V] unnormalised probabilities, by id (valid for the candidates)
  std::vector<double> bucket_;  // [kBuckets] count or mass of the candidates per band of logit distance

  // Moves to the front of index_[0, n) the ids whose band (distance below the top logit, in units of
  // the temperature) is at most that of the band where the running count first reaches `need`, plus
  // one band of slack; returns how many. Top-k then orders only these few instead of all of them.
  int leadingBands(std::span<const float> logits, int n, float max_logit, float inv_t, double need);

  // Among index_[0, n) (weights in probs_), in no order: the first id in descending order at which
  // the running mass reaches `target` (exceeds it when strict). Moves it to position j and the ids
  // ranking before it to [0, j); returns j with the running mass through it, or n when none does
  // (rounding). Only the band of logit distance where the mass crosses (and the next) is searched.
  std::pair<int, double> firstReaching(std::span<const float> logits, int n, float max_logit, float inv_t,
                                       double target, bool strict);
  // The same within index_[a, b), the ids before a ranking first with mass `cum`: a quickselect by
  // mass (halves by nth_element, the upper half's mass decides), expected O(b − a), no full sort;
  // b when none reaches.
  std::pair<int, double> selectByMass(std::span<const float> logits, int a, int b, double cum, double target,
                                      bool strict);
  // The kept id latest in descending order whose weight is > 0 (rounding left the target at the top).
  int32_t lastWithWeight(std::span<const float> logits, int n) const;
};

}  // namespace folio::engine
