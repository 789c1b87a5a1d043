// A RoutingSink that records, for every token the session runs (prompt and generated) and every MoE
// layer, the chosen experts and their weights, plus per-layer × per-expert counts and weight sums; and
// its JSON form (`folio generate --routing-log FILE`).
//
// JSON schema (one object; L = num_layers MoE layers, E = num_experts, n ≤ top_k kept experts):
//   {"model": "<name>", "num_layers": L, "num_experts": E, "top_k": k,
//    "tokens": [{"position": p, "id": token id (-1 when unknown), "layers": [[[e, w], …n] × L]}, …],
//    "counts": [[int × E] × L],        // tokens routed to expert e at layer l
//    "weight_sums": [[float × E] × L], // summed renormalised weights
//    "experts_evaluated": int,         // Σ n over tokens × layers
//    "experts_skipped": int}           // Σ (top_k − n): evaluations saved by expert_threshold < 1
// Tokens are in ascending position; positions are absolute in the session (a restored session starts
// past 0). Weights are the renormalised weights over the kept experts, in descending router probability.
//
// Dimension letters: T recorded tokens, L MoE layers, E experts, K top_k.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/routing.h"

namespace folio::engine {

class RoutingLog final : public RoutingSink {
 public:
  RoutingLog(int num_layers, int num_experts, int top_k);

  // Thread-safe: a model may route the tokens of a chunk from several threads.
  void onRouting(int64_t position, int layer, const ExpertChoice* choices, int n) override;
  // Records the token ids at positions first_position, first_position + 1, … (the generator calls this
  // for the prompt and each generated token).
  void noteTokens(int64_t first_position, std::span<const int32_t> ids);
  // Reserves room for `tokens` more tokens so recording does not reallocate.
  void reserve(int64_t tokens);

  int numLayers() const { return num_layers_; }
  int numExperts() const { return num_experts_; }
  int topK() const { return top_k_; }
  int64_t firstPosition() const { return first_position_; }
  int64_t numTokens() const { return static_cast<int64_t>(ids_.size()); }  // recorded rows T
  int32_t tokenId(int64_t row) const { return ids_[static_cast<size_t>(row)]; }
  // The experts kept for row `row` at `layer` (empty when that layer has not reported for the token).
  std::span<const ExpertChoice> choices(int64_t row, int layer) const;
  // Counts, weight sums and evaluated/skipped totals over everything recorded.
  const RoutingAggregate& aggregate() const { return aggregate_; }

  std::string toJson(const std::string& model_name) const;
  // Writes toJson() atomically (temporary file + rename).
  Status writeJson(const std::filesystem::path& path, const std::string& model_name) const;

 private:
  void growTo(int64_t rows);  // caller holds mutex_

  int num_layers_, num_experts_, top_k_;
  int64_t first_position_ = -1;          // position of row 0; -1 until the first record
  std::vector<int32_t> ids_;             // [T]
  std::vector<ExpertChoice> choices_;    // [T, L, K]
  std::vector<int8_t> counts_;           // [T, L] kept experts; -1 = not reported
  RoutingAggregate aggregate_;
  mutable std::mutex mutex_;
};

}  // namespace folio::engine
