#include "engine/model/routing.h"

#include "engine/common/check.h"

namespace folio::engine {

void RoutingAggregate::reset(int layers, int experts) {
  num_layers = layers;
  num_experts = experts;
  counts.assign(static_cast<size_t>(layers) * static_cast<size_t>(experts), 0);
  weight_sums.assign(counts.size(), 0.0);
  experts_evaluated = 0;
  experts_skipped = 0;
}

void RoutingAggregate::add(int layer, const ExpertChoice* choices, int n, int top_k) {
  FOLIO_CHECK(layer >= 0 && layer < num_layers);
  FOLIO_CHECK(n >= 0 && n <= top_k);
  for (int i = 0; i < n; ++i) {
    const int e = choices[i].expert;
    FOLIO_CHECK(e >= 0 && e < num_experts);
    const size_t idx = static_cast<size_t>(layer) * static_cast<size_t>(num_experts) + static_cast<size_t>(e);
    counts[idx] += 1;
    weight_sums[idx] += choices[i].weight;
  }
  experts_evaluated += n;
  experts_skipped += top_k - n;
}

}  // namespace folio::engine
