// The MiniMax-M1 forward pass on the CPU over a chunk of tokens, built from the dispatched kernels
// (kernels/cpu/{matmul,elementwise,lightning,softmax_attention}.h: AVX2/FMA where the CPU has it, else
// the plain references kernels/cpu/ref_*). All scratch is allocated once for the largest chunk, so decode runs
// without heap allocation.
// Dimension letters: T tokens of the chunk, C hidden, H heads, KV kv-heads, D head dim, E experts,
// I expert hidden, SI shared-expert hidden, V vocab, P context capacity, W worker threads; under tensor
// parallelism H, KV, I and SI are this rank's part (Vr: its vocabulary rows, N: ranks).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/routing.h"
#include "engine/model/session_state.h"
#include "engine/model/thread_pool.h"
#include "engine/parallel/comm.h"
#include "engine/parallel/rank_weights.h"

namespace folio::engine {

struct ForwardRouting {
  RoutingSink* sink = nullptr;           // not owned; may be null
  RoutingAggregate* aggregate = nullptr; // not owned; may be null
  double expert_threshold = 1.0;         // τ
};

class CpuForward {
 public:
  // max_tokens: the largest chunk run() is given; capacity: P, the KV cache rows of `state`.
  CpuForward(const Model& model, int64_t max_tokens, int64_t capacity, ThreadPool& pool);
  // One rank of a tensor-parallel group (engine/parallel/): the rank's part of the weights, collectives
  // over `comm` (comm.size() == rank.shard().size, comm.rank() == rank.shard().rank). `state` must be
  // allocated with rank.config(); every rank runs the same calls with the same ids. The partial
  // attention and MoE outputs are all-reduced, the lightning norm's variance too, and the lm_head's
  // vocabulary slices gathered, so every rank ends with the whole model's logits.
  CpuForward(const RankWeights& rank, Comm& comm, int64_t max_tokens, int64_t capacity, ThreadPool& pool);

  // Runs ids (1 ≤ T ≤ max_tokens, ids valid, position + T ≤ capacity: the caller checks) after what
  // `state` holds and advances it. decode: the lightning layers take the recurrence (T must be 1)
  // instead of the blockwise prefill. all_logits: null, or [T, V] receiving every position's logits.
  // state.last_logits always receives the last position's. Under tensor parallelism only rank 0 writes
  // all_logits; the other ranks must pass a pointer that is null exactly when rank 0's is (they only
  // read whether it is null, so they agree on how many rows to gather).
  void run(SessionState& state, std::span<const int32_t> ids, bool decode, float* all_logits,
           const ForwardRouting& routing);

  // One decode step of B independent sequences at once (1 ≤ B ≤ max_tokens; under tensor parallelism
  // every rank calls it with the same ids and its parts of the same sequences): ids[b] after what *states[b] holds (states[b]->position + 1 ≤ capacity, the caller
  // checks), recorded with routing[b]. The dense products and the experts read each weight row once for
  // all B tokens; attention and routing stay per sequence. Every sequence ends exactly as a separate
  // run(*states[b], {ids[b]}, true, nullptr, routing[b]) would leave it, bit for bit: a matmul row's
  // result does not depend on how many tokens share the call (kernels/cpu/matmul.h). Allocates only when
  // B exceeds every earlier batch (see reserveDecodeBatch).
  void decodeBatch(std::span<SessionState* const> states, std::span<const int32_t> ids,
                   std::span<const ForwardRouting> routing);
  // Allocates decodeBatch's logits rows (and, under tensor parallelism, the gathered vocabulary slices)
  // for batches of up to B sequences now rather than on first use.
  void reserveDecodeBatch(int64_t B);

  // Layer l's MoE alone on x [T, C] (the post-attention normed input) into out [T, C], T ≤ max_tokens
  // (benchmarks and tests of the MoE path in isolation).
  void moeLayer(int layer, const float* x, int64_t T, float* out, const ForwardRouting& routing);

 private:
  // Allocates the scratch for this config (the whole model's or a rank's).
  CpuForward(const ModelConfig& config, int64_t max_tokens, int64_t capacity, ThreadPool& pool);
  static void checkCollective(const Status& s);
  void allReduce(float* data, int64_t n);  // no-op without a tensor-parallel group
  // The lightning layers' norm over all H·D columns (split over the ranks when there is a group).
  void lightningNorm(const LayerWeights& lw, int64_t T);
  // logits [rows, V] of final_ through this rank's lm_head rows, gathered over the group; written to out
  // (may be null on ranks other than 0) and to last [V] (the last row).
  void shardedLmHead(int64_t rows, float* out, float* last);
  // Several row ranges (one per product or expert) cut into chunks for the pool as one space:
  // chunk c belongs to part `locate(c)`. Capacity is reserved up front, so planning allocates nothing.
  class ChunkPlan {
   public:
    void reserve(size_t parts);
    void clear();
    // Adds a part of `rows` rows, each costing `row_work` multiply-adds, for `threads` threads.
    void add(int64_t rows, int64_t row_work, int threads);
    int64_t chunks() const { return first_.back(); }
    // The part chunk c belongs to, and its rows [*r0, *r1).
    size_t locate(int64_t c, int64_t* r0, int64_t* r1) const;

