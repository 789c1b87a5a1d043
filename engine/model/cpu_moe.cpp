// The mixture of experts of the CPU forward pass: fp32 router, top-k with the τ threshold, only the
// chosen experts evaluated, and the optional shared expert (see cpu_forward.h for dimension letters).
#include <algorithm>

#include "engine/common/check.h"
#include "engine/model/cpu_forward.h"
#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/ref_moe_routing.h"

namespace folio::engine {

namespace ref = kernels::ref;
namespace kern = kernels;

void CpuForward::expertSlots(const float* x, std::span<const ExpertSlot> slots, int64_t I) {
  const int64_t C = cfg_.hidden_size;
  // gate/up: every slot's I rows as one space of chunks
  plan_.clear();
  for (const ExpertSlot& slot : slots) plan_.add(I, slot.n * C, pool_.size());
  pool_.parallelChunks(plan_.chunks(), 1, [&](int64_t b, int64_t e, int) {
    for (int64_t c = b; c < e; ++c) {
      int64_t i0, i1;
      const ExpertSlot& slot = slots[plan_.locate(c, &i0, &i1)];
      const float* xs = x + slot.row * C;
      float* act = act_.data() + slot.row * I;
      float* up = up_.data() + slot.row * I;
      kern::matmulRows(xs, slot.n, *slot.w1, act, i0, i1);  // [n, I] gate, columns [i0, i1)
      kern::matmulRows(xs, slot.n, *slot.w3, up, i0, i1);   // [n, I] up
      for (int64_t t = 0; t < slot.n; ++t) kern::siluMul(act + t * I + i0, up + t * I + i0, act + t * I + i0, i1 - i0);
    }
  });
  // down: every slot's C rows
  plan_.clear();
  for (const ExpertSlot& slot : slots) plan_.add(C, slot.n * I, pool_.size());
  pool_.parallelChunks(plan_.chunks(), 1, [&](int64_t b, int64_t e, int) {
    for (int64_t c = b; c < e; ++c) {
      int64_t c0, c1;
      const ExpertSlot& slot = slots[plan_.locate(c, &c0, &c1)];
      kern::matmulRows(act_.data() + slot.row * I, slot.n, *slot.w2, y_.data() + slot.row * C, c0, c1);  // [n, C]
    }
  });
}

void CpuForward::moeLayer(int layer, const float* x, int64_t T, float* out, const ForwardRouting& routing) {
  const int64_t C = cfg_.hidden_size;
  FOLIO_CHECK(T >= 1 && T <= max_tokens_ && layer >= 0 && layer < cfg_.num_layers);
  std::copy_n(x, T * C, xn_.data());
  setSingleSequence(nullptr, T, 0, &routing);
  moe(*layers_[static_cast<size_t>(layer)], layer, T);
  std::copy_n(moe_.data(), T * C, out);
}

void CpuForward::moe(const LayerWeights& lw, int layer, int64_t T) {
  const int64_t C = cfg_.hidden_size, E = cfg_.num_experts, K = cfg_.top_k, I = cfg_.intermediate_size;
  matmul(xn_.data(), T, lw.router, router_.data());  // [T, E]
  for (int64_t t = 0; t < T; ++t) {
    const SequenceRows& seq = seqs_[static_cast<size_t>(row_seq_[static_cast<size_t>(t)])];
    const ForwardRouting& routing = *seq.routing;
    int* experts = chosen_.data() + t * K;
    float* weights = chosen_w_.data() + t * K;
    const int kept = ref::routeTopK(router_.data() + t * E, static_cast<int>(E), static_cast<int>(K),
                                    routing.expert_threshold, probs_.data(), experts, weights);
    kept_[static_cast<size_t>(t)] = kept;
    for (int j = 0; j < kept; ++j) choices_[static_cast<size_t>(j)] = {static_cast<int16_t>(experts[j]), weights[j]};
    if (routing.sink) routing.sink->onRouting(seq.p0 + t - seq.row0, layer, choices_.data(), kept);
    if (routing.aggregate) routing.aggregate->add(layer, choices_.data(), kept, static_cast<int>(K));
  }
  // gather each expert's tokens, expert after expert in index order, then evaluate them all at once
  slots_.clear();
  int64_t n = 0;
  for (int64_t e = 0; e < E; ++e) {
    const int64_t row = n;
    for (int64_t t = 0; t < T; ++t) {
      for (int j = 0; j < kept_[static_cast<size_t>(t)]; ++j) {
        if (chosen_[static_cast<size_t>(t * K + j)] != e) continue;
        rows_[static_cast<size_t>(n)] = t;
        row_w_[static_cast<size_t>(n)] = chosen_w_[static_cast<size_t>(t * K + j)];
        std::copy_n(xn_.data() + t * C, C, xg_.data() + n * C);
        ++n;
      }
    }
    if (n == row) continue;
    const ExpertWeights& ew = lw.experts[static_cast<size_t>(e)];
    slots_.push_back(ExpertSlot{&ew.w1, &ew.w3, &ew.w2, row, n - row});
  }
  expertSlots(xg_.data(), slots_, I);
  // weighted sum in expert order (the same order for every chunking of the tokens)
  std::fill(moe_.begin(), moe_.begin() + T * C, 0.0f);
  for (int64_t r = 0; r < n; ++r) {
    float* dst = moe_.data() + rows_[static_cast<size_t>(r)] * C;
    const float* src = y_.data() + r * C;
    const float w = row_w_[static_cast<size_t>(r)];
    for (int64_t c = 0; c < C; ++c) dst[c] += w * src[c];
  }
  if (lw.has_shared) sharedExpert(lw, T);
  allReduce(moe_.data(), T * C);  // each rank evaluated its slice of every expert's hidden units
}

void CpuForward::sharedExpert(const LayerWeights& lw, int64_t T) {
  const int64_t C = cfg_.hidden_size, SI = cfg_.shared_intermediate_size;
  const ExpertSlot shared{&lw.shared_gate, &lw.shared_up, &lw.shared_down, 0, T};
  expertSlots(xn_.data(), std::span<const ExpertSlot>(&shared, 1), SI);  // act_ [T, SI], y_ [T, C]
  matmul(xn_.data(), T, lw.coefficient, coef_.data()); // [T, 1] c = hn·coefficientᵀ
  kern::sigmoid(coef_.data(), T);
  for (int64_t t = 0; t < T; ++t) {
    const float g = coef_[static_cast<size_t>(t)];
    float* m = moe_.data() + t * C;
    const float* s = y_.data() + t * C;
    for (int64_t c = 0; c < C; ++c) m[c] = m[c] * (1.0f - g) + s[c] * g;
  }
}

}  // namespace folio::engine
