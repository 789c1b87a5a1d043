// Plain reference MoE routing for one token: fp32 softmax over the E router logits, top-k in
// descending probability (ties to the lower expert index), the expert threshold τ, renormalisation.
// Dimension letters: E experts.
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

// logits [E] -> probs [E] (the full softmax); experts/weights [top_k] receive the kept experts in
// descending probability and their weights renormalised to sum 1 over the kept ones. τ ∈ (0, 1]: keep
// the shortest prefix of the top-k whose summed probability reaches τ · (sum of the top-k
// probabilities), at least one; τ ≥ 1 keeps all k. Returns the number kept (1 … top_k).
int routeTopK(const float* logits, int E, int top_k, double tau, float* probs, int* experts, float* weights);

}  // namespace folio::kernels::ref
