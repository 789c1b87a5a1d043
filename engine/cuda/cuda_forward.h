// The MiniMax-M1 forward pass on one CUDA device over a chunk of tokens, the same math in the same
// order as engine/model/cpu_forward.{h,cpp} (cpu_attention.cpp, cpu_moe.cpp), one kernels::cuda op
// per step. Every buffer is allocated once here for the largest chunk, so decode allocates nothing;
// a decode step synchronises once (for its logits), a prefill chunk also once per MoE layer (to read
// the per-expert row offsets). With setDecodeGraphs(true) a decode step (T = 1) runs as one CUDA graph
// (decode_graph.h) until a capture fails; off by default until a device run has checked and timed it.
// Prefill launches on the stream. Routing choices are copied to pinned host memory layer by layer
// without a sync and handed to the sink/aggregate after the chunk, in the CPU's order (layer, then token).
// As one rank of a tensor-parallel group (TensorParallelRank) it runs that rank's part of the model and
// meets the other ranks after the embedding lookup (each rank holds its vocabulary rows, as the lm_head),
// after each attention output projection and each MoE (all-reduce of the partial sums), inside the joint
// lightning norm (all-reduce of the sums of squares) and after the lm_head (all-gather of the vocabulary
// parts), as engine/model/cpu_forward.cpp does on CPU ranks (which read the whole embedding).
// Dimension letters: T tokens of the chunk, C hidden, H heads, KV kv-heads, D head dim, E experts,
// K top-k, I expert hidden, SI shared-expert hidden, V vocab, L layers, R logit rows per lm_head pass;
// a trailing r marks a rank's part (Hr, Vr).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/cuda/decode_graph.h"
#include "engine/cuda/device_buffer.h"
#include "engine/cuda/device_model.h"
#include "engine/cuda/device_state.h"
#include "engine/model/cpu_forward.h"
#include "engine/parallel/comm.h"
#include "engine/parallel/shard.h"

namespace folio::engine::cuda {

// What one rank of a tensor-parallel group needs besides its weights.
struct TensorParallelRank {
  // Collectives over device pointers, ordered after the work queued on the forward's stream (NcclComm:
  // the forward must run on comm's stream(); HostStagedComm: built on the forward's stream). Not owned.
  Comm* comm = nullptr;
  RankLayout layout;         // the rank's heads and vocabulary rows (rankLayout)
  int64_t model_heads = 0;   // H of the whole model: the joint lightning norm spans all H·D columns
};

class CudaForward {
 public:
  // max_tokens: the largest chunk run() is given. Allocates on the model's device; `stream` is not owned.
  // tp: null for the whole model on this device; else `model` is rank tp->comm->rank()'s part
  // (DeviceModel::upload(RankWeights)).
  CudaForward(std::shared_ptr<const DeviceModel> model, int64_t max_tokens, cudaStream_t stream,
              const TensorParallelRank* tp = nullptr);

  // Runs ids (1 ≤ T ≤ max_tokens, valid ids, position + T ≤ state capacity: the caller checks) at
  // absolute position p0, advancing `state`. decode: lightning layers take the recurrence (T must be 1).
  // all_logits: null or host [T, V]; last_logits: host [V], or null to leave a decode step's logits on
  // the device only (deviceLogits() row 0). Returns after the stream has finished.
  void run(DeviceState& state, int64_t p0, std::span<const int32_t> ids, bool decode, float* all_logits,
           float* last_logits, const ForwardRouting& routing) {
    run(state, p0, ids, decode, all_logits != nullptr, all_logits, last_logits, routing);
  }
  // The same for a tensor-parallel rank: every rank makes the same call with the same `every_row` (the
  // lm_head over every position, whose logits rank 0 then writes to all_logits); ranks other than 0
  // pass null host pointers and a routing without sink or aggregate (rank 0 reports it).
  void run(DeviceState& state, int64_t p0, std::span<const int32_t> ids, bool decode, bool every_row,
           float* all_logits, float* last_logits, const ForwardRouting& routing);

