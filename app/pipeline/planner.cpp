#include "app/pipeline/planner.h"

#include <algorithm>

namespace folio::app {

Plan makePlan(const PlanInput& in) {
  Plan plan;
  plan.budgets = in.budgets;
  plan.question_tokens = in.question_tokens;
  plan.documents = in.documents;
  const auto& b = in.budgets;
  plan.available_tokens =
      std::max<int64_t>(0, b.context_window - b.thinking_budget - b.answer_budget - b.prompt_overhead - in.question_tokens);
  int64_t chunks = 0;
  for (const auto& d : in.documents) {
    plan.document_tokens += d.tokens;
    plan.summary_tokens += d.summary_tokens;
    chunks += d.chunks;
  }
  const int64_t with_summaries = plan.document_tokens + plan.summary_tokens;
  if (!in.documents.empty() && with_summaries <= plan.available_tokens) {
    plan.mode = kModeInline;
    plan.inline_summaries = plan.summary_tokens > 0;
    plan.context_tokens = with_summaries;
  } else if (!in.documents.empty() && plan.document_tokens <= plan.available_tokens) {
    plan.mode = kModeInline;
    plan.context_tokens = plan.document_tokens;
    if (plan.summary_tokens > 0)
      plan.left_out.push_back({"section summaries (" + std::to_string(plan.summary_tokens) + " tokens)",
                               "the documents fit the context window only without them"});
  } else {
    plan.mode = kModeSummarize;
    if (!in.documents.empty())
      plan.left_out.push_back({"the full text (" + std::to_string(plan.document_tokens) + " tokens)",
                               "more than the " + std::to_string(plan.available_tokens) +
                                   " tokens the context window leaves after the budgets"});
  }
  plan.prompt_tokens = b.prompt_overhead + in.question_tokens + plan.context_tokens;
  if (plan.isInline()) {
    plan.stages.push_back({"reason", chunks, plan.context_tokens, b.thinking_budget + b.answer_budget});
  } else {
    plan.stages.push_back({"map", chunks, plan.document_tokens, 0});
    plan.stages.push_back({"reduce", static_cast<int64_t>(in.documents.size()), 0, 0});
    plan.stages.push_back({"reason", 0, 0, b.thinking_budget + b.answer_budget});
  }
  return plan;
}

nlohmann::json planJson(const Plan& p) {
  nlohmann::json docs = nlohmann::json::array(), stages = nlohmann::json::array(), left = nlohmann::json::array();
  for (const auto& d : p.documents)
    docs.push_back({{"id", d.id}, {"path", d.path}, {"tokens", d.tokens}, {"summary_tokens", d.summary_tokens},
                    {"chunks", d.chunks}});
  for (const auto& s : p.stages)
    stages.push_back({{"stage", s.stage}, {"inputs", s.inputs}, {"input_tokens", s.input_tokens},
                      {"output_budget", s.output_budget}});
  for (const auto& l : p.left_out) left.push_back({{"what", l.what}, {"why", l.why}});
  return {{"mode", p.mode},
          {"inline_summaries", p.inline_summaries},
          {"budgets",
           {{"context_window", p.budgets.context_window},
            {"thinking_budget", p.budgets.thinking_budget},
            {"answer_budget", p.budgets.answer_budget},
            {"prompt_overhead", p.budgets.prompt_overhead}}},
          {"question_tokens", p.question_tokens},
          {"available_tokens", p.available_tokens},
          {"document_tokens", p.document_tokens},
          {"summary_tokens", p.summary_tokens},
          {"context_tokens", p.context_tokens},
          {"prompt_tokens", p.prompt_tokens},
          {"documents", docs},
          {"stages", stages},
          {"left_out", left}};
}

Plan planFromJson(const nlohmann::json& j) {
  Plan p;
  if (!j.is_object()) return p;
  p.mode = j.value("mode", std::string());
  p.inline_summaries = j.value("inline_summaries", false);
  if (j.contains("budgets") && j["budgets"].is_object()) {
    const auto& b = j["budgets"];
    p.budgets.context_window = b.value("context_window", int64_t{0});
    p.budgets.thinking_budget = b.value("thinking_budget", int64_t{0});
    p.budgets.answer_budget = b.value("answer_budget", int64_t{0});
    p.budgets.prompt_overhead = b.value("prompt_overhead", int64_t{0});
  }
  p.question_tokens = j.value("question_tokens", int64_t{0});
  p.available_tokens = j.value("available_tokens", int64_t{0});
  p.document_tokens = j.value("document_tokens", int64_t{0});
  p.summary_tokens = j.value("summary_tokens", int64_t{0});
  p.context_tokens = j.value("context_tokens", int64_t{0});
  p.prompt_tokens = j.value("prompt_tokens", int64_t{0});
  if (j.contains("documents") && j["documents"].is_array())
    for (const auto& d : j["documents"])
      if (d.is_object())
        p.documents.push_back({d.value("id", int64_t{0}), d.value("path", std::string()), d.value("tokens", int64_t{0}),
                               d.value("summary_tokens", int64_t{0}), d.value("chunks", int64_t{0})});
  if (j.contains("stages") && j["stages"].is_array())
    for (const auto& s : j["stages"])
      if (s.is_object())
        p.stages.push_back({s.value("stage", std::string()), s.value("inputs", int64_t{0}),
                            s.value("input_tokens", int64_t{0}), s.value("output_budget", int64_t{0})});
  if (j.contains("left_out") && j["left_out"].is_array())
    for (const auto& l : j["left_out"])
      if (l.is_object()) p.left_out.push_back({l.value("what", std::string()), l.value("why", std::string())});
  return p;
}

}  // namespace folio::app
