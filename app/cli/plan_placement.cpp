#include "app/cli/plan_placement.h"

#include <cstdio>
#include <string>

namespace folio::cli {

namespace {

// width 0: as short as it goes ("80.0 GiB"); else right-aligned with two decimals
std::string gib(uint64_t bytes, int width = 10) {
  char buf[32];
  const double v = static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
  if (width == 0) std::snprintf(buf, sizeof buf, "%.1f GiB", v);
  else std::snprintf(buf, sizeof buf, "%*.2f GiB", width, v);
  return buf;
}

void row(std::ostream& out, const char* what, uint64_t bytes, const char* how) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-22s %s%s%s\n", what, gib(bytes).c_str(), *how ? "  " : "", how);
  out << buf;
}

}  // namespace

void printPlacement(const engine::GpuPlacement& p, std::ostream& out) {
  const engine::PlacementOptions& o = p.options;
  out << "Placement on " << o.gpus << " × " << gib(p.gpu_memory, 0)
      << " GPUs (tensor parallel " << o.gpus << ", experts " << (o.int8_experts ? "int8" : "bf16") << ", "
      << o.context_tokens << " tokens of context × " << o.sequences << " sequence" << (o.sequences == 1 ? "" : "s")
      << ", prefill chunk " << o.prefill_chunk << "), per GPU:\n";
  if (!p.not_possible.empty()) {
    out << "  not possible: " << p.not_possible << "\n";
    return;
  }
  const engine::GpuShareBytes& b = p.per_gpu;
  row(out, "attention", b.attention, "query heads / N (KV heads / N, or replicated when N > KV)");
  row(out, "routed experts", b.experts, "every expert's hidden units / N");
  if (b.shared_expert) row(out, "shared expert", b.shared_expert, "hidden units / N");
  row(out, "norms + routers", b.replicated, "replicated");
  row(out, "embedding", b.embedding, "vocabulary rows / N");
  row(out, "lm_head", b.lm_head, "vocabulary rows / N (fp32 compute)");
  row(out, "weights", b.weights(), "");
  row(out, "KV cache", b.kv_cache, "bf16, the rank's KV heads");
  row(out, "lightning state", b.lightning_state, "fp32, the rank's heads");
  row(out, "activations", b.activations, "one prefill chunk");
  row(out, "reserve", b.reserve, "CUDA context, cuBLAS/NCCL workspaces");
  row(out, "total", b.total(), p.fits ? "fits" : "DOES NOT FIT");
  row(out, "GPU memory", p.gpu_memory, "");
}

nlohmann::json placementJson(const engine::GpuPlacement& p) {
  const engine::GpuShareBytes& b = p.per_gpu;
  nlohmann::json j = {{"gpus", p.options.gpus},
                      {"gpu_memory_bytes", p.gpu_memory},
                      {"int8_experts", p.options.int8_experts},
                      {"sequences", p.options.sequences},
                      {"prefill_chunk", p.options.prefill_chunk},
                      {"possible", p.not_possible.empty()},
                      {"fits", p.fits}};
  if (!p.not_possible.empty()) j["reason"] = p.not_possible;
  if (!p.refusal.empty()) j["refusal"] = p.refusal;
  if (p.gpus_that_fit) j["gpus_that_fit"] = *p.gpus_that_fit;
  if (p.not_possible.empty()) {
    j["per_gpu_bytes"] = {{"attention", b.attention},         {"experts", b.experts},
                          {"shared_expert", b.shared_expert}, {"norms_and_routers", b.replicated},
                          {"embedding", b.embedding},         {"lm_head", b.lm_head},
                          {"weights", b.weights()},           {"kv_cache", b.kv_cache},
                          {"lightning_state", b.lightning_state}, {"activations", b.activations},
                          {"reserve", b.reserve},             {"total", b.total()}};
  }
  return j;
}

}  // namespace folio::cli
