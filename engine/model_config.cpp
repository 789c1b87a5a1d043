// config.json → ModelConfig: three spellings of the same hyper-parameters, validated so that every
// later size computation (tensor shapes, KV cache, plan) stays inside int64 without further checks.
#include "engine/model_config.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/common/file_io.h"

namespace folio::engine {

namespace {

using nlohmann::json;

// Upper bounds on any single dimension; they keep products like V·C and 3·H·D far from overflow.
constexpr int64_t kMaxDim = int64_t{1} << 24;
constexpr int64_t kMaxLayers = 4096;
constexpr int64_t kMaxExperts = 1 << 16;
constexpr int64_t kMaxLayerExperts = 1 << 18;  // M1 has 80 × 32; DeepSeek-V3 61 × 256
constexpr double kMaxParameters = 1e15;

// Reads fields of one JSON object, producing errors that name the file and the field.
class FieldReader {
 public:
  FieldReader(const json& obj, const std::string& source) : obj_(obj), source_(source) {}

  Error error(const std::string& field, const std::string& what) const {
    return badInput(source_ + ": field '" + field + "': " + what);
  }
  bool has(const char* key) const {
    auto it = obj_.find(key);
    return it != obj_.end() && !it->is_null();
  }
  const json* find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }

  // An integer in [lo, hi]; absent → `fallback` (or an error when there is none).
  Result<int64_t> integer(const char* key, int64_t lo, int64_t hi, std::optional<int64_t> fallback = {}) const {
    const json* v = find(key);
    if (!v) {
      if (fallback) return *fallback;
      return error(key, "missing");
    }
    int64_t x = 0;
    if (v->is_number_unsigned()) {
      const uint64_t u = v->get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return error(key, "value too large");
      x = static_cast<int64_t>(u);
    } else if (v->is_number_integer()) {
      x = v->get<int64_t>();
    } else {
      return error(key, std::string("expected an integer, got ") + v->type_name());
    }
    if (x < lo || x > hi) {
      return error(key, std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return x;
  }

  // A finite number; absent → fallback.
  Result<double> number(const char* key, double fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) return error(key, std::string("expected a number, got ") + v->type_name());
    const double x = v->get<double>();
    if (!std::isfinite(x)) return error(key, "not a finite number");
    return x;
  }

  // The first present key of a (primary, alternate) pair of spellings.
  Result<double> numberEither(const char* primary, const char* alternate, double fallback) const {
    return has(primary) ? number(primary, fallback) : number(alternate, fallback);
  }

  Result<bool> boolean(const char* key, bool fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) return error(key, std::string("expected true or false, got ") + v->type_name());
    return v->get<bool>();
  }

  Result<std::string> string(const char* key, std::string fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) return error(key, std::string("expected a string, got ") + v->type_name());
    return v->get<std::string>();
  }

 private:
  const json& obj_;
  const std::string& source_;
};

// `attn_type_list` [0|1, ...] (release spelling) or `layer_types` ["linear_attention"|"full_attention"].
Result<std::vector<AttnType>> readLayerTypes(const FieldReader& r) {
  std::vector<AttnType> from_list, from_names;
  const json* list = r.find("attn_type_list");
  const json* names = r.find("layer_types");
  if (!list && !names) return r.error("attn_type_list", "missing (neither attn_type_list nor layer_types is given)");
  if (list) {
    if (!list->is_array()) return r.error("attn_type_list", std::string("expected an array, got ") + list->type_name());
    for (size_t i = 0; i < list->size(); ++i) {
      const json& v = (*list)[i];
      if (!v.is_number_integer() || (v.get<int64_t>() != 0 && v.get<int64_t>() != 1)) {
        return r.error("attn_type_list", "element " + std::to_string(i) + " is " + v.dump() +
                                             ", expected 0 (lightning) or 1 (softmax)");
      }
      from_list.push_back(v.get<int64_t>() == 0 ? AttnType::Lightning : AttnType::Softmax);
    }
  }
  if (names) {
    if (!names->is_array()) return r.error("layer_types", std::string("expected an array, got ") + names->type_name());
    for (size_t i = 0; i < names->size(); ++i) {
      const json& v = (*names)[i];
      if (v == "linear_attention") {
        from_names.push_back(AttnType::Lightning);
      } else if (v == "full_attention") {
        from_names.push_back(AttnType::Softmax);
      } else {
        return r.error("layer_types", "element " + std::to_string(i) + " is " + v.dump().substr(0, 64) +
                                          ", expected \"linear_attention\" or \"full_attention\"");
      }
    }
  }
  if (list && names && from_list != from_names) {
    return r.error("layer_types", "disagrees with attn_type_list");
  }
  return list ? from_list : from_names;
}

bool isKnownModelType(const std::string& t) {
  return t == "minimax_m1" || t == "minimax_text_01" || t == "minimax";
}

