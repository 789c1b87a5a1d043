// What a model costs before any weight is loaded: parameters (total, active per token), bytes of weights
// per storage choice, softmax KV bytes per token, lightning state bytes per sequence, and memory per GPU
// for tensor-parallel degrees at a context length. Works from config.json alone; `folio plan` prints it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model_config.h"

namespace folio::engine {

struct ParameterCounts {
  int64_t embedding = 0;       // embed_tokens
  int64_t lm_head = 0;         // 0 when tied to the embeddings
  int64_t norms = 0;           // every RMSNorm weight
  int64_t router = 0;          // MoE gates
  int64_t experts = 0;         // all routed experts of all layers
  int64_t shared_expert = 0;   // shared MLP + coefficient
  int64_t lightning_attn = 0;  // qkv, gate, out projections
  int64_t softmax_attn = 0;    // q, k, v, o projections

  int64_t total() const;
  // Weights one token multiplies through in the layers: attention, norms, router, the top-k experts and
  // the shared expert. Embedding and lm_head are left out (the convention behind "45.9 B active").
  int64_t activePerToken(int top_k, int num_experts) const;
};

// Bytes of all weights under each storage choice.
struct WeightBytes {
  uint64_t bf16_f32_router = 0;  // as released: bf16 everywhere, routers in f32
  uint64_t all_bf16 = 0;
  uint64_t all_f32 = 0;
  // Routed experts int8 (weight-only, per-output-channel) + one f32 scale per output channel; the rest
  // as released (embeddings, lm_head and routers are not quantised).
  uint64_t int8_experts = 0;
};

struct TensorParallelRow {
  int degree = 1;
  std::string not_possible;        // non-empty: why this degree cannot split the model
  uint64_t weights_bf16 = 0;       // per GPU, weights as released
  uint64_t weights_int8 = 0;       // per GPU, int8 experts
  uint64_t kv_cache = 0;           // per GPU at the context length (KV heads replicate when degree > KV)
  uint64_t lightning_state = 0;    // per GPU, one sequence
  uint64_t workspace = 0;          // the stated activation/workspace allowance
  uint64_t totalBf16() const { return weights_bf16 + kv_cache + lightning_state + workspace; }
  uint64_t totalInt8() const { return weights_int8 + kv_cache + lightning_state + workspace; }
};

// The index's total_size (or the single file's tensor bytes) against the storage choices above.
struct CheckpointCheck {
  std::string source;       // the file read
  uint64_t bytes = 0;       // what it states
  std::string matches;      // "bf16 + f32 router", "bf16", "f32", or "" when none matches
};

struct PlanOptions {
  int64_t context_tokens = 1'000'000;
  double workspace_gib = 2.0;                // per GPU
  std::optional<double> gpu_memory_gib;      // when set, rows say whether they fit
  std::vector<int> tensor_parallel_degrees = {1, 2, 4, 8};
};

struct ModelPlan {
  ModelConfig config;
  PlanOptions options;
  ParameterCounts params;
  int64_t total_params = 0;
  int64_t active_params = 0;
  WeightBytes weights;
  int lightning_layers = 0;
  int softmax_layers = 0;
  std::vector<int> softmax_layer_indices;  // 0-based
  std::string layer_pattern;               // "70 lightning + 10 softmax; softmax at layers 7, 15, … (0-based)"
  uint64_t kv_bytes_per_token = 0;         // softmax layers, bf16 K and V
  uint64_t lightning_state_bytes = 0;      // per sequence, fp32
  std::vector<TensorParallelRow> tensor_parallel;
  std::optional<CheckpointCheck> checkpoint;
};

ModelPlan planModel(const ModelConfig& config, const PlanOptions& options);

// Reads <dir>/config.json, plans, and cross-checks the weights' stated size when an index or a single
// model.safetensors is present (only its header is read).
Result<ModelPlan> planModelDir(const std::filesystem::path& model_dir, const PlanOptions& options);

}  // namespace folio::engine
