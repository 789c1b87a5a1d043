// The model's hyper-parameters, read from a Hugging Face config.json. Accepts the release spellings
// `minimax_m1` / `minimax_text_01` (attn_type_list, layernorm_*_alpha/beta, rotary_dim) and the later
// `minimax` spelling (layer_types, *_alpha_factor/*_beta_factor, partial_rotary_factor). See
// ../shared/spec/minimax-m1.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::engine {

enum class AttnType : uint8_t { Lightning = 0, Softmax = 1 };

struct ModelConfig {
  std::string model_type;           // as spelled in the file
  int hidden_size = 0;              // C
  int num_layers = 0;               // L
  int num_heads = 0;                // H (query heads; lightning heads)
  int num_kv_heads = 0;             // KV (softmax layers)
  int head_dim = 0;                 // D
  int vocab_size = 0;               // V
  int num_experts = 0;              // E
  int top_k = 0;                    // experts per token
  int intermediate_size = 0;        // I (per expert)
  int shared_intermediate_size = 0; // 0: no shared expert
  int rotary_dim = 0;               // rotated dims of each softmax head (<= D, even)
  double rope_theta = 10000.0;
  double rms_norm_eps = 1e-5;
  double lightning_norm_eps = 1e-6;  // the joint H·D norm after lightning attention (class default)
  bool postnorm = true;              // residual is the normed input (DeepNorm style)
  double alpha_lightning = 1, beta_lightning = 1;
  double alpha_softmax = 1, beta_softmax = 1;
  double alpha_mlp = 1, beta_mlp = 1;
  int block_size = 256;              // lightning prefill block (any value gives the same function)
  int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::string torch_dtype;           // "bfloat16", "float32", ...
  std::vector<AttnType> layer_types; // size num_layers

  int numLayersOf(AttnType t) const;
  // Layer factor of the lightning decay, 1 - l/(L-1) + 1e-5 (L = 1: 1 + 1e-5).
  double lightningLayerFactor(int layer) const;
  // ALiBi slopes for the H lightning heads, with the non-power-of-two fallback.
  std::vector<double> alibiSlopes() const;
};

// Parses and validates config.json text; `source` names the file in error messages.
Result<ModelConfig> parseModelConfig(std::string_view json_text, const std::string& source);
// Reads <dir>/config.json.
Result<ModelConfig> loadModelConfig(const std::filesystem::path& model_dir);

}  // namespace folio::engine