// Cross-field rules; each message names the field that has to change.
Status validate(const ModelConfig& c, const FieldReader& r) {
  if (c.num_heads % c.num_kv_heads != 0) {
    return r.error("num_key_value_heads", std::to_string(c.num_kv_heads) + " does not divide num_attention_heads " +
                                              std::to_string(c.num_heads));
  }
  if (c.num_experts < c.top_k) {
    return r.error("num_local_experts", std::to_string(c.num_experts) + " experts but num_experts_per_tok is " +
                                            std::to_string(c.top_k) + " (experts < top_k)");
  }
  if (c.rotary_dim % 2 != 0) return r.error("rotary_dim", std::to_string(c.rotary_dim) + " is odd");
  if (c.rotary_dim > c.head_dim) {
    return r.error("rotary_dim",
                   std::to_string(c.rotary_dim) + " is larger than head_dim " + std::to_string(c.head_dim));
  }
  if (static_cast<int64_t>(c.layer_types.size()) != c.num_layers) {
    return r.error("attn_type_list", "has " + std::to_string(c.layer_types.size()) +
                                         " entries but num_hidden_layers is " + std::to_string(c.num_layers));
  }
  if (3 * int64_t{c.num_heads} * c.head_dim > kMaxDim) {
    return r.error("num_attention_heads", "num_attention_heads × head_dim is too large");
  }
  // Bounds that keep the tensor list and every byte count of a hostile config small and exact.
  if (int64_t{c.num_layers} * c.num_experts > kMaxLayerExperts) {
    return r.error("num_local_experts", "num_hidden_layers × num_local_experts exceeds " +
                                            std::to_string(kMaxLayerExperts));
  }
  const double C = c.hidden_size, HD = double(c.num_heads) * c.head_dim, KVD = double(c.num_kv_heads) * c.head_dim;
  const double per_layer = 3.0 * c.num_experts * c.intermediate_size * C + 3.0 * c.shared_intermediate_size * C +
                           5.0 * HD * C + 2.0 * KVD * C + double(c.num_experts) * C;
  if (2.0 * c.vocab_size * C + c.num_layers * per_layer > kMaxParameters) {
    return r.error("hidden_size", "the configuration implies more than 1e15 parameters");
  }
  if (c.rms_norm_eps <= 0) return r.error("rms_norm_eps", "must be positive");
  if (c.rope_theta <= 0) return r.error("rope_theta", "must be positive");
  return {};
}

}  // namespace

int ModelConfig::numLayersOf(AttnType t) const {
  int n = 0;
  for (AttnType x : layer_types) n += x == t;
  return n;
}

double ModelConfig::lightningLayerFactor(int layer) const {
  if (num_layers <= 1) return 1.0 + 1e-5;  // l/(L-1) is undefined for one layer
  return 1.0 - static_cast<double>(layer) / static_cast<double>(num_layers - 1) + 1e-5;
}

namespace {
// 2^(−8(h+1)/n) for h = 0…n−1 (n a power of two).
std::vector<double> powerOfTwoSlopes(int n) {
  std::vector<double> s(static_cast<size_t>(n));
  for (int h = 0; h < n; ++h) s[static_cast<size_t>(h)] = std::exp2(-8.0 * (h + 1) / n);
  return s;
}
}  // namespace

std::vector<double> ModelConfig::alibiSlopes() const {
  const int n = num_heads;
  if (n <= 0) return {};
  int p = 1;
  while (p * 2 <= n) p *= 2;  // largest power of two ≤ n
  std::vector<double> slopes = powerOfTwoSlopes(p);
  if (p == n) return slopes;
  const std::vector<double> extra = powerOfTwoSlopes(2 * p);
  for (size_t i = 0; static_cast<int>(slopes.size()) < n; i += 2) slopes.push_back(extra[i]);
  return slopes;
}

Result<ModelConfig> parseModelConfig(std::string_view json_text, const std::string& source) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return badInput(source + ": not valid JSON");
  if (!doc.is_object()) return badInput(source + ": expected a JSON object at the top level");
  const FieldReader r(doc, source);

  ModelConfig c;
  {
    auto t = r.string("model_type", "");
    if (!t.ok()) return t.error();
    if (!r.has("model_type")) return r.error("model_type", "missing");
    if (!isKnownModelType(*t)) {
      return r.error("model_type", "unknown model type '" + t->substr(0, 64) +
                                       "' (expected minimax_m1, minimax_text_01 or minimax)");
    }
    c.model_type = *t;
  }
  // Reads an int field into `dst`, returning the error from the enclosing function on failure.
#define FOLIO_READ_INT(dst, key, lo, hi, ...)                 \
  do {                                                        \
    auto v_ = r.integer(key, lo, hi __VA_OPT__(, ) __VA_ARGS__); \
    if (!v_.ok()) return v_.error();                          \
    dst = static_cast<decltype(dst)>(*v_);                    \
  } while (0)
