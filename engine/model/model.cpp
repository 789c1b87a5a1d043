#include "engine/model/model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/common/fnv1a.h"
#include "kernels/cpu/dtype.h"

namespace folio::engine {
namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// Looks a tensor up and checks its shape (open() validated it already; this keeps create() safe for
// stores that did not).
class Binder {
 public:
  explicit Binder(const WeightStore& w) : w_(w) {}

  Result<WeightMatrix> matrix(const std::string& name, int64_t rows, int64_t cols) const {
    const TensorView* t = w_.find(name);
    if (!t) return notFound("tensor " + name + " is missing");
    if (t->shape != std::vector<int64_t>{rows, cols}) {
      return badInput("tensor " + name + " has shape " + shapeText(t->shape) + ", expected " +
                      shapeText({rows, cols}));
    }
    if (t->dtype == DType::I8) return badInput("tensor " + name + ": I8 weights need per-row scales (unsupported)");
    return WeightMatrix{t->dtype, t->data, rows, cols, nullptr};
  }

  Result<std::vector<float>> vector(const std::string& name, int64_t n) const {
    const TensorView* t = w_.find(name);
    if (!t) return notFound("tensor " + name + " is missing");
    if (t->shape != std::vector<int64_t>{n}) {
      return badInput("tensor " + name + " has shape " + shapeText(t->shape) + ", expected " + shapeText({n}));
    }
    if (t->dtype == DType::I8) return badInput("tensor " + name + ": I8 is not a norm weight dtype");
    std::vector<float> out(static_cast<size_t>(n));
    kernels::convertToF32(t->dtype, t->data, out.data(), out.size());
    return out;
  }

 private:
  const WeightStore& w_;
};

#define FOLIO_BIND(dst, expr)                   \
  do {                                          \
    auto folio_bind_ = (expr);                  \
    if (!folio_bind_.ok()) return folio_bind_.error(); \
    dst = std::move(folio_bind_.value());       \
  } while (0)

}  // namespace

std::string configHash(const ModelConfig& c) {
  std::ostringstream s;
  s.precision(17);
  s << c.hidden_size << ' ' << c.num_layers << ' ' << c.num_heads << ' ' << c.num_kv_heads << ' ' << c.head_dim
    << ' ' << c.vocab_size << ' ' << c.num_experts << ' ' << c.top_k << ' ' << c.intermediate_size << ' '
    << c.shared_intermediate_size << ' ' << c.rotary_dim << ' ' << c.rope_theta << ' ' << c.rms_norm_eps << ' '
    << c.lightning_norm_eps << ' ' << c.postnorm << ' ' << c.alpha_lightning << ' ' << c.beta_lightning << ' '
    << c.alpha_softmax << ' ' << c.beta_softmax << ' ' << c.alpha_mlp << ' ' << c.beta_mlp << ' '
    << c.tie_word_embeddings << ' ';
  for (AttnType t : c.layer_types) s << static_cast<int>(t);
  const std::string text = s.str();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(text.data(), text.size())));
  return buf;
}

Result<std::shared_ptr<const Model>> Model::load(const std::filesystem::path& dir) {
  return load(dir, ModelLoadOptions{});
}

Result<std::shared_ptr<const Model>> Model::create(ModelConfig config, std::unique_ptr<WeightStore> weights) {
  return create(std::move(config), std::move(weights), ModelLoadOptions{});
}

Result<std::shared_ptr<const Model>> Model::load(const std::filesystem::path& dir, const ModelLoadOptions& options) {
  auto config = loadModelConfig(dir);
  if (!config.ok()) return config.error();
  auto weights = WeightStore::open(dir, config.value());
  if (!weights.ok()) return weights.error();
  return create(std::move(config.value()), std::move(weights.value()), options);
}

Result<std::shared_ptr<const Model>> Model::create(ModelConfig config, std::unique_ptr<WeightStore> weights,
                                                   const ModelLoadOptions& options) {
  std::shared_ptr<Model> m(new Model());
  m->config_ = std::move(config);
  m->weights_ = std::move(weights);
  FOLIO_TRY(m->bind());
  if (options.experts_int8) m->quantiseExperts();
  return std::shared_ptr<const Model>(std::move(m));
}

