// Counts come from expectedTensors(), the same list the weight store validates a checkpoint against.
#include "engine/model_plan.h"

#include <cmath>

#include "engine/weights/expected_tensors.h"
#include "engine/weights/safetensors.h"
#include "engine/weights/safetensors_index.h"

namespace folio::engine {

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

// Storage bytes of one tensor under each choice; the router is the only tensor kept in f32 as released.
void addWeightBytes(const ExpectedTensor& t, WeightBytes& w) {
  const auto n = static_cast<uint64_t>(t.numel());
  const bool router = t.role == TensorRole::Router;
  w.bf16_f32_router += n * (router ? 4 : 2);
  w.all_bf16 += n * 2;
  w.all_f32 += n * 4;
  w.int8_experts += t.role == TensorRole::Expert ? n + 4 * static_cast<uint64_t>(t.outputChannels())
                                                 : n * (router ? 4 : 2);
}

// Norms and routers are replicated on every rank; everything else splits by heads, expert intermediate
// columns or vocabulary rows.
bool replicatedUnderTensorParallel(TensorRole r) { return r == TensorRole::Norm || r == TensorRole::Router; }

std::string describeLayers(int lightning, int softmax, const std::vector<int>& softmax_at) {
  std::string s = std::to_string(lightning) + " lightning + " + std::to_string(softmax) + " softmax";
  if (softmax_at.empty()) return s;
  s += "; softmax at layer";
  s += softmax_at.size() > 1 ? "s " : " ";
  constexpr size_t kShown = 24;
  for (size_t i = 0; i < softmax_at.size() && i < kShown; ++i) s += (i ? ", " : "") + std::to_string(softmax_at[i]);
  if (softmax_at.size() > kShown) s += ", …";
  return s + " (0-based)";
}

TensorParallelRow tensorParallelRow(const ModelPlan& p, const std::vector<ExpectedTensor>& tensors, int tp) {
  const ModelConfig& c = p.config;
  TensorParallelRow row;
  row.degree = tp;
  row.workspace = static_cast<uint64_t>(std::llround(p.options.workspace_gib * static_cast<double>(kGiB)));
  if (tp < 1) {
    row.not_possible = "degree must be at least 1";
    return row;
  }
  if (c.num_heads % tp != 0) {
    row.not_possible = std::to_string(c.num_heads) + " heads do not split over " + std::to_string(tp) + " GPUs";
    return row;
  }
  if (c.intermediate_size % tp != 0) {
    row.not_possible = "expert intermediate size " + std::to_string(c.intermediate_size) + " does not split over " +
                       std::to_string(tp) + " GPUs";
    return row;
  }
  WeightBytes replicated, split;
  for (const ExpectedTensor& t : tensors) addWeightBytes(t, replicatedUnderTensorParallel(t.role) ? replicated : split);
  const auto n = static_cast<uint64_t>(tp);
  row.weights_bf16 = replicated.bf16_f32_router + (split.bf16_f32_router + n - 1) / n;
  row.weights_int8 = replicated.int8_experts + (split.int8_experts + n - 1) / n;
  // A rank holds ceil(KV / tp) KV heads: with more ranks than KV heads the heads are replicated.
  const uint64_t kv_heads_per_rank = (static_cast<uint64_t>(c.num_kv_heads) + n - 1) / n;
  row.kv_cache = static_cast<uint64_t>(p.softmax_layers) * kv_heads_per_rank * static_cast<uint64_t>(c.head_dim) * 2 *
                 2 * static_cast<uint64_t>(p.options.context_tokens);
  row.lightning_state = p.lightning_state_bytes / n;
  return row;
}

Result<CheckpointCheck> checkCheckpoint(const std::filesystem::path& dir, const WeightBytes& w) {
  CheckpointCheck check;
  std::error_code ec;
  if (std::filesystem::exists(dir / kSafetensorsIndexName, ec)) {
    auto index = loadSafetensorsIndex(dir);
    if (!index.ok()) return index.error();
    check.source = (dir / kSafetensorsIndexName).string();
    if (!index->total_size) return badInput(check.source + ": no metadata.total_size to cross-check");
    check.bytes = *index->total_size;
  } else {
    // Only the header is parsed; the data stays unread in the mapping.
    auto file = SafetensorsFile::open(dir / kSingleSafetensorsName);
    if (!file.ok()) return file.error();
    check.source = file->path().string();
    for (const SafetensorsEntry& e : file->header().tensors) check.bytes += e.end - e.begin;
  }
  if (check.bytes == w.bf16_f32_router) check.matches = "bf16 + f32 router";
  else if (check.bytes == w.all_bf16) check.matches = "bf16";
  else if (check.bytes == w.all_f32) check.matches = "f32";
  return check;
}

}  // namespace

