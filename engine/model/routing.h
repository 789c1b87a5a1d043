// The record of which experts each MoE layer chose for each token, and the aggregates the GUI's
// heatmap and the HTTP API show.
#pragma once

#include <cstdint>
#include <vector>

namespace folio::engine {

struct ExpertChoice {
  int16_t expert = 0;
  float weight = 0;  // renormalised over the kept experts
};

// Per-layer × per-expert counts and weight sums, plus how many expert evaluations the τ threshold saved.
struct RoutingAggregate {
  int num_layers = 0, num_experts = 0;
  std::vector<int64_t> counts;     // [L, E] tokens routed to each expert
  std::vector<double> weight_sums; // [L, E] summed routing weights
  int64_t experts_evaluated = 0;   // expert FFN evaluations actually run
  int64_t experts_skipped = 0;     // evaluations saved by expert_threshold < 1

  void reset(int layers, int experts);
  void add(int layer, const ExpertChoice* choices, int n, int top_k);
};

// Receives routing decisions as the model makes them. `position` is the absolute token index.
class RoutingSink {
 public:
  virtual ~RoutingSink() = default;
  virtual void onRouting(int64_t position, int layer, const ExpertChoice* choices, int n) = 0;
};

}  // namespace folio::engine
