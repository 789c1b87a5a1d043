// A loaded model: its config, the memory-mapped weights, and per-layer bound weight matrices, shared
// read-only by any number of sessions, plus the copies of those weights that backends made for devices.
// See ../shared/spec/minimax-m1.md for the network.
// Dimension letters: C hidden, H heads, KV kv-heads, D head dim, E experts, I expert hidden,
// SI shared-expert hidden, V vocab.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/device_weights_cache.h"
#include "engine/model_config.h"
#include "engine/weights/weight_store.h"
#include "kernels/cpu/ref_matmul.h"

namespace folio::engine {

using kernels::ref::WeightMatrix;

struct ExpertWeights {
  WeightMatrix w1;  // [I, C] gate
  WeightMatrix w3;  // [I, C] up
  WeightMatrix w2;  // [C, I] down
};

struct LayerWeights {
  AttnType type = AttnType::Lightning;
  double alpha_attn = 1, beta_attn = 1;  // residual factors of this layer's attention kind
  std::vector<float> input_norm;         // [C]
  std::vector<float> post_norm;          // [C]
  // lightning layers
  WeightMatrix qkv;                 // [3·H·D, C] per-head interleaved rows (q, k, v of head h at h·3D)
  WeightMatrix output_gate;         // [H·D, C]
  WeightMatrix out_proj;            // [C, H·D]
  std::vector<float> lightning_norm;  // [H·D]
  std::vector<double> decay;        // [H] s_h = slope_h · layer factor
  // softmax layers
  WeightMatrix q_proj;  // [H·D, C]
  WeightMatrix k_proj;  // [KV·D, C]
  WeightMatrix v_proj;  // [KV·D, C]
  WeightMatrix o_proj;  // [C, H·D]
  // MoE
  WeightMatrix router;  // [E, C] (F32 in the release; any dtype, fp32 accumulation)
  std::vector<ExpertWeights> experts;  // [E]
  bool has_shared = false;
  WeightMatrix shared_gate;  // [SI, C]
  WeightMatrix shared_up;    // [SI, C]
  WeightMatrix shared_down;  // [C, SI]
  WeightMatrix coefficient;  // [1, C]
};

struct ModelLoadOptions {
  // Quantise every routed expert's w1/w3/w2 to int8 at load: symmetric, per output channel (row),
  // scale = max|w|/127, as the release's experts_int8 deployment. Embeddings, lm_head, routers,
  // attention and the shared expert keep their checkpoint dtype. Changes the model identity.
  bool experts_int8 = false;
};

class Model {
 public:
  // Reads <dir>/config.json and the weights (validated by WeightStore::open) and binds every layer.
  static Result<std::shared_ptr<const Model>> load(const std::filesystem::path& dir);
  static Result<std::shared_ptr<const Model>> load(const std::filesystem::path& dir, const ModelLoadOptions& options);
  // Binds an already opened store (tests, other loaders).
  static Result<std::shared_ptr<const Model>> create(ModelConfig config, std::unique_ptr<WeightStore> weights);
  static Result<std::shared_ptr<const Model>> create(ModelConfig config, std::unique_ptr<WeightStore> weights,
                                                     const ModelLoadOptions& options);

  const ModelConfig& config() const { return config_; }
  // The weights' identity plus a hash of the hyper-parameters; state snapshots are tied to it.
  const std::string& identity() const { return identity_; }
  const WeightStore& weights() const { return *weights_; }

  const LayerWeights& layer(int l) const { return layers_[static_cast<size_t>(l)]; }
  const WeightMatrix& embedding() const { return embed_; }  // [V, C]
  const WeightMatrix& lmHead() const { return lm_head_; }   // [V, C] (the embedding when tied)
  const std::vector<float>& finalNorm() const { return final_norm_; }  // [C]
  bool expertsInt8() const { return !quantised_.empty(); }

  // The weights as backends placed them on devices (the CUDA backend's upload), made by the first
  // session on a device and reused by every later one while this model lives. The only part of a Model
  // that changes after load; it is thread-safe and holds immutable entries only.
  DeviceWeightsCache& deviceWeights() const { return device_weights_; }

 private:
  Model() = default;
  Status bind();
  void quantiseExperts();  // rebinds every expert matrix to int8 copies in quantised_

  ModelConfig config_;
  std::unique_ptr<WeightStore> weights_;
  std::string identity_;
  std::vector<LayerWeights> layers_;
  WeightMatrix embed_, lm_head_;
  std::vector<float> final_norm_;
  struct QuantisedMatrix {
    std::vector<int8_t> data;   // [N, K]
    std::vector<float> scales;  // [N]
  };
  std::vector<QuantisedMatrix> quantised_;  // [L · E · 3] when experts_int8
  mutable DeviceWeightsCache device_weights_;
};

// A hash (16 hex digits) of every hyper-parameter that changes the function the model computes.
std::string configHash(const ModelConfig& config);

}  // namespace folio::engine
