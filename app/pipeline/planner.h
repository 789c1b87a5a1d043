// The planner: for a question over a set of documents, whether everything fits the context window
// (inline: the documents in order, section summaries at section boundaries when they fit too) or the
// pipeline must summarize first and reason over selected evidence (summarize-then-reason). Pure: the
// caller measures the token counts (with the model's tokenizer when one is loaded).
//
// available = context_window − thinking_budget − answer_budget − prompt_overhead − question_tokens;
// the prompt of the reasoning call is prompt_overhead + question_tokens + context tokens ≤
// context_window − thinking_budget − answer_budget.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace folio::app {

struct PlanBudgets {
  int64_t context_window = 0;
  int64_t thinking_budget = 0;  // >= 0 (tokens reserved for the thought)
  int64_t answer_budget = 0;    // tokens reserved for the answer
  int64_t prompt_overhead = 0;  // chat markup + system instruction
};

struct PlanDocumentInput {
  int64_t id = 0;
  std::string path;
  int64_t tokens = 0;          // the document's chunks as they would be inlined (numbered blocks)
  int64_t summary_tokens = 0;  // its section summaries as they would be inlined (0: none stored)
  int64_t chunks = 0;
};

struct PlanInput {
  int64_t question_tokens = 0;
  std::vector<PlanDocumentInput> documents;
  PlanBudgets budgets;
};

struct LeftOut {
  std::string what;
  std::string why;
};

struct StagePlan {
  std::string stage;        // map, reduce, reason
  int64_t inputs = 0;       // chunks (map), summaries (reduce), evidence items (reason)
  int64_t input_tokens = 0;
  int64_t output_budget = 0;
};

struct Plan {
  std::string mode;         // "inline" or "summarize-then-reason"
  bool inline_summaries = false;  // inline mode with section summaries interleaved
  PlanBudgets budgets;
  int64_t question_tokens = 0;
  int64_t available_tokens = 0;   // for the context (documents or evidence)
  int64_t document_tokens = 0;    // all documents inlined
  int64_t summary_tokens = 0;     // all stored section summaries inlined
  int64_t context_tokens = 0;     // what the reasoning prompt's context actually holds (set after selection)
  int64_t prompt_tokens = 0;      // the reasoning prompt (set after selection)
  std::vector<PlanDocumentInput> documents;
  std::vector<StagePlan> stages;
  std::vector<LeftOut> left_out;

  bool isInline() const { return mode == "inline"; }
};

inline constexpr const char* kModeInline = "inline";
inline constexpr const char* kModeSummarize = "summarize-then-reason";

// Decides the mode. Budgets that leave nothing for the context give summarize-then-reason with
// available_tokens 0 (the caller reports that nothing fits).
Plan makePlan(const PlanInput& input);

nlohmann::json planJson(const Plan& plan);
Plan planFromJson(const nlohmann::json& j);

}  // namespace folio::app
