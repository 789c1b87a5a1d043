// Where a model's bytes go on N GPUs under tensor parallelism (the split of engine/parallel/shard.h):
// per GPU, the attention shards (query heads, KV heads), the routed experts' hidden-unit shards, the
// shared expert's, the replicated norms and routers, the vocabulary shards of the embedding and lm_head,
// the KV cache and lightning state of the sequences at a context length, the activations of a prefill
// chunk, and a runtime reserve — against the memory of each GPU. Works from config.json alone.
// Dimension letters: C hidden, L layers, H heads, KV kv-heads, D head dim, E experts, I expert hidden,
// SI shared-expert hidden, V vocab, T prefill chunk tokens, k experts per token; r marks a rank's part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/session.h"
#include "engine/model_config.h"

namespace folio::engine {

struct PlacementOptions {
  int gpus = 1;
  double gpu_memory_gib = 80.0;      // memory of each GPU
  int64_t context_tokens = 1'000'000;
  int sequences = 1;                 // sequences decoded at once (KV cache and lightning state each)
  int64_t prefill_chunk = kCudaPrefillChunk;  // T: tokens per prefill chunk (activations)
  bool int8_experts = false;         // routed experts int8 + f32 per-output-channel scales
  double reserve_gib = 2.0;          // CUDA context, cuBLAS and NCCL workspaces per GPU
};

// Bytes on the fullest GPU (with uneven splits the ranks differ by at most one row per dimension).
struct GpuShareBytes {
  uint64_t attention = 0;       // lightning qkv/gate/out_proj + its norm, softmax q/k/v/o: rank's heads
  uint64_t experts = 0;         // routed experts: I/N hidden units of every expert (+ int8 scales)
  uint64_t shared_expert = 0;   // SI/N hidden units + the mixing coefficient
  uint64_t replicated = 0;      // every norm but the lightning one, and the routers (f32)
  uint64_t embedding = 0;       // V/N rows (vocab-parallel lookup + all-reduce)
  uint64_t lm_head = 0;         // V/N rows, bf16 weights, computed in fp32
  uint64_t kv_cache = 0;        // bf16 K and V of the rank's KV heads, context × sequences
  uint64_t lightning_state = 0; // fp32 [Hr, D, D] per lightning layer and sequence
  uint64_t activations = 0;     // one prefill chunk's live buffers (see gpu_placement.cpp)
  uint64_t reserve = 0;         // runtime reserve
  uint64_t weights() const { return attention + experts + shared_expert + replicated + embedding + lm_head; }
  uint64_t total() const { return weights() + kv_cache + lightning_state + activations + reserve; }
};

struct GpuPlacement {
  PlacementOptions options;
  std::string not_possible;  // non-empty: the model does not split over options.gpus (why)
  GpuShareBytes per_gpu;     // the fullest GPU
  uint64_t gpu_memory = 0;   // bytes of each GPU
  bool fits = false;
  std::string refusal;       // when it does not fit: the shortfall, named
  // When it does not fit: the fewest GPUs of this memory (up to 64, splitting the model) that would.
  std::optional<int> gpus_that_fit;
};

GpuPlacement planGpuPlacement(const ModelConfig& config, const PlacementOptions& options);

}  // namespace folio::engine