  // One decode step of B sequences at once (batched serving, engine/model/decode_batcher.h): ids[b] at
  // position seqs[b].p0 of *seqs[b].state; the dense products and the experts read each weight once for
  // all B (1 ≤ B ≤ max_tokens and the lm_head rows; not a tensor-parallel rank), attention runs per
  // sequence. All sequences of a step share one τ. Each sequence's logits row is copied to its device
  // buffer seqs[b].logits [V] and its routing reported through seqs[b].routing. Returns after the stream
  // has finished. Not bit-identical to decoding alone: cuBLAS may order a B-row product's sums differently.
  struct BatchSequence {
    DeviceState* state = nullptr;
    int64_t p0 = 0;
    float* logits = nullptr;  // device [V], on this forward's device
    ForwardRouting routing;
  };
  void decodeBatch(std::span<const BatchSequence> seqs, std::span<const int32_t> ids);
  int64_t maxBatch() const { return std::min(max_tokens_, logit_rows_); }
  const std::shared_ptr<const DeviceModel>& model() const { return model_; }

  // The same without reading logits back or reporting routing: enqueues a decode step and leaves the
  // last position's logits in deviceLogits() (benchmarks time the device work alone).
  void enqueueDecode(DeviceState& state, int64_t p0, int32_t id);
  const float* deviceLogits() const { return logits_.get(); }  // [R, V]
  const ModelConfig& config() const { return cfg_; }  // the model's, or the rank's part (rankConfig)
  int64_t deviceBytes() const;  // scratch allocated by this object

  // Up to how many tokens the MoE runs as gather-GEMVs in slices of 8 (no host sync) rather than by
  // permutation with one GEMM per expert and a host read of the expert offsets per layer; default 8
  // (one slice). A batched decode step of 9–32 sequences may do better with 32: bench_gpu_model times
  // both, and the default changes only on those figures.
  void setMoeGemvTokens(int64_t tokens);

  // Decode steps as CUDA graphs or as plain stream launches (the default: graphs have not yet run on a
  // device), so both can be compared. A tensor-parallel rank always launches on the stream.
  void setDecodeGraphs(bool on) { decode_graphs_ = on; }
  // True while decode steps go through the graph: on, and no capture has failed.
  bool decodeGraphsActive() const { return decode_graphs_ && !tp_ && graph_.usable(); }
  const std::string& decodeGraphFailure() const { return graph_.failure(); }  // empty unless a capture failed
  int64_t decodeGraphLaunches() const { return graph_.launches(); }
  int64_t decodeGraphInstantiations() const { return graph_.instantiations(); }

 private:
  // The rows of the current call that belong to one sequence: one for run(), one per row for decodeBatch().
  struct SequenceRows {
    DeviceState* state;
    int64_t row0, rows, p0;
  };
  void forward(DeviceState& state, int64_t p0, int64_t T, bool decode, bool record_routing);
  // ids_ (T rows) through every layer, for the sequences in seqs_
  void forwardRows(int64_t T, bool decode, bool record_routing);
  // forward of one decode token and the lm_head of its row, through the graph while it is active
  void enqueueDecodeStep(DeviceState& state, int64_t p0, bool record_routing);
  void lightningAttention(const DeviceLayer& lw, int layer, int64_t T, bool decode);  // xn_ -> attn_
  void softmaxAttention(const DeviceLayer& lw, int layer, int64_t T);                // xn_ -> attn_
  void moe(const DeviceLayer& lw, int layer, int64_t T, bool record_routing);                    // xn_ -> moe_
  void moeGrouped(const DeviceLayer& lw, int64_t T);  // routed experts by permutation, one GEMM per expert
  void sharedExpert(const DeviceLayer& lw, int64_t T);  // mixes the shared expert into moe_
  void gateUp(const float* x, int64_t n, const DeviceMatrix& w1, const DeviceMatrix& w3, float* act, float* up);
  // rows [row0, row0 + rows) of the last call's routing, at positions p0 …, to routing's sink and aggregate
  void reportRouting(int64_t row0, int64_t rows, int64_t p0, const ForwardRouting& routing);
  void enqueueLmHead(int64_t first, int64_t rows);  // final norm + lm_head of x_ rows into logits_
  // a prefill chunk's logits to the host (synchronising): all_logits (null or [T, V]) and last_logits [V]
  void readLogits(int64_t T, bool every_row, float* all_logits, float* last_logits);
  // Tensor parallel: sums `data` [n] over the ranks (no-op for the whole model); a failed collective throws.
  void allReduce(float* data, int64_t n);
  // The joint lightning norm of heads_ [T, H·D] (its rank part [T, Hr·D] under tensor parallelism).
  void lightningNorm(const DeviceLayer& lw, int64_t T);
  // Tensor parallel: this rank's vocabulary rows of final_ [rows, C], gathered from every rank into
  // logits_ [rows, V].
  void shardedLmHead(int64_t rows);

