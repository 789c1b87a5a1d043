// A model's weights resident on one CUDA device: every matrix uploaded once into a single arena
// (F16 converted to BF16, F32/BF16/I8 kept with their row scales), norms as fp32, lightning decays as
// double, and per layer device arrays of the experts' matrices for kernels::cuda::moeDecode.
// Shared read-only by the sessions and benchmarks that run on that device.
// Dimension letters: C hidden, H heads, KV kv-heads, D head dim, E experts, I expert hidden,
// SI shared-expert hidden, V vocab.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/cuda/device_buffer.h"
#include "engine/model/model.h"
#include "engine/parallel/rank_weights.h"
#include "kernels/cuda/ops.h"

namespace folio::engine::cuda {

using kernels::cuda::DeviceMatrix;

struct DeviceLayer {
  AttnType type = AttnType::Lightning;
  float alpha_attn = 1, beta_attn = 1;
  const float* input_norm = nullptr;  // [C]
  const float* post_norm = nullptr;   // [C]
  // lightning layers
  DeviceMatrix qkv;                    // [3·H·D, C] per-head interleaved
  DeviceMatrix output_gate;            // [H·D, C]
  DeviceMatrix out_proj;               // [C, H·D]
  const float* lightning_norm = nullptr;  // [H·D]
  const double* decay = nullptr;       // [H]
  // softmax layers
  DeviceMatrix q_proj, k_proj, v_proj, o_proj;  // [H·D, C], [KV·D, C], [KV·D, C], [C, H·D]
  // MoE
  DeviceMatrix router;                 // [E, C]
  std::vector<DeviceMatrix> w1, w3, w2;  // [E] host copies of the experts' matrices
  const DeviceMatrix* w1s = nullptr;     // [E] the same, in device memory (moeDecode)
  const DeviceMatrix* w3s = nullptr;
  const DeviceMatrix* w2s = nullptr;
  bool has_shared = false;
  DeviceMatrix shared_gate, shared_up, shared_down, coefficient;  // [SI, C], [SI, C], [C, SI], [1, C]
};

class DeviceModel {
 public:
  // Uploads every weight of `model` to `device`. Refuses, naming both figures, when the weights do not
  // fit in the device's free memory.
  static Result<std::shared_ptr<const DeviceModel>> upload(const Model& model, int device);

  // A model of `config`'s shape with random weights generated on the device (benchmarks): matrices in
  // `dtype` (BF16 or F32) uniform in ±1/√cols, router and lm_head F32, norms 1, decays as the config's.
  static Result<std::shared_ptr<const DeviceModel>> random(const ModelConfig& config, kernels::DType dtype,
                                                           uint64_t seed, int device);

  // Bytes the weights of `model` would take on a device (the arena size upload() allocates).
  static int64_t uploadBytes(const Model& model);

  // One tensor-parallel rank's part (engine/parallel/rank_weights.h): config() is then the rank's
  // (its heads, KV heads, expert hidden units), and embedding() and lmHead() hold its vocabulary rows
  // [Vr, C] (RankWeights::embeddingRows, lmHead).
  static Result<std::shared_ptr<const DeviceModel>> upload(const RankWeights& rank, int device);

  const ModelConfig& config() const { return config_; }
  int device() const { return device_; }
  int64_t bytes() const { return static_cast<int64_t>(arena_.size()); }
  const DeviceLayer& layer(int l) const { return layers_[static_cast<size_t>(l)]; }
  const DeviceMatrix& embedding() const { return embed_; }  // [V, C] ([Vr, C] for a rank)
  const DeviceMatrix& lmHead() const { return lm_head_; }   // [V, C]
  const float* finalNorm() const { return final_norm_; }    // [C]

 private:
  friend class DeviceModelBuilder;
  DeviceModel() = default;

  ModelConfig config_;
  int device_ = 0;
  DeviceBuffer<std::byte> arena_;
  std::vector<DeviceLayer> layers_;
  DeviceMatrix embed_, lm_head_;
  const float* final_norm_ = nullptr;
};

// "12.3 GiB": byte counts in messages.
std::string formatGiB(int64_t bytes);

}  // namespace folio::engine::cuda