int64_t ParameterCounts::total() const {
  return embedding + lm_head + norms + router + experts + shared_expert + lightning_attn + softmax_attn;
}

int64_t ParameterCounts::activePerToken(int top_k, int num_experts) const {
  return norms + router + experts / num_experts * top_k + shared_expert + lightning_attn + softmax_attn;
}

ModelPlan planModel(const ModelConfig& config, const PlanOptions& options) {
  ModelPlan p;
  p.config = config;
  p.options = options;
  const std::vector<ExpectedTensor> tensors = expectedTensors(config);
  for (const ExpectedTensor& t : tensors) {
    int64_t* bucket = nullptr;
    switch (t.role) {
      case TensorRole::Embedding: bucket = &p.params.embedding; break;
      case TensorRole::LmHead: bucket = &p.params.lm_head; break;
      case TensorRole::Norm: bucket = &p.params.norms; break;
      case TensorRole::Router: bucket = &p.params.router; break;
      case TensorRole::Expert: bucket = &p.params.experts; break;
      case TensorRole::SharedExpert: bucket = &p.params.shared_expert; break;
      case TensorRole::LightningAttn: bucket = &p.params.lightning_attn; break;
      case TensorRole::SoftmaxAttn: bucket = &p.params.softmax_attn; break;
    }
    *bucket += t.numel();
    addWeightBytes(t, p.weights);
  }
  p.total_params = p.params.total();
  p.active_params = p.params.activePerToken(config.top_k, config.num_experts);

  p.lightning_layers = config.numLayersOf(AttnType::Lightning);
  p.softmax_layers = config.numLayersOf(AttnType::Softmax);
  for (int l = 0; l < config.num_layers; ++l) {
    if (config.layer_types[static_cast<size_t>(l)] == AttnType::Softmax) p.softmax_layer_indices.push_back(l);
  }
  p.layer_pattern = describeLayers(p.lightning_layers, p.softmax_layers, p.softmax_layer_indices);

  const auto D = static_cast<uint64_t>(config.head_dim);
  // [layers, KV, D] for K and for V, bf16
  p.kv_bytes_per_token = static_cast<uint64_t>(p.softmax_layers) * static_cast<uint64_t>(config.num_kv_heads) * D * 2 * 2;
  // [layers, H, D, D] fp32
  p.lightning_state_bytes = static_cast<uint64_t>(p.lightning_layers) * static_cast<uint64_t>(config.num_heads) * D * D * 4;

  for (int tp : options.tensor_parallel_degrees) p.tensor_parallel.push_back(tensorParallelRow(p, tensors, tp));
  return p;
}

Result<ModelPlan> planModelDir(const std::filesystem::path& model_dir, const PlanOptions& options) {
  auto config = loadModelConfig(model_dir);
  if (!config.ok()) return config.error();
  ModelPlan plan = planModel(*config, options);
  std::error_code ec;
  if (std::filesystem::exists(model_dir / kSafetensorsIndexName, ec) ||
      std::filesystem::exists(model_dir / kSingleSafetensorsName, ec)) {
    auto check = checkCheckpoint(model_dir, plan.weights);
    if (!check.ok()) return check.error();
    plan.checkpoint = std::move(*check);
  }
  return plan;
}

}  // namespace folio::engine