   private:
    std::vector<int64_t> first_{0}, chunk_, rows_;  // [parts + 1], [parts], [parts]
  };
  void matmul(const float* x, int64_t T, const WeightMatrix& w, float* y);  // y [T, N] = x [T, K] · Wᵀ
  // Several independent products y_i = x_i · W_iᵀ as one job for the pool (fewer hand-offs per token).
  struct Product {
    const float* x;
    int64_t T;
    const WeightMatrix* w;
    float* y;
  };
  void matmuls(std::span<const Product> products);
  // The rows of the current call that belong to one sequence: run() has one, decodeBatch() one per row.
  struct SequenceRows {
    SessionState* state;  // null for moeLayer (no attention)
    int64_t row0, rows;   // its rows [row0, row0 + rows) of the chunk
    int64_t p0;           // its position before the call
    const ForwardRouting* routing;
  };
  // Sets seqs_ to one sequence holding all T rows.
  void setSingleSequence(SessionState* state, int64_t T, int64_t p0, const ForwardRouting* routing);
  // x_ [T, C] (embedded ids) through every layer, for the sequences in seqs_.
  void layers(int64_t T, bool decode);
  void lightningAttention(const LayerWeights& lw, int layer, int64_t T, bool decode);  // xn_ -> attn_
  void softmaxAttention(const LayerWeights& lw, int layer, int64_t T);                // xn_ -> attn_
  // One expert's share of a MoE layer: n rows of xg_/act_/y_ from `row`, through these weights.
  struct ExpertSlot {
    const WeightMatrix* w1;  // gate [I, C]
    const WeightMatrix* w3;  // up [I, C]
    const WeightMatrix* w2;  // down [C, I]
    int64_t row, n;
  };
  // For every slot, act_[r, i] = silu(x_r·W1ᵀ)[i] · (x_r·W3ᵀ)[i] over its rows r of `x` (both products
  // and the activation in one pass over the intermediate rows), then y_[r] = act_[r]·W2ᵀ: two jobs for
  // the pool whatever the number of experts.
  void expertSlots(const float* x, std::span<const ExpertSlot> slots, int64_t I);
  void moe(const LayerWeights& lw, int layer, int64_t T);  // xn_ -> moe_, routed per sequence
  void sharedExpert(const LayerWeights& lw, int64_t T);  // mixes the shared expert into moe_

  const ModelConfig& cfg_;  // the whole model's sizes, or this rank's (rankConfig)
  std::vector<const LayerWeights*> layers_;  // [L]
  const WeightMatrix* embedding_ = nullptr;  // [V, C]
  const WeightMatrix* lm_head_ = nullptr;    // [V, C], or this rank's vocabulary rows [Vr, C]
  const std::vector<float>* final_norm_ = nullptr;  // [C]
  Comm* comm_ = nullptr;                     // null: the whole model on this thread pool
  const RankWeights* rank_ = nullptr;        // with comm_
  ThreadPool& pool_;
  int64_t max_tokens_, capacity_;

  std::vector<SequenceRows> seqs_;  // the current call's sequences (capacity max_tokens: decode allocates nothing)
  std::vector<int32_t> row_seq_;    // [T] index into seqs_ of each row
  std::vector<int64_t> seq_items_;  // [seqs + 1] softmax attention: first work item of each sequence
  std::vector<float> batch_logits_; // [B, V] decodeBatch's logits (grown by reserveDecodeBatch)
  std::vector<float> x_;      // [T, C] residual stream
  std::vector<float> xn_;     // [T, C] normed input of the current sublayer
  std::vector<float> attn_;   // [T, C] attention output
  std::vector<float> moe_;    // [T, C] MoE output
  std::vector<float> qkv_;    // [T, 3·H·D] lightning q, k, v (per-head interleaved)
  std::vector<float> gate_;   // [T, H·D] lightning output gate
  std::vector<float> heads_;  // [T, H·D] per-head attention outputs
  std::vector<float> lscratch_;  // [W, lightningPrefillScratch(D)] lightning prefill scratch per worker
  std::vector<float> q_;      // [T, H·D] softmax queries
  std::vector<float> k_;      // [T, KV·D]
  std::vector<float> v_;      // [T, KV·D]
  std::vector<float> scores_; // [W, attn_scratch_] softmax attention scratch per worker
  int64_t attn_scratch_ = 0;  // softmaxAttentionScratch(P, D)
  std::vector<float> router_; // [T, E] router logits
  std::vector<float> probs_;  // [E]
  std::vector<int> chosen_;   // [T, top_k] kept experts per token
  std::vector<float> chosen_w_;  // [T, top_k] their weights
  std::vector<int> kept_;     // [T] number kept per token
  std::vector<ExpertChoice> choices_;  // [top_k]
  std::vector<int64_t> rows_;   // [T·top_k] token of each gathered row, expert after expert
  std::vector<float> row_w_;    // [T·top_k] its routing weight
  std::vector<ExpertSlot> slots_;  // [E] the experts with tokens this chunk, in index order
  ChunkPlan plan_;                 // the current job's chunks (matmuls, expertSlots)
  std::vector<float> xg_;       // [T·top_k, C] gathered inputs, expert after expert
  std::vector<float> up_;       // [T·top_k, max(I, SI)]
  std::vector<float> act_;      // [T·top_k, max(I, SI)]
  std::vector<float> y_;        // [T·top_k, C] expert outputs
  std::vector<float> coef_;     // [T] shared-expert mixing coefficient
  std::vector<float> final_;    // [T, C] final-normed hidden state
  // tensor parallel only
  std::vector<float> norm_ss_;       // [T] lightning norm sums of squares
  std::vector<float> rank_logits_;   // [rows, Vr] this rank's vocabulary slice (padded to rows · ceil(V/N))
  std::vector<float> gathered_;      // [N, rows · ceil(V/N)] every rank's slice
};

}  // namespace folio::engine
