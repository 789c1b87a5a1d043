// A model's answers about one passage kept in the library (passage_answers, schema v16): the cells of a
// review table, found again by what determines them, so a review run again after a crash or a stop, or
// with a column added, asks the model only what it has not answered (on the CPU the same call gives the
// same answer bit for bit, so a kept answer is the one the call would give).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::app {

// What determines an answer: the question as the model was asked it, the passage's block as the prompt
// held it, the model's identity, the call's budgets and τ, and the prompt's wording (its version).
struct PassageCall {
  std::string question;
  std::string passage_block;
  std::string model;
  int64_t thinking_budget = 0;
  int64_t answer_budget = 0;
  double expert_threshold = 1.0;
  int prompt_version = 1;
};
std::string passageAnswerKey(const PassageCall& call);

Result<std::optional<std::string>> findPassageAnswer(ingest::Database& db, const std::string& key);
// Kept until the document goes; one about a passage that has since changed is no longer found (the key
// holds the passage's text).
Status putPassageAnswer(ingest::Database& db, const std::string& key, int64_t document_id, const std::string& answer);

}  // namespace folio::app
