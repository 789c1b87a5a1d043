#include "kernels/cpu/ref_moe_routing.h"

#include "kernels/cpu/ref_softmax.h"

namespace folio::kernels::ref {

int routeTopK(const float* logits, int E, int top_k, double tau, float* probs, int* experts, float* weights) {
  for (int e = 0; e < E; ++e) probs[e] = logits[e];
  softmaxRow(probs, E);
  // top-k by repeated selection: strictly greater wins, so ties go to the lower index
  for (int slot = 0; slot < top_k; ++slot) {
    int best = -1;
    for (int e = 0; e < E; ++e) {
      bool taken = false;
      for (int j = 0; j < slot; ++j) taken = taken || experts[j] == e;
      if (taken) continue;
      if (best < 0 || probs[e] > probs[best]) best = e;
    }
    experts[slot] = best;
  }
  int kept = top_k;
  if (tau < 1.0) {
    double total = 0.0;
    for (int j = 0; j < top_k; ++j) total += probs[experts[j]];
    const double target = tau * total;
    double prefix = 0.0;
    kept = 0;
    while (kept < top_k) {
      prefix += probs[experts[kept]];
      ++kept;
      if (prefix >= target) break;
    }
  }
  float sum = 0.0f;
  for (int j = 0; j < kept; ++j) sum += probs[experts[j]];
  for (int j = 0; j < kept; ++j) weights[j] = probs[experts[j]] / sum;
  return kept;
}

}  // namespace folio::kernels::ref
