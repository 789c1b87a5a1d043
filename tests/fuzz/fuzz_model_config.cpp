// Fuzzes config.json parsing. An accepted config must satisfy the validated invariants, and the code
// that consumes it (ALiBi slopes, layer factors, the tensor list, the plan) must run without overflow.
// fuzz-link: folio_engine
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/model_config.h"
#include "engine/model_plan.h"
#include "engine/weights/expected_tensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::engine;
  auto r = parseModelConfig(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz/config.json");
  if (!r.ok()) return 0;
  const ModelConfig& c = r.value();
  if (c.num_heads <= 0 || c.num_kv_heads <= 0 || c.num_heads % c.num_kv_heads != 0) __builtin_trap();
  if (c.num_experts < c.top_k || c.top_k <= 0) __builtin_trap();
  if (c.rotary_dim % 2 != 0 || c.rotary_dim > c.head_dim || c.rotary_dim < 0) __builtin_trap();
  if (static_cast<int>(c.layer_types.size()) != c.num_layers) __builtin_trap();
  if (c.numLayersOf(AttnType::Lightning) + c.numLayersOf(AttnType::Softmax) != c.num_layers) __builtin_trap();
  if (static_cast<int>(c.alibiSlopes().size()) != c.num_heads) __builtin_trap();
  for (int l = 0; l < c.num_layers; ++l) {
    const double f = c.lightningLayerFactor(l);
    if (!(f > 0 && f <= 1.0 + 1e-5)) __builtin_trap();
  }
  // Keep each run fast: the tensor list grows with layers × experts.
  if (int64_t{c.num_layers} * c.num_experts <= 4096) {
    const auto tensors = expectedTensors(c);
    PlanOptions o;
    o.tensor_parallel_degrees = {1, 2, 3, 8};
    const ModelPlan p = planModel(c, o);
    if (p.total_params <= 0 || p.active_params > p.total_params) __builtin_trap();
    if (tensors.empty()) __builtin_trap();
  }
  return 0;
}
