// What people call a loaded model: its directory name, architecture and size, plus the run settings
// that change its answers (τ below 1, int8 experts). Stored with each answer and summary node
// (answers.model_name, summary_nodes.model_name) and shown wherever their model is; the identity hash
// stays what reuse and snapshots key on.
#pragma once

#include <cstdint>
#include <string>

#include "app/pipeline/model_runtime.h"
#include "engine/weights/weight_store.h"

namespace folio::app {

// Elements of every tensor in the checkpoint (the bf16 originals when experts run as int8 copies).
int64_t parameterCount(const engine::WeightStore& weights);

// "1.23M", "45.9B", "456B": three significant digits with a K/M/B/T suffix.
std::string formatParameterCount(int64_t n);

// "MiniMax-M1-40k — minimax_m1, 456B parameters, τ 0.5, experts int8" (τ only when below 1).
std::string describeModel(const ModelRuntime& rt, double expert_threshold);

// Who wrote an answer or a summary, for people: its stored name, or for one stored before the library
// kept names (answers before schema v7, summaries before v8) its identity, labelled as such
// ("model identity fnv1a64:…").
std::string shownModelName(const std::string& name, const std::string& identity);

}  // namespace folio::app
