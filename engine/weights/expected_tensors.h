// Every tensor a config implies, with its exact shape, named as in the Hugging Face checkpoints of
// MiniMax-M1 / MiniMax-Text-01 (see ../shared/spec/minimax-m1.md, "Tensors"). The weight store checks a
// checkpoint against this list and the plan counts parameters from it, so both agree by construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model_config.h"

namespace folio::engine {

// What a tensor is for; the plan groups parameters (total vs active, quantisable) by it.
enum class TensorRole : uint8_t {
  Embedding,      // model.embed_tokens [V, C]
  LmHead,         // lm_head [V, C]
  Norm,           // RMSNorm weights (input, post-attention, final, lightning joint norm)
  Router,         // block_sparse_moe.gate [E, C]
  Expert,         // block_sparse_moe.experts.e.{w1,w3} [I, C], w2 [C, I]
  SharedExpert,   // shared_mlp.* and the mixing coefficient
  LightningAttn,  // qkv_proj, output_gate, out_proj
  SoftmaxAttn,    // q_proj, k_proj, v_proj, o_proj
};

struct ExpectedTensor {
  std::string name;
  std::vector<int64_t> shape;
  TensorRole role;
  int layer = -1;  // -1 for the top-level tensors
  // Rows of a [out, in] matrix that an int8 per-output-channel quantisation gives a scale each.
  int64_t outputChannels() const { return shape.empty() ? 1 : shape[0]; }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
};

// The tensors of `config` in checkpoint order. lm_head.weight is listed only when the embeddings are
// not tied (tie_word_embeddings false).
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& config);

// "[64, 32]": shapes as error messages print them.
std::string formatShape(const std::vector<int64_t>& shape);

// "model.layers.<layer>.<suffix>"
std::string layerTensorName(int layer, const std::string& suffix);

}  // namespace folio::engine