#define FOLIO_READ(dst, expr)      \
  do {                             \
    auto v_ = (expr);              \
    if (!v_.ok()) return v_.error(); \
    dst = *v_;                     \
  } while (0)

  FOLIO_READ_INT(c.hidden_size, "hidden_size", 1, kMaxDim);
  FOLIO_READ_INT(c.num_layers, "num_hidden_layers", 1, kMaxLayers);
  FOLIO_READ_INT(c.num_heads, "num_attention_heads", 1, kMaxDim);
  FOLIO_READ_INT(c.num_kv_heads, "num_key_value_heads", 1, kMaxDim, c.num_heads);
  if (r.has("head_dim")) {
    FOLIO_READ_INT(c.head_dim, "head_dim", 1, kMaxDim);
  } else {
    if (c.hidden_size % c.num_heads != 0) {
      return r.error("head_dim", "missing, and hidden_size " + std::to_string(c.hidden_size) +
                                     " is not divisible by num_attention_heads " + std::to_string(c.num_heads));
    }
    c.head_dim = c.hidden_size / c.num_heads;
  }
  FOLIO_READ_INT(c.vocab_size, "vocab_size", 1, kMaxDim);
  FOLIO_READ_INT(c.num_experts, "num_local_experts", 1, kMaxExperts);
  FOLIO_READ_INT(c.top_k, "num_experts_per_tok", 1, kMaxExperts);
  FOLIO_READ_INT(c.intermediate_size, "intermediate_size", 1, kMaxDim);
  FOLIO_READ_INT(c.shared_intermediate_size, "shared_intermediate_size", 0, kMaxDim, 0);
  FOLIO_READ_INT(c.block_size, "block_size", 1, kMaxDim, 256);
  FOLIO_READ_INT(c.max_position_embeddings, "max_position_embeddings", 0, std::numeric_limits<int64_t>::max(), 0);

  // rotary_dim (release) or partial_rotary_factor × head_dim (later spelling); neither → the whole head.
  if (r.has("rotary_dim")) {
    FOLIO_READ_INT(c.rotary_dim, "rotary_dim", 0, kMaxDim);
  } else if (r.has("partial_rotary_factor")) {
    double f = 0;
    FOLIO_READ(f, r.number("partial_rotary_factor", 1.0));
    if (f <= 0 || f > 1) return r.error("partial_rotary_factor", "must be in (0, 1]");
    const double rd = f * c.head_dim;
    if (std::abs(rd - std::round(rd)) > 1e-6) {
      return r.error("partial_rotary_factor", "× head_dim " + std::to_string(c.head_dim) + " is not a whole number");
    }
    c.rotary_dim = static_cast<int>(std::lround(rd));
  } else {
    c.rotary_dim = c.head_dim;
  }

  FOLIO_READ(c.rope_theta, r.number("rope_theta", c.rope_theta));
  FOLIO_READ(c.rms_norm_eps, r.number("rms_norm_eps", c.rms_norm_eps));
  FOLIO_READ(c.postnorm, r.boolean("postnorm", c.postnorm));
  FOLIO_READ(c.tie_word_embeddings, r.boolean("tie_word_embeddings", c.tie_word_embeddings));
  // Newer transformers write `dtype`; older ones `torch_dtype`.
  FOLIO_READ(c.torch_dtype, r.string(r.has("torch_dtype") ? "torch_dtype" : "dtype", ""));

  // α/β of the residuals: release keys first, then the later `*_factor` spelling.
  FOLIO_READ(c.alpha_lightning, r.numberEither("layernorm_linear_attention_alpha", "linear_attn_alpha_factor", 1));
  FOLIO_READ(c.beta_lightning, r.numberEither("layernorm_linear_attention_beta", "linear_attn_beta_factor", 1));
  FOLIO_READ(c.alpha_softmax, r.numberEither("layernorm_full_attention_alpha", "full_attn_alpha_factor", 1));
  FOLIO_READ(c.beta_softmax, r.numberEither("layernorm_full_attention_beta", "full_attn_beta_factor", 1));
  FOLIO_READ(c.alpha_mlp, r.numberEither("layernorm_mlp_alpha", "mlp_alpha_factor", 1));
  FOLIO_READ(c.beta_mlp, r.numberEither("layernorm_mlp_beta", "mlp_beta_factor", 1));
  FOLIO_READ(c.layer_types, readLayerTypes(r));
#undef FOLIO_READ
#undef FOLIO_READ_INT

  FOLIO_TRY(validate(c, r));
  return c;
}

Result<ModelConfig> loadModelConfig(const std::filesystem::path& model_dir) {
  const std::filesystem::path path = model_dir / "config.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return notFound(path.string() + ": no such file");
  auto text = readFile(path, size_t{16} << 20);
  if (!text.ok()) return text.error();
  return parseModelConfig(*text, path.string());
}

}  // namespace folio::engine
