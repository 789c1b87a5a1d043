// `folio plan --model DIR [--json] [--context N] [--gpu-memory G] [--gpus N [--experts-int8]]
// [--workspace-gib W] [--verify]`: what a model needs (parameters, weight bytes, KV cache, lightning state,
// memory per GPU under tensor parallelism) from config.json alone; --gpus N adds the placement on N GPUs of
// G GiB each and fails (exit 1) when it does not fit; --verify also opens and validates the weights.
#include <cstdio>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/cli/plan_placement.h"
#include "engine/model_plan.h"
#include "engine/weights/weight_store.h"

namespace folio::cli {

namespace {

using engine::ModelPlan;
using nlohmann::json;

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

struct PlanArgs {
  std::string model_dir;
  bool json = false;
  bool verify = false;
  int64_t context = 1'000'000;
  double gpu_memory_gib = 0;  // 0: not given
  double workspace_gib = 2.0;
  int gpus = 0;  // 0: no placement asked for
  bool experts_int8 = false;
};

// 912210767872 → "912,210,767,872"
std::string grouped(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Parameters in B (1e9) or M (1e6).
std::string count(int64_t n) {
  return n >= 1'000'000'000 ? fixed(static_cast<double>(n) / 1e9, 2) + " B" : fixed(static_cast<double>(n) / 1e6, 2) + " M";
}

std::string gib(uint64_t bytes) { return fixed(static_cast<double>(bytes) / kGiB, 1) + " GiB"; }

bool fits(const ModelPlan& p, uint64_t bytes) {
  return p.options.gpu_memory_gib && static_cast<double>(bytes) <= *p.options.gpu_memory_gib * kGiB;
}

void printText(const ModelPlan& p, const std::string& dir, std::ostream& out) {
  const engine::ModelConfig& c = p.config;
  out << "Model: " << dir << " (" << c.model_type << ")\n";
  out << "Shape: hidden " << c.hidden_size << " · " << c.num_layers << " layers · " << c.num_heads << " heads × "
      << c.head_dim << " · " << c.num_kv_heads << " KV heads · " << c.num_experts << " experts × "
      << c.intermediate_size << ", top-" << c.top_k << " · shared expert " << c.shared_intermediate_size
      << " · vocab " << c.vocab_size << (c.tie_word_embeddings ? " (tied lm_head)" : "") << "\n";
  out << "Layers: " << p.layer_pattern << "\n";
  out << "Parameters: " << count(p.total_params) << " total, " << count(p.active_params)
      << " active per token (embedding and lm_head not counted; " << count(p.active_params + p.params.lm_head)
      << " with lm_head)\n";
  out << "  experts " << count(p.params.experts) << " · lightning attention " << count(p.params.lightning_attn)
      << " · softmax attention " << count(p.params.softmax_attn) << " · embedding " << count(p.params.embedding)
      << " · lm_head " << count(p.params.lm_head) << " · routers " << count(p.params.router) << " · shared expert "
      << count(p.params.shared_expert) << " · norms " << count(p.params.norms) << "\n";
  out << "Weights: " << grouped(p.weights.bf16_f32_router) << " bytes (" << gib(p.weights.bf16_f32_router)
      << ") bf16 with f32 routers; " << grouped(p.weights.int8_experts) << " bytes (" << gib(p.weights.int8_experts)
      << ") with int8 experts + f32 per-channel scales; " << grouped(p.weights.all_f32) << " bytes ("
      << gib(p.weights.all_f32) << ") all f32\n";
  if (p.checkpoint) {
    out << "Checkpoint: " << p.checkpoint->source << " states " << grouped(p.checkpoint->bytes) << " bytes: "
        << (p.checkpoint->matches.empty() ? "matches none of bf16 + f32 router, bf16, f32"
                                          : "matches " + p.checkpoint->matches)
        << "\n";
  } else {
    out << "Checkpoint: no weights in the directory (planned from config.json alone)\n";
  }
  const uint64_t ctx = static_cast<uint64_t>(p.options.context_tokens);
  out << "KV cache (softmax layers, bf16): " << grouped(p.kv_bytes_per_token) << " bytes per token; "
      << gib(p.kv_bytes_per_token * ctx) << " at " << grouped(ctx) << " tokens\n";
  out << "Lightning state (fp32): " << grouped(p.lightning_state_bytes)
      << " bytes per sequence, whatever the context length\n";
  out << "Per GPU at " << grouped(ctx) << " tokens of context, one sequence, with a workspace allowance of "
      << fixed(p.options.workspace_gib, 1) << " GiB per GPU (activations of a prefill chunk, CUDA context, "
      << "library workspaces):\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-4s %13s %13s %11s %11s %11s %13s %13s%s\n", "TP", "weights bf16", "weights int8",
                "KV cache", "state", "workspace", "total bf16", "total int8",
                p.options.gpu_memory_gib ? "  fits" : "");
  out << line;
  for (const engine::TensorParallelRow& r : p.tensor_parallel) {
    if (!r.not_possible.empty()) {
      out << "  " << r.degree << "    not possible: " << r.not_possible << "\n";
      continue;
    }
    std::string fit;
    if (p.options.gpu_memory_gib) {
      fit = fits(p, r.totalBf16()) ? "  bf16 + int8" : fits(p, r.totalInt8()) ? "  int8 only" : "  no";
    }
    std::snprintf(line, sizeof line, "  %-4d %13s %13s %11s %11s %11s %13s %13s%s\n", r.degree,
                  gib(r.weights_bf16).c_str(), gib(r.weights_int8).c_str(), gib(r.kv_cache).c_str(),
                  gib(r.lightning_state).c_str(), gib(r.workspace).c_str(), gib(r.totalBf16()).c_str(),
                  gib(r.totalInt8()).c_str(), fit.c_str());
    out << line;
  }
  if (p.options.gpu_memory_gib) out << "  (fits: within " << fixed(*p.options.gpu_memory_gib, 1) << " GiB per GPU)\n";
}

json toJson(const ModelPlan& p, const std::string& dir) {
  json tp = json::array();
  for (const engine::TensorParallelRow& r : p.tensor_parallel) {
    json row = {{"degree", r.degree}, {"possible", r.not_possible.empty()}};
    if (!r.not_possible.empty()) {
      row["reason"] = r.not_possible;
    } else {
      row.update({{"weights_bf16_bytes", r.weights_bf16},
                  {"weights_int8_experts_bytes", r.weights_int8},
                  {"kv_cache_bytes", r.kv_cache},
                  {"lightning_state_bytes", r.lightning_state},
                  {"workspace_bytes", r.workspace},
                  {"total_bf16_bytes", r.totalBf16()},
                  {"total_int8_experts_bytes", r.totalInt8()}});
      if (p.options.gpu_memory_gib) {
        row["fits_bf16"] = fits(p, r.totalBf16());
        row["fits_int8_experts"] = fits(p, r.totalInt8());
      }
    }
    tp.push_back(std::move(row));
  }
  json out = {
      {"model_dir", dir},
      {"model_type", p.config.model_type},
      {"parameters",
       {{"total", p.total_params},
        {"active_per_token", p.active_params},
        {"active_per_token_with_lm_head", p.active_params + p.params.lm_head},
        {"embedding", p.params.embedding},
        {"lm_head", p.params.lm_head},
        {"norms", p.params.norms},
        {"routers", p.params.router},
        {"experts", p.params.experts},
        {"shared_expert", p.params.shared_expert},
        {"lightning_attention", p.params.lightning_attn},
        {"softmax_attention", p.params.softmax_attn}}},
      {"weight_bytes",
       {{"bf16_f32_router", p.weights.bf16_f32_router},
        {"all_bf16", p.weights.all_bf16},
        {"all_f32", p.weights.all_f32},
        {"int8_experts", p.weights.int8_experts}}},
      {"layers",
       {{"lightning", p.lightning_layers},
        {"softmax", p.softmax_layers},
        {"softmax_indices", p.softmax_layer_indices},
        {"pattern", p.layer_pattern}}},
      {"kv_bytes_per_token", p.kv_bytes_per_token},
      {"lightning_state_bytes", p.lightning_state_bytes},
      {"context_tokens", p.options.context_tokens},
      {"workspace_bytes_per_gpu", p.tensor_parallel.empty() ? 0 : p.tensor_parallel.front().workspace},
      {"tensor_parallel", std::move(tp)},
      {"checkpoint", nullptr},
  };
  if (p.options.gpu_memory_gib) out["gpu_memory_gib"] = *p.options.gpu_memory_gib;
  if (p.checkpoint) {
    out["checkpoint"] = {{"source", p.checkpoint->source},
                         {"bytes", p.checkpoint->bytes},
                         {"matches", p.checkpoint->matches.empty() ? json(nullptr) : json(p.checkpoint->matches)}};
  }
  return out;
}

int runPlan(const PlanArgs& args) {
  engine::PlanOptions options;
  options.context_tokens = args.context;
  options.workspace_gib = args.workspace_gib;
  if (args.gpu_memory_gib > 0) options.gpu_memory_gib = args.gpu_memory_gib;
  auto plan = engine::planModelDir(args.model_dir, options);
  if (!plan.ok()) {
    std::cerr << "folio plan: " << plan.error().message << "\n";
    return exitCodeFor(plan.error());
  }
  std::optional<engine::GpuPlacement> placement;
  if (args.gpus > 0) {
    if (args.gpu_memory_gib <= 0) {
      std::cerr << "folio plan: --gpus needs --gpu-memory (GiB of each GPU)\n";
      return kExitUsage;
    }
    engine::PlacementOptions po;
    po.gpus = args.gpus;
    po.gpu_memory_gib = args.gpu_memory_gib;
    po.context_tokens = args.context;
    po.int8_experts = args.experts_int8;
    po.reserve_gib = args.workspace_gib;
    placement = engine::planGpuPlacement(plan->config, po);
  }
  json verified;
  if (args.verify) {
    auto store = engine::WeightStore::open(args.model_dir, plan->config);
    if (!store.ok()) {
      std::cerr << "folio plan: " << store.error().message << "\n";
      return exitCodeFor(store.error());
    }
    verified = {{"tensors", (*store)->names().size()},
                {"bytes", (*store)->totalBytes()},
                {"identity", (*store)->identity()}};
  }
  if (args.json) {
    json out = toJson(*plan, args.model_dir);
    if (args.verify) out["verified_weights"] = verified;
    if (placement) out["placement"] = placementJson(*placement);
    std::cout << out.dump(2) << "\n";
  } else {
    printText(*plan, args.model_dir, std::cout);
    if (args.verify) {
      std::cout << "Verified weights: " << verified["tensors"].get<size_t>() << " tensors, "
                << grouped(verified["bytes"].get<uint64_t>()) << " bytes, identity "
                << verified["identity"].get<std::string>() << "\n";
    }
    if (placement) printPlacement(*placement, std::cout);
  }
  if (placement && !placement->fits) {
    std::cerr << "folio plan: " << placement->refusal << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void addPlanCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("plan", "Parameters, weight bytes, KV cache and memory per GPU of a model");
  auto args = std::make_shared<PlanArgs>();
  cmd->add_option("--model", args->model_dir, "Model directory (config.json; weights optional)")->required();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->add_option("--context", args->context, "Context length in tokens for the KV cache (default 1000000)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--gpu-memory,--gpus-memory-gib", args->gpu_memory_gib,
                  "Memory of each GPU in GiB: say which layouts fit")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--gpus", args->gpus,
                  "Place the model on this many GPUs of --gpu-memory GiB (tensor parallel); exit 1 if it does not fit")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--experts-int8", args->experts_int8, "With --gpus: routed experts as int8 + per-channel scales");
  cmd->add_option("--workspace-gib", args->workspace_gib,
                  "Activation/workspace allowance per GPU in GiB (default 2)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_flag("--verify", args->verify, "Also open and validate the weights (headers, offsets, shapes)");
  cmd->callback([&ctx, args] { ctx.exit_code = runPlan(*args); });
}

}  // namespace folio::cli
