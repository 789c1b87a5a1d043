#include "app/pipeline/answer_store.h"

#include <ctime>

namespace folio::app {
namespace {

nlohmann::json planRecord(const AnswerRecord& a) {
  auto j = planJson(a.plan);
  nlohmann::json ev = nlohmann::json::array();
  for (const auto& e : a.evidence) ev.push_back(evidenceJson(e));
  j["evidence"] = ev;
  j["dropped_citations"] = a.dropped_citations;
  return j;
}

Evidence evidenceFromJson(const nlohmann::json& j) {
  Evidence e;
  e.n = j.value("n", 0);
  e.kind = j.value("kind", std::string());
  e.document_id = j.value("document_id", int64_t{0});
  if (j.contains("chunk_id") && j["chunk_id"].is_number_integer()) e.chunk_id = j["chunk_id"].get<int64_t>();
  if (j.contains("node_id") && j["node_id"].is_number_integer()) e.node_id = j["node_id"].get<int64_t>();
  e.path = j.value("path", std::string());
  e.heading = j.value("heading", std::string());
  e.page_first = j.value("page_first", 0);
  e.page_last = j.value("page_last", 0);
  e.line_first = j.value("line_first", 0);
  e.line_last = j.value("line_last", 0);
  return e;
}

nlohmann::json parseOr(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

}  // namespace

Status storeAnswer(ingest::Database& db, AnswerRecord& a) {
  auto tx = ingest::Transaction::begin(db);
  if (!tx) return tx.error();
  a.created_at = static_cast<int64_t>(std::time(nullptr));
  {
    auto st = db.prepare("INSERT INTO questions(collection_id, text, created_at) VALUES(?,?,?)");
    if (!st) return st.error();
    if (a.collection_id > 0) {
      st->bind(1, a.collection_id);
    } else {
      st->bindNull(1);
    }
    st->bind(2, a.question).bind(3, a.created_at);
    FOLIO_TRY(st->run());
    a.question_id = db.lastInsertRowid();
  }
  {
    auto usage = pipelineUsageJson(a.usage);
    usage["finish_reason"] = a.finish_reason;
    auto st = db.prepare(
        "INSERT INTO answers(question_id, model, text, thinking, plan_json, usage_json, routing_json, created_at, "
        "model_name) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    const auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
    st->bind(1, a.question_id).bind(2, a.model).bind(3, a.text).bind(4, a.thinking);
    st->bind(5, dump(planRecord(a))).bind(6, dump(usage)).bind(7, dump(routingJson(a.usage.routingTotal())));
    st->bind(8, a.created_at).bind(9, a.model_name);
    FOLIO_TRY(st->run());
    a.id = db.lastInsertRowid();
  }
  {
    auto st = db.prepare(
        "INSERT INTO citations(answer_id, n, chunk_id, document_id, page_first, page_last, line_first, line_last, quote) "
        "VALUES(?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    for (const auto& c : a.citations) {
      st->bind(1, a.id).bind(2, c.n);
      if (c.source.chunk_id) {
        st->bind(3, *c.source.chunk_id);
      } else {
        st->bindNull(3);
      }
      if (c.source.document_id > 0) {
        st->bind(4, c.source.document_id);
      } else {
        st->bindNull(4);
      }
      st->bind(5, c.source.page_first).bind(6, c.source.page_last).bind(7, c.source.line_first);
      st->bind(8, c.source.line_last).bind(9, c.source.text);
      FOLIO_TRY(st->run());
    }
  }
  {
    auto st = db.prepare(
        "INSERT INTO usage(answer_id, phase, model, context_tokens, thinking_tokens, answer_tokens, elapsed_ms, created_at) "
        "VALUES(?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    for (const auto& s : a.usage.stages) {
      st->bind(1, a.id).bind(2, s.stage).bind(3, s.engine).bind(4, s.prompt_tokens).bind(5, s.thinking_tokens);
      st->bind(6, s.answer_tokens).bind(7, static_cast<int64_t>(s.elapsed_ms)).bind(8, a.created_at);
      FOLIO_TRY(st->run());
    }
  }
  {
    const auto r = a.usage.routingTotal();
    auto st = db.prepare("INSERT INTO routing_aggregates(answer_id, layer, expert, tokens) VALUES(?,?,?,?)");
    if (!st) return st.error();
    for (int l = 0; l < r.num_layers; ++l)
      for (int e = 0; e < r.num_experts; ++e) {
        const int64_t n = r.counts[static_cast<size_t>(l * r.num_experts + e)];
        if (n == 0) continue;
        st->bind(1, a.id).bind(2, l).bind(3, e).bind(4, n);
        FOLIO_TRY(st->run());
      }
  }
  return tx->commit();
}

Result<AnswerRecord> loadAnswer(ingest::Database& db, int64_t answer_id) {
  auto st = db.prepare(
      "SELECT a.id, a.question_id, q.collection_id, COALESCE(c.name, ''), q.text, a.model, a.text, a.thinking, "
      "a.plan_json, a.usage_json, a.created_at, a.model_name FROM answers a JOIN questions q ON q.id = a.question_id "
      "LEFT JOIN collections c ON c.id = q.collection_id WHERE a.id = ?");
  if (!st) return st.error();
  st->bind(1, answer_id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return notFound("answer " + std::to_string(answer_id) + ": no such answer in " + db.name());
  AnswerRecord a;
  a.id = st->columnInt64(0);
  a.question_id = st->columnInt64(1);
  a.collection_id = st->columnIsNull(2) ? 0 : st->columnInt64(2);
  a.collection = st->columnText(3);
  a.question = st->columnText(4);
  a.model = st->columnText(5);
  a.extractive = a.model == "extractive";
  a.text = st->columnText(6);
  a.thinking = st->columnText(7);
  const auto plan = parseOr(st->columnText(8));
  const auto usage = parseOr(st->columnText(9));
  a.created_at = st->columnInt64(10);
  a.model_name = st->columnText(11);
  a.plan = planFromJson(plan);
  if (plan.contains("evidence") && plan["evidence"].is_array())
    for (const auto& e : plan["evidence"]) a.evidence.push_back(evidenceFromJson(e));
  if (plan.contains("dropped_citations") && plan["dropped_citations"].is_array())
    for (const auto& n : plan["dropped_citations"])
      if (n.is_number_integer()) a.dropped_citations.push_back(n.get<int>());
  a.usage = pipelineUsageFromJson(usage);
  a.finish_reason = usage.value("finish_reason", std::string());
  auto cs = db.prepare(
      "SELECT ci.n, ci.chunk_id, ci.document_id, ci.page_first, ci.page_last, ci.line_first, ci.line_last, ci.quote, "
      "COALESCE(d.rel_path, ''), COALESCE(ch.heading, '') FROM citations ci LEFT JOIN documents d ON d.id = ci.document_id "
      "LEFT JOIN chunks ch ON ch.id = ci.chunk_id WHERE ci.answer_id = ? ORDER BY ci.id");
  if (!cs) return cs.error();
  cs->bind(1, answer_id);
  for (;;) {
    auto r = cs->step();
    if (!r) return r.error();
    if (!*r) break;
    Citation c;
    c.n = cs->columnInt(0);
    // The evidence list says what the item was; the citation row says where it points now.
    for (const auto& e : a.evidence)
      if (e.n == c.n) c.source = e;
    c.source.n = c.n;
    if (!cs->columnIsNull(1)) c.source.chunk_id = cs->columnInt64(1);
    c.source.document_id = cs->columnIsNull(2) ? 0 : cs->columnInt64(2);
    c.source.page_first = cs->columnInt(3);
    c.source.page_last = cs->columnInt(4);
    c.source.line_first = cs->columnInt(5);
    c.source.line_last = cs->columnInt(6);
    c.source.text = cs->columnText(7);
    if (!cs->columnText(8).empty()) c.source.path = cs->columnText(8);
    if (!cs->columnText(9).empty()) c.source.heading = cs->columnText(9);
    if (c.source.kind.empty()) c.source.kind = c.source.chunk_id ? "chunk" : "summary";
    a.citations.push_back(std::move(c));
  }
  return a;
}

Result<std::vector<int64_t>> answerIds(ingest::Database& db, std::optional<int64_t> collection_id) {
  auto st = db.prepare(collection_id ? "SELECT a.id FROM answers a JOIN questions q ON q.id = a.question_id "
                                       "WHERE q.collection_id = ? ORDER BY a.id"
                                     : "SELECT id FROM answers ORDER BY id");
  if (!st) return st.error();
  if (collection_id) st->bind(1, *collection_id);
  std::vector<int64_t> ids;
  for (;;) {
    auto r = st->step();
    if (!r) return r.error();
    if (!*r) break;
    ids.push_back(st->columnInt64(0));
  }
  return ids;
}

}  // namespace folio::app
