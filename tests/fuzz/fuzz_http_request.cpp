// Fuzzes the HTTP API's request parsing and validation (app/server/api_requests.h, http_guard.h): the
// same bytes as a generate, chat, ask and review body, search and timeline query strings and Host/Authorization
// headers.
// Nothing may crash or throw, and every accepted request must hold values inside the documented ranges.
// fuzz-link: folio_app
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/pipeline/review_table.h"
#include "app/server/api_requests.h"
#include "app/server/http_guard.h"
#include "app/server/json_body.h"

namespace {

using namespace folio::app::server;

void checkGen(const GenerationParams& g) {
  if (g.max_output_tokens < 0 || g.max_output_tokens > kMaxOutputTokens) __builtin_trap();
  if (g.context_window < 0 || g.context_window > kMaxContextWindow) __builtin_trap();
  if (g.thinking_budget < -1 || g.thinking_budget > kMaxThinkingBudget) __builtin_trap();
  if (!(g.expert_threshold > 0 && g.expert_threshold <= 1)) __builtin_trap();
  if (!std::isfinite(g.temperature) || g.temperature < 0) __builtin_trap();
  if (!(g.top_p > 0 && g.top_p <= 1)) __builtin_trap();
  if (g.top_k < 0) __builtin_trap();
  if (g.stop.size() > kMaxStopStrings) __builtin_trap();
  for (const auto& s : g.stop)
    if (s.empty() || s.size() > kMaxStopBytes) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto g = parseGenerateRequest(text); g.ok()) {
    if (g->input.empty()) __builtin_trap();
    checkGen(g->gen);
  }
  if (auto c = parseChatRequest(text); c.ok()) {
    if (c->messages.empty()) __builtin_trap();
    checkGen(c->gen);
  }
  if (auto a = parseAskRequest(text); a.ok()) {
    if (a->question.empty() || a->max_tokens < 1 || a->thinking_budget < 0) __builtin_trap();
    for (int64_t id : a->document_ids)
      if (id < 1) __builtin_trap();
  }
  if (auto r = parseReviewRequest(text); r.ok()) {
    if (r->questions.empty() || r->questions.size() > folio::app::kMaxReviewQuestions) __builtin_trap();
    for (const auto& q : r->questions)
      if (q.empty() || q.size() > folio::app::kMaxReviewQuestionBytes) __builtin_trap();
    if ((r->max_tokens && *r->max_tokens < 1) || (r->thinking_budget && *r->thinking_budget < 0)) __builtin_trap();
    for (int64_t id : r->document_ids)
      if (id < 1) __builtin_trap();
  }
  // The first line as a query string value and a limit; the rest as header values.
  const size_t nl = text.find('\n');
  const std::string first(text.substr(0, nl));
  const std::string rest(nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1));
  if (auto s = parseSearchParams(first, rest.substr(0, 8)); s.ok()) {
    if (s->query.empty() || s->limit < 1 || s->limit > kMaxSearchLimit) __builtin_trap();
  }
  // The lines as a timeline's query parameters.
  TimelineQuery tq;
  std::optional<std::string>* fields[] = {&tq.from, &tq.to, &tq.q, &tq.collection, &tq.documents, &tq.day_first, &tq.limit};
  size_t pos = 0;
  for (auto* f : fields) {
    if (pos > text.size()) break;
    const size_t end = std::min(text.find('\n', pos), text.size());
    *f = std::string(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (auto t = parseTimelineParams(tq); t.ok()) {
    if (t->limit < 0 || t->document_ids.size() > 1000) __builtin_trap();
    for (int64_t id : t->document_ids)
      if (id < 1) __builtin_trap();
  }
  const bool allowed = hostAllowed(first, "127.0.0.1", 8080);
  if (allowed) {
    std::string name, port;
    if (!splitHostHeader(first, name, port) || !isLoopbackName(name)) __builtin_trap();
  }
  if (bearerAuthorized(first, rest) && rest.empty()) __builtin_trap();
  (void)jsonNestingDepth(text, kMaxJsonDepth);
  return 0;
}