Status Model::bind() {
  const ModelConfig& c = config_;
  if (c.hidden_size <= 0 || c.num_layers <= 0 || c.num_heads <= 0 || c.num_kv_heads <= 0 || c.head_dim <= 0 ||
      c.vocab_size <= 0 || c.num_experts <= 0 || c.top_k <= 0 || c.intermediate_size <= 0) {
    return badInput("config.json: sizes must be positive");
  }
  if (c.num_heads % c.num_kv_heads != 0 || c.top_k > c.num_experts || c.rotary_dim % 2 != 0 ||
      c.rotary_dim > c.head_dim || static_cast<int>(c.layer_types.size()) != c.num_layers) {
    return badInput("config.json: inconsistent heads, experts, rotary_dim or layer types");
  }
  const int64_t C = c.hidden_size, H = c.num_heads, KV = c.num_kv_heads, D = c.head_dim, E = c.num_experts,
                I = c.intermediate_size, SI = c.shared_intermediate_size, V = c.vocab_size;
  const Binder b(*weights_);
  FOLIO_BIND(embed_, b.matrix("model.embed_tokens.weight", V, C));
  if (c.tie_word_embeddings) {
    lm_head_ = embed_;
  } else {
    FOLIO_BIND(lm_head_, b.matrix("lm_head.weight", V, C));
  }
  FOLIO_BIND(final_norm_, b.vector("model.norm.weight", C));
  const std::vector<double> slopes = c.alibiSlopes();
  if (static_cast<int64_t>(slopes.size()) != H) return badInput("config.json: no ALiBi slopes for the heads");

  layers_.resize(static_cast<size_t>(c.num_layers));
  for (int l = 0; l < c.num_layers; ++l) {
    LayerWeights& lw = layers_[static_cast<size_t>(l)];
    const std::string p = "model.layers." + std::to_string(l) + ".";
    lw.type = c.layer_types[static_cast<size_t>(l)];
    FOLIO_BIND(lw.input_norm, b.vector(p + "input_layernorm.weight", C));
    FOLIO_BIND(lw.post_norm, b.vector(p + "post_attention_layernorm.weight", C));
    if (lw.type == AttnType::Lightning) {
      lw.alpha_attn = c.alpha_lightning;
      lw.beta_attn = c.beta_lightning;
      FOLIO_BIND(lw.qkv, b.matrix(p + "self_attn.qkv_proj.weight", 3 * H * D, C));
      FOLIO_BIND(lw.output_gate, b.matrix(p + "self_attn.output_gate.weight", H * D, C));
      FOLIO_BIND(lw.out_proj, b.matrix(p + "self_attn.out_proj.weight", C, H * D));
      FOLIO_BIND(lw.lightning_norm, b.vector(p + "self_attn.norm.weight", H * D));
      const double factor = c.lightningLayerFactor(l);
      for (int64_t h = 0; h < H; ++h) lw.decay.push_back(slopes[static_cast<size_t>(h)] * factor);
    } else {
      lw.alpha_attn = c.alpha_softmax;
      lw.beta_attn = c.beta_softmax;
      FOLIO_BIND(lw.q_proj, b.matrix(p + "self_attn.q_proj.weight", H * D, C));
      FOLIO_BIND(lw.k_proj, b.matrix(p + "self_attn.k_proj.weight", KV * D, C));
      FOLIO_BIND(lw.v_proj, b.matrix(p + "self_attn.v_proj.weight", KV * D, C));
      FOLIO_BIND(lw.o_proj, b.matrix(p + "self_attn.o_proj.weight", C, H * D));
    }
    FOLIO_BIND(lw.router, b.matrix(p + "block_sparse_moe.gate.weight", E, C));
    lw.experts.resize(static_cast<size_t>(E));
    for (int64_t e = 0; e < E; ++e) {
      const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
      ExpertWeights& ew = lw.experts[static_cast<size_t>(e)];
      FOLIO_BIND(ew.w1, b.matrix(q + "w1.weight", I, C));
      FOLIO_BIND(ew.w3, b.matrix(q + "w3.weight", I, C));
      FOLIO_BIND(ew.w2, b.matrix(q + "w2.weight", C, I));
    }
    if (SI > 0) {
      lw.has_shared = true;
      FOLIO_BIND(lw.shared_gate, b.matrix(p + "shared_mlp.gate_proj.weight", SI, C));
      FOLIO_BIND(lw.shared_up, b.matrix(p + "shared_mlp.up_proj.weight", SI, C));
      FOLIO_BIND(lw.shared_down, b.matrix(p + "shared_mlp.down_proj.weight", C, SI));
      FOLIO_BIND(lw.coefficient, b.matrix(p + "coefficient.weight", 1, C));
    }
  }
  identity_ = weights_->identity() + "/" + configHash(c);
  return {};
}

void Model::quantiseExperts() {
  const int64_t E = config_.num_experts;
  quantised_.resize(static_cast<size_t>(config_.num_layers * E * 3));
  std::vector<float> row;
  size_t next = 0;
  for (LayerWeights& lw : layers_) {
    for (ExpertWeights& ew : lw.experts) {
      for (WeightMatrix* w : {&ew.w1, &ew.w3, &ew.w2}) {
        QuantisedMatrix& q = quantised_[next++];
        q.data.resize(static_cast<size_t>(w->rows * w->cols));
        q.scales.resize(static_cast<size_t>(w->rows));
        row.resize(static_cast<size_t>(w->cols));
        for (int64_t n = 0; n < w->rows; ++n) {
          kernels::ref::weightRowToF32(*w, n, row.data());
          float mx = 0.0f;
          for (float v : row) mx = std::max(mx, std::abs(v));
          const float scale = mx / 127.0f;
          const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
          int8_t* dst = q.data.data() + n * w->cols;
          for (int64_t k = 0; k < w->cols; ++k) {
            const float r = std::nearbyint(row[static_cast<size_t>(k)] * inv);
            dst[k] = static_cast<int8_t>(std::clamp(r, -127.0f, 127.0f));
          }
          q.scales[static_cast<size_t>(n)] = scale;
        }
        *w = WeightMatrix{DType::I8, q.data.data(), w->rows, w->cols, q.scales.data()};
      }
    }
  }
  identity_ += "/experts-int8";
}

}  // namespace folio::engine
