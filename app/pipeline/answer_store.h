// Answers in the library: a question row, the answer row (text, thinking, plan_json with the evidence
// list and dropped citations, usage_json, routing_json), one citations row per cited item, one usage
// row per stage and the routing aggregate per (layer, expert). All in one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/pipeline/answer.h"
#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::app {

// Stores `a` (its id, question_id and created_at are set).
Status storeAnswer(ingest::Database& db, AnswerRecord& a);
// NotFound when there is no answer `answer_id`.
Result<AnswerRecord> loadAnswer(ingest::Database& db, int64_t answer_id);
// Answer ids of the questions asked in a collection (a "session"), oldest first; all collections when
// `collection_id` is empty.
Result<std::vector<int64_t>> answerIds(ingest::Database& db, std::optional<int64_t> collection_id);

}  // namespace folio::app
