#include "app/pipeline/answer.h"

#include "app/pipeline/model_description.h"

namespace folio::app {

std::string answerModelName(const AnswerRecord& a) { return shownModelName(a.model_name, a.model); }

std::string stageEngineName(const AnswerRecord& a, const StageUsage& stage) {
  return !a.extractive && stage.engine == a.model ? answerModelName(a) : stage.engine;
}

std::string_view citingText(const AnswerRecord& a) {
  return a.extractive ? std::string_view() : std::string_view(a.text);
}

nlohmann::json answerJson(const AnswerRecord& a, bool include_evidence_text) {
  nlohmann::json cites = nlohmann::json::array(), evidence = nlohmann::json::array();
  for (const auto& c : a.citations) cites.push_back(citationJson(c, a.question, citingText(a)));
  for (const auto& e : a.evidence) {
    auto j = evidenceJson(e);
    if (include_evidence_text) j["text"] = e.text;
    evidence.push_back(std::move(j));
  }
  return {{"answer_id", a.id},
          {"question_id", a.question_id},
          {"collection", a.collection},
          {"question", a.question},
          {"model", a.model},
          {"model_name", a.model_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.model_name)},
          {"extractive", a.extractive},
          {"label", a.extractive ? kExtractiveLabel : "Model answer"},
          {"text", a.text},
          {"thinking", a.thinking},
          {"finish_reason", a.finish_reason},
          {"citations", cites},
          {"dropped_citations", a.dropped_citations},
          {"evidence", evidence},
          {"plan", planJson(a.plan)},
          {"usage", pipelineUsageJson(a.usage)},
          {"routing", routingJson(a.usage.routingTotal())},
          {"created_at", a.created_at}};
}

}  // namespace folio::app
