// Next-token sampling over fp32 logits [V]: greedy, temperature, top-k and top-p (nucleus), driven by a
// seeded std::mt19937_64 so that a seed reproduces the same tokens on every run and platform (the
// uniform draw is built from the raw 64-bit output, not from a library distribution).
//
// Dimension letters: V vocabulary size.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.h"

namespace folio::engine {

struct SamplingParams {
  double temperature = 0.0;  // <= 0: greedy (argmax). Otherwise logits are divided by it.
  int top_k = 0;             // 0: no limit; 1 is greedy
  double top_p = 1.0;        // (0, 1]: keep the smallest prefix (by probability) whose mass reaches top_p

  bool greedy() const { return temperature <= 0.0 || top_k == 1; }
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

  // Draws the next token from `logits` [V]. NaN and -inf logits have probability 0.
  int32_t sample(std::span<const float> logits);

  const SamplingParams& params() const { return params_; }

 private:
  // A uniform double in [0, 1) from 53 raw bits of the generator.
  double uniform();
  int vocab_size_;
  SamplingParams params_;
  std::mt19937_64 rng_;
  std::vector<int32_t> index_;  // [V] candidate ids
  std::vector<float> probs_;    // [V] unnormalised probabilities, by id (valid for the candidates)
  std::vector<double> bucket_;  // [kBuckets] count or mass of the candidates per band of logit distance

  // Moves to the front of index_[0, n) the ids whose band (distance below the top logit, in units of
  // the temperature) is at most that of the band where the running `weight` (1 per id, or its
  // probability) first reaches `need`, plus one band of slack; returns how many. A large vocabulary
  // then needs ordering only among these few instead of all of it.
  int leadingBands(std::span<const float> logits, int n, float max_logit, float inv_t, bool by_mass, double need);
};

}  // namespace folio::engine
