// Usage of one pipeline stage (map: section summaries, reduce: document/collection summaries, reason:
// the answer): tokens, time, throughput and the expert-routing aggregate, and their JSON form.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/generation/generator.h"
#include "engine/model/routing.h"

namespace folio::app {

struct StageUsage {
  std::string stage;                 // "map", "reduce", "reason"
  std::string engine;                // model identity, or "extractive"
  int64_t calls = 0;                 // summaries or generations run in this stage
  int64_t reused = 0;                // summaries taken from the library instead of being built
  int64_t prompt_tokens = 0;         // tokens in the prompts (reused prefix included)
  int64_t reused_prefix_tokens = 0;  // prompt tokens restored from a state snapshot instead of prefilled
  int64_t thinking_tokens = 0;
  int64_t answer_tokens = 0;
  double prefill_ms = 0;
  double decode_ms = 0;
  double elapsed_ms = 0;             // wall time of the whole stage
  engine::RoutingAggregate routing;  // empty (0 layers) without a model

  double tokensPerSecond() const;    // generated tokens / decode time (0 when nothing was decoded)
  // Adds one generation's usage and routing.
  void add(const engine::GenerationUsage& u);
  void addRouting(const engine::RoutingAggregate& r);
  // Adds another record of the same stage (calls run side by side, each counted on its own).
  void merge(const StageUsage& other);
};

struct PipelineUsage {
  std::vector<StageUsage> stages;  // in order: map, reduce, reason (those that ran)
  StageUsage& stage(const std::string& name);  // finds or appends
  engine::RoutingAggregate routingTotal() const;
};

nlohmann::json routingJson(const engine::RoutingAggregate& r);
engine::RoutingAggregate routingFromJson(const nlohmann::json& j);
nlohmann::json stageUsageJson(const StageUsage& s);
nlohmann::json pipelineUsageJson(const PipelineUsage& u);
PipelineUsage pipelineUsageFromJson(const nlohmann::json& j);

}  // namespace folio::app
