#include "app/pipeline/usage.h"

namespace folio::app {

double StageUsage::tokensPerSecond() const {
  const double generated = static_cast<double>(thinking_tokens + answer_tokens);
  return decode_ms > 0 ? generated * 1000.0 / decode_ms : 0.0;
}

void StageUsage::add(const engine::GenerationUsage& u) {
  ++calls;
  prompt_tokens += u.prompt_tokens;
  thinking_tokens += u.thinking_tokens;
  answer_tokens += u.answer_tokens;
  prefill_ms += u.prefill_ms;
  decode_ms += u.decode_ms;
}

void StageUsage::addRouting(const engine::RoutingAggregate& r) {
  if (r.num_layers == 0) return;
  if (routing.num_layers == 0) routing.reset(r.num_layers, r.num_experts);
  if (routing.num_layers != r.num_layers || routing.num_experts != r.num_experts) return;
  for (size_t i = 0; i < r.counts.size(); ++i) {
    routing.counts[i] += r.counts[i];
    routing.weight_sums[i] += r.weight_sums[i];
  }
  routing.experts_evaluated += r.experts_evaluated;
  routing.experts_skipped += r.experts_skipped;
}

void StageUsage::merge(const StageUsage& o) {
  calls += o.calls;
  reused += o.reused;
  prompt_tokens += o.prompt_tokens;
  reused_prefix_tokens += o.reused_prefix_tokens;
  thinking_tokens += o.thinking_tokens;
  answer_tokens += o.answer_tokens;
  prefill_ms += o.prefill_ms;
  decode_ms += o.decode_ms;
  addRouting(o.routing);
}

StageUsage& PipelineUsage::stage(const std::string& name) {
  for (auto& s : stages)
    if (s.stage == name) return s;
  stages.push_back(StageUsage{});
  stages.back().stage = name;
  return stages.back();
}

engine::RoutingAggregate PipelineUsage::routingTotal() const {
  StageUsage total;
  for (const auto& s : stages) total.addRouting(s.routing);
  return total.routing;
}

nlohmann::json routingJson(const engine::RoutingAggregate& r) {
  nlohmann::json counts = nlohmann::json::array();
  for (int l = 0; l < r.num_layers; ++l) {
    nlohmann::json row = nlohmann::json::array();
    for (int e = 0; e < r.num_experts; ++e) row.push_back(r.counts[static_cast<size_t>(l * r.num_experts + e)]);
    counts.push_back(row);
  }
  return {{"num_layers", r.num_layers},
          {"num_experts", r.num_experts},
          {"counts", counts},
          {"experts_evaluated", r.experts_evaluated},
          {"experts_skipped", r.experts_skipped}};
}

engine::RoutingAggregate routingFromJson(const nlohmann::json& j) {
  engine::RoutingAggregate r;
  if (!j.is_object()) return r;
  const int layers = j.value("num_layers", 0), experts = j.value("num_experts", 0);
  if (layers <= 0 || experts <= 0 || layers > 100000 || experts > 100000) return r;
  r.reset(layers, experts);
  const auto& counts = j.contains("counts") ? j["counts"] : nlohmann::json();
  for (int l = 0; l < layers && counts.is_array() && l < static_cast<int>(counts.size()); ++l) {
    const auto& row = counts[static_cast<size_t>(l)];
    for (int e = 0; e < experts && row.is_array() && e < static_cast<int>(row.size()); ++e)
      if (row[static_cast<size_t>(e)].is_number_integer())
        r.counts[static_cast<size_t>(l * experts + e)] = row[static_cast<size_t>(e)].get<int64_t>();
  }
  r.experts_evaluated = j.value("experts_evaluated", int64_t{0});
  r.experts_skipped = j.value("experts_skipped", int64_t{0});
  return r;
}

nlohmann::json stageUsageJson(const StageUsage& s) {
  return {{"stage", s.stage},
          {"engine", s.engine},
          {"calls", s.calls},
          {"reused", s.reused},
          {"prompt_tokens", s.prompt_tokens},
          {"reused_prefix_tokens", s.reused_prefix_tokens},
          {"thinking_tokens", s.thinking_tokens},
          {"answer_tokens", s.answer_tokens},
          {"prefill_ms", s.prefill_ms},
          {"decode_ms", s.decode_ms},
          {"elapsed_ms", s.elapsed_ms},
          {"tokens_per_s", s.tokensPerSecond()},
          {"routing", routingJson(s.routing)}};
}

nlohmann::json pipelineUsageJson(const PipelineUsage& u) {
  nlohmann::json stages = nlohmann::json::array();
  int64_t prompt = 0, thinking = 0, answer = 0, reused = 0;
  for (const auto& s : u.stages) {
    stages.push_back(stageUsageJson(s));
    prompt += s.prompt_tokens;
    thinking += s.thinking_tokens;
    answer += s.answer_tokens;
    reused += s.reused_prefix_tokens;
  }
  return {{"stages", stages},
          {"prompt_tokens", prompt},
          {"thinking_tokens", thinking},
          {"answer_tokens", answer},
          {"reused_prefix_tokens", reused}};
}

PipelineUsage pipelineUsageFromJson(const nlohmann::json& j) {
  PipelineUsage u;
  if (!j.is_object() || !j.contains("stages") || !j["stages"].is_array()) return u;
  for (const auto& s : j["stages"]) {
    if (!s.is_object()) continue;
    StageUsage st;
    st.stage = s.value("stage", std::string());
    st.engine = s.value("engine", std::string());
    st.calls = s.value("calls", int64_t{0});
    st.reused = s.value("reused", int64_t{0});
    st.prompt_tokens = s.value("prompt_tokens", int64_t{0});
    st.reused_prefix_tokens = s.value("reused_prefix_tokens", int64_t{0});
    st.thinking_tokens = s.value("thinking_tokens", int64_t{0});
    st.answer_tokens = s.value("answer_tokens", int64_t{0});
    st.prefill_ms = s.value("prefill_ms", 0.0);
    st.decode_ms = s.value("decode_ms", 0.0);
    st.elapsed_ms = s.value("elapsed_ms", 0.0);
    if (s.contains("routing")) st.routing = routingFromJson(s["routing"]);
    u.stages.push_back(std::move(st));
  }
  return u;
}

}  // namespace folio::app
