#include "app/pipeline/passage_answers.h"

#include <cstdio>
#include <ctime>

#include "app/pipeline/summary_tree.h"

namespace folio::app {

std::string passageAnswerKey(const PassageCall& c) {
  char tau[32];
  std::snprintf(tau, sizeof tau, "%.9g", c.expert_threshold);
  return sourceHash({c.question, c.passage_block, c.model, std::to_string(c.thinking_budget),
                     std::to_string(c.answer_budget), tau, std::to_string(c.prompt_version)});
}

Result<std::optional<std::string>> findPassageAnswer(ingest::Database& db, const std::string& key) {
  auto st = db.prepare("SELECT answer FROM passage_answers WHERE key = ?1");
  if (!st) return st.error();
  st->bind(1, key);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->columnText(0));
}

Status putPassageAnswer(ingest::Database& db, const std::string& key, int64_t document_id, const std::string& answer) {
  auto st = db.prepare(
      "INSERT INTO passage_answers(key, document_id, answer, created_at) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(key) DO UPDATE SET answer = excluded.answer, created_at = excluded.created_at");
  if (!st) return st.error();
  st->bind(1, key).bind(2, document_id).bind(3, answer).bind(4, static_cast<int64_t>(std::time(nullptr)));
  return st->run();
}

}  // namespace folio::app
