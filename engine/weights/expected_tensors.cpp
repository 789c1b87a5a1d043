#include "engine/weights/expected_tensors.h"

namespace folio::engine {

std::string formatShape(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string layerTensorName(int layer, const std::string& suffix) {
  return "model.layers." + std::to_string(layer) + "." + suffix;
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c) {
  // Dimension letters: C hidden, H heads, KV kv-heads, D head dim, E experts, I expert hidden,
  // S shared-expert hidden, V vocab.
  const int64_t C = c.hidden_size, H = c.num_heads, KV = c.num_kv_heads, D = c.head_dim;
  const int64_t E = c.num_experts, I = c.intermediate_size, S = c.shared_intermediate_size, V = c.vocab_size;

  std::vector<ExpectedTensor> out;
  out.push_back({"model.embed_tokens.weight", {V, C}, TensorRole::Embedding});
  for (int l = 0; l < c.num_layers; ++l) {
    auto add = [&](const std::string& suffix, std::vector<int64_t> shape, TensorRole role) {
      out.push_back({layerTensorName(l, suffix), std::move(shape), role, l});
    };
    add("input_layernorm.weight", {C}, TensorRole::Norm);
    if (c.layer_types[static_cast<size_t>(l)] == AttnType::Lightning) {
      add("self_attn.qkv_proj.weight", {3 * H * D, C}, TensorRole::LightningAttn);  // per-head interleaved q,k,v
      add("self_attn.output_gate.weight", {H * D, C}, TensorRole::LightningAttn);
      add("self_attn.norm.weight", {H * D}, TensorRole::Norm);
      add("self_attn.out_proj.weight", {C, H * D}, TensorRole::LightningAttn);
    } else {
      add("self_attn.q_proj.weight", {H * D, C}, TensorRole::SoftmaxAttn);
      add("self_attn.k_proj.weight", {KV * D, C}, TensorRole::SoftmaxAttn);
      add("self_attn.v_proj.weight", {KV * D, C}, TensorRole::SoftmaxAttn);
      add("self_attn.o_proj.weight", {C, H * D}, TensorRole::SoftmaxAttn);
    }
    add("post_attention_layernorm.weight", {C}, TensorRole::Norm);
    add("block_sparse_moe.gate.weight", {E, C}, TensorRole::Router);
    for (int e = 0; e < c.num_experts; ++e) {
      const std::string p = "block_sparse_moe.experts." + std::to_string(e) + ".";
      add(p + "w1.weight", {I, C}, TensorRole::Expert);  // gate
      add(p + "w3.weight", {I, C}, TensorRole::Expert);  // up
      add(p + "w2.weight", {C, I}, TensorRole::Expert);  // down
    }
    if (S > 0) {
      add("shared_mlp.gate_proj.weight", {S, C}, TensorRole::SharedExpert);
      add("shared_mlp.up_proj.weight", {S, C}, TensorRole::SharedExpert);
      add("shared_mlp.down_proj.weight", {C, S}, TensorRole::SharedExpert);
      add("coefficient.weight", {1, C}, TensorRole::SharedExpert);
    }
  }
  out.push_back({"model.norm.weight", {C}, TensorRole::Norm});
  if (!c.tie_word_embeddings) out.push_back({"lm_head.weight", {V, C}, TensorRole::LmHead});
  return out;
}

}  // namespace folio::engine
