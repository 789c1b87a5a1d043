// An answer as the pipeline produces it and the library stores it (questions, answers, citations,
// usage, routing_aggregates), with its JSON form (`folio ask --json`, reports).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline/citations.h"
#include "app/pipeline/planner.h"
#include "app/pipeline/token_routing.h"
#include "app/pipeline/usage.h"

namespace folio::app {

inline constexpr const char* kExtractiveLabel = "Extractive answer (no model loaded)";

struct AnswerRecord {
  int64_t id = 0;           // answers.id once stored
  int64_t question_id = 0;
  int64_t collection_id = 0;  // 0: the whole library
  std::string collection;
  std::string question;
  std::string model;        // model identity (what reuse keys on), or "extractive"
  // The model as people know it (model_description.h); "" for extractive answers and for answers stored
  // before the library recorded it (schema v7).
  std::string model_name;
  bool extractive = false;  // no model wrote this: the text is passages from the documents
  std::string text;         // the answer (for extractive answers it starts with kExtractiveLabel)
  std::string thinking;
  std::string finish_reason;
  std::vector<Citation> citations;
  std::vector<int> dropped_citations;
  std::vector<Evidence> evidence;
  Plan plan;
  PipelineUsage usage;
  // The reasoning call's answer tokens with their routing (model answers as generated; not stored, so
  // empty for answers loaded from the library).
  std::vector<TokenRouting> answer_tokens;
  int64_t created_at = 0;
};

// Who wrote a model answer, for people: model_name, or for an answer stored without one its identity,
// labelled as such ("model identity fnv1a64:…").
std::string answerModelName(const AnswerRecord& a);
// The engine of one of its stages, for people: answerModelName where the stage ran the answer's model.
std::string stageEngineName(const AnswerRecord& a, const StageUsage& stage);

// The text whose citing sentences help pick each citation's quote (citationQuote): the answer, or
// nothing for an extractive answer, whose text is the passages themselves.
std::string_view citingText(const AnswerRecord& a);
nlohmann::json answerJson(const AnswerRecord& a, bool include_evidence_text = false);

}  // namespace folio::app