  std::shared_ptr<const DeviceModel> model_;
  const ModelConfig& cfg_;
  cudaStream_t stream_;
  int64_t max_tokens_;
  int64_t logit_rows_;  // R
  double tau_ = 1.0;    // τ of the chunk being run
  std::unique_ptr<kernels::cuda::GemmContext> gemm_;
  std::unique_ptr<const TensorParallelRank> tp_;  // null: the whole model
  bool decode_graphs_ = false;
  int64_t moe_gemv_tokens_ = 8;  // setMoeGemvTokens
  DecodeGraph graph_;

  std::vector<SequenceRows> seqs_;  // the current call's sequences (capacity max_tokens)
  PinnedBuffer<int32_t> ids_host_;  // [T]
  DeviceBuffer<int32_t> ids_;       // [T]
  DeviceBuffer<float> x_;           // [T, C] residual stream
  DeviceBuffer<float> xn_;          // [T, C] normed input of the current sublayer
  DeviceBuffer<float> attn_;        // [T, C]
  DeviceBuffer<float> moe_;         // [T, C]
  DeviceBuffer<float> qkv_;         // [T, 3·H·D] lightning; softmax q [T, H·D] | k [T, KV·D] | v [T, KV·D]
  DeviceBuffer<float> gate_;        // [T, H·D] lightning output gate
  DeviceBuffer<float> heads_;       // [T, H·D]
  DeviceBuffer<std::byte> attn_scratch_;  // softmax decode partials (attentionDecodeScratchBytes)
  DeviceBuffer<float> router_;      // [T, E]
  DeviceBuffer<int> experts_;       // [T, K]
  DeviceBuffer<float> weights_;     // [T, K]
  DeviceBuffer<int> kept_;          // [T]
  DeviceBuffer<int> counts_;        // [E]
  DeviceBuffer<int> offsets_;       // [E + 1]
  DeviceBuffer<int> perm_token_;    // [T·K]
  DeviceBuffer<float> perm_weight_; // [T·K]
  DeviceBuffer<std::byte> perm_scratch_;
  DeviceBuffer<float> xperm_;       // [T·K, C]
  DeviceBuffer<float> act_;         // [max(T·K, T), max(I, SI)]
  DeviceBuffer<float> up_;          // [max(T·K, T), max(I, SI)]
  DeviceBuffer<float> y_;           // [T·K, C]
  DeviceBuffer<float> coef_;        // [T]
  DeviceBuffer<float> final_;       // [R, C]
  DeviceBuffer<float> logits_;      // [R, V]
  DeviceBuffer<float> norm_ss_;     // [T] tensor parallel: the joint norm's sums of squares
  DeviceBuffer<float> rank_logits_; // [R, ceil(V / N)] tensor parallel: this rank's vocabulary part
  DeviceBuffer<float> gathered_;    // [N, R, ceil(V / N)] tensor parallel: every rank's part
  PinnedBuffer<int> offsets_host_;  // [E + 1]
  PinnedBuffer<int> experts_host_;  // [L, T, K]
  PinnedBuffer<float> weights_host_;  // [L, T, K]
  PinnedBuffer<int> kept_host_;     // [L, T]
  std::vector<ExpertChoice> choices_;  // [K]
};

}  // namespace folio::engine::cuda
