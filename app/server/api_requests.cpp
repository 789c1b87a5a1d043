#include "app/server/api_requests.h"

#include <charconv>
#include <tuple>

#include "app/pipeline/date_mentions.h"
#include "app/pipeline/review_table.h"
#include "app/server/fields.h"
#include "app/server/json_body.h"

namespace folio::app::server {
namespace {

constexpr size_t kMaxInputBytes = kMaxBodyBytes;

// Reads `field` into `target` when present.
template <class T, class R>
Status assign(T& target, R result) {
  if (!result.ok()) return result.error();
  if (*result) target = static_cast<T>(**result);
  return {};
}

Status readGenerationParams(const nlohmann::json& j, GenerationParams& g, const char* max_tokens_field,
                            double max_temperature) {
  FOLIO_TRY(assign(g.max_output_tokens, readInt(j, max_tokens_field, 0, kMaxOutputTokens)));
  FOLIO_TRY(assign(g.context_window, readInt(j, "context_window", 1, kMaxContextWindow)));
  FOLIO_TRY(assign(g.thinking_budget, readInt(j, "thinking_budget", -1, kMaxThinkingBudget)));
  FOLIO_TRY(assign(g.expert_threshold, readNumber(j, "expert_threshold", 0.0, 1.0, true)));
  FOLIO_TRY(assign(g.temperature, readNumber(j, "temperature", 0.0, max_temperature)));
  FOLIO_TRY(assign(g.top_p, readNumber(j, "top_p", 0.0, 1.0, true)));
  FOLIO_TRY(assign(g.top_k, readInt(j, "top_k", 0, 1 << 20)));
  FOLIO_TRY(assign(g.seed, readUint64(j, "seed")));
  auto stop = readStringList(j, "stop", kMaxStopStrings, kMaxStopBytes);
  if (!stop) return stop.error();
  g.stop = std::move(*stop);
  return {};
}

// The messages with what OpenAI clients send beyond the chat template's forms: "developer" (the system
// prompt of newer OpenAI models) is the system role, and an assistant turn's null content is empty.
nlohmann::ordered_json openAiMessages(const nlohmann::json& messages) {
  auto out = nlohmann::ordered_json::parse(messages.dump());
  for (auto& m : out) {
    if (!m.is_object()) continue;
    auto role = m.find("role");
    if (role == m.end() || !role->is_string()) continue;
    if (*role == "developer") *role = "system";
    if (*role == "assistant") {
      auto content = m.find("content");
      if (content != m.end() && content->is_null()) *content = "";
    }
  }
  return out;
}

}  // namespace

std::optional<RoutingDetail> parseRoutingDetail(std::string_view name) {
  if (name == "none") return RoutingDetail::None;
  if (name == "summary") return RoutingDetail::Summary;
  if (name == "tokens") return RoutingDetail::Tokens;
  return std::nullopt;
}

Result<GenerateParams> parseGenerateRequest(std::string_view body) {
  auto parsed = parseJsonObject(body);
  if (!parsed) return parsed.error();
  const nlohmann::json& j = *parsed;
  GenerateParams p;
  auto input = readString(j, "input", kMaxInputBytes);
  if (!input) return input.error();
  if (!*input || (*input)->empty()) return badInput("input: required, a non-empty string");
  p.input = std::move(**input);
  FOLIO_TRY(assign(p.raw, readBool(j, "raw")));
  FOLIO_TRY(readGenerationParams(j, p.gen, "max_output_tokens", 100.0));
  auto routing = readString(j, "routing_log", 16);
  if (!routing) return routing.error();
  if (*routing) {
    auto detail = parseRoutingDetail(**routing);
    if (!detail) return badInput("routing_log: must be \"none\", \"summary\" or \"tokens\"");
    p.routing = *detail;
  }
  return p;
}

Result<ChatParams> parseChatRequest(std::string_view body) {
  auto parsed = parseJsonObject(body);
  if (!parsed) return parsed.error();
  const nlohmann::json& j = *parsed;
  ChatParams p;
  auto it = j.find("messages");
  if (it == j.end() || !it->is_array() || it->empty())
    return badInput("messages: required, a non-empty array of {\"role\", \"content\"}");
  // chatMessagesFromJson validates roles and content parts and names the failing element.
  auto messages = engine::chatMessagesFromJson(openAiMessages(*it));
  if (!messages) return messages.error();
  p.messages = std::move(*messages);
  auto model = readString(j, "model", 256);
  if (!model) return model.error();
  if (*model) p.model = **model;
  FOLIO_TRY(assign(p.stream, readBool(j, "stream")));
  if (auto so = j.find("stream_options"); so != j.end() && !so->is_null()) {
    if (!so->is_object()) return badInput("stream_options: must be an object");
    auto inc = readBool(*so, "include_usage");
    if (!inc) return badInput("stream_options." + inc.error().message);
    if (*inc) p.include_usage_in_stream = **inc;
  }
  auto n = readInt(j, "n", 1, 1);
  if (!n) return badInput("n: only 1 choice is supported");
  // OpenAI's newer name wins over max_tokens when both are given.
  FOLIO_TRY(readGenerationParams(j, p.gen, "max_tokens", 2.0));
  p.gen.prompt_field = "messages";
  FOLIO_TRY(assign(p.gen.max_output_tokens, readInt(j, "max_completion_tokens", 0, kMaxOutputTokens)));
  return p;
}

namespace {

// "collection" and "documents" (ids), the scope of a library request.
Status readScope(const nlohmann::json& j, std::optional<std::string>& collection, std::vector<int64_t>& document_ids) {
  auto c = readString(j, "collection", 256);
  if (!c) return c.error();
  if (*c) collection = **c;
  if (auto d = j.find("documents"); d != j.end() && !d->is_null()) {
    if (!d->is_array() || d->size() > 1000) return badInput("documents: must be an array of at most 1000 document ids");
    for (size_t i = 0; i < d->size(); ++i) {
      const nlohmann::json holder = {{"id", (*d)[i]}};
      auto id = readInt(holder, "id", 1, INT64_MAX);
      if (!id || !*id) return badInput("documents[" + std::to_string(i) + "]: must be a document id >= 1");
      document_ids.push_back(**id);
    }
  }
  return {};
}

}  // namespace

Result<AskParams> parseAskRequest(std::string_view body) {
  auto parsed = parseJsonObject(body);
  if (!parsed) return parsed.error();
  const nlohmann::json& j = *parsed;
  AskParams p;
  auto q = readString(j, "question", kMaxQueryBytes);
  if (!q) return q.error();
  if (!*q || (*q)->empty()) return badInput("question: required, a non-empty string");
  p.question = std::move(**q);
  FOLIO_TRY(readScope(j, p.collection, p.document_ids));
  FOLIO_TRY(assign(p.context_window, readInt(j, "context_window", 1, kMaxContextWindow)));
  FOLIO_TRY(assign(p.thinking_budget, readInt(j, "thinking_budget", 0, kMaxThinkingBudget)));
  FOLIO_TRY(assign(p.max_tokens, readInt(j, "max_tokens", 1, kMaxOutputTokens)));
  FOLIO_TRY(assign(p.expert_threshold, readNumber(j, "expert_threshold", 0.0, 1.0, true)));
  auto max_documents = readInt(j, "max_documents", 0, 1 << 20);
  if (!max_documents) return max_documents.error();
  if (*max_documents) p.max_documents = static_cast<int>(**max_documents);
  FOLIO_TRY(assign(p.each_document, readBool(j, "each_document")));
  FOLIO_TRY(assign(p.stream, readBool(j, "stream")));
  return p;
}

Result<ReviewParams> parseReviewRequest(std::string_view body) {
  auto parsed = parseJsonObject(body);
  if (!parsed) return parsed.error();
  const nlohmann::json& j = *parsed;
  ReviewParams p;
  auto q = j.find("questions");
  if (q == j.end() || !q->is_array() || q->empty() || q->size() > kMaxReviewQuestions)
    return badInput("questions: required, an array of 1 to " + std::to_string(kMaxReviewQuestions) + " strings");
  for (size_t i = 0; i < q->size(); ++i) {
    const auto& item = (*q)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
      return badInput("questions[" + std::to_string(i) + "]: must be a non-empty string");
    if (item.get_ref<const std::string&>().size() > kMaxReviewQuestionBytes)
      return badInput("questions[" + std::to_string(i) + "]: longer than " + std::to_string(kMaxReviewQuestionBytes) +
                      " bytes: a column asks one short question");
    p.questions.push_back(item.get<std::string>());
  }
  FOLIO_TRY(readScope(j, p.collection, p.document_ids));
  FOLIO_TRY(assign(p.matching_only, readBool(j, "matching_only")));
  auto window = readInt(j, "context_window", 1, kMaxContextWindow);
  if (!window) return window.error();
  p.context_window = *window;
  auto thinking = readInt(j, "thinking_budget", 0, kMaxThinkingBudget);
  if (!thinking) return thinking.error();
  p.thinking_budget = *thinking;
  auto answer = readInt(j, "max_tokens", 1, kMaxOutputTokens);
  if (!answer) return answer.error();
  p.max_tokens = *answer;
  FOLIO_TRY(assign(p.expert_threshold, readNumber(j, "expert_threshold", 0.0, 1.0, true)));
  FOLIO_TRY(assign(p.stream, readBool(j, "stream")));
  return p;
}

Result<TimelineParams> parseTimelineParams(const TimelineQuery& query) {
  TimelineParams p;
  int y = 0, m = 0, d = 0;
  for (const auto& [name, value, target] : {std::tuple{"from", &query.from, &p.from}, std::tuple{"to", &query.to, &p.to}}) {
    if (!*value) continue;
    if (!parseIsoDate(**value, y, m, d)) return badInput(std::string(name) + ": must be a date, YYYY-MM-DD");
    *target = **value;
  }
  if (query.q) {
    if (query.q->size() > kMaxQueryBytes) return badInput("q: longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    p.words = *query.q;
  }
  if (query.collection) {
    if (query.collection->empty() || query.collection->size() > 256) return badInput("collection: 1 to 256 bytes");
    p.collection = *query.collection;
  }
  if (query.documents) {
    std::string_view rest = *query.documents;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      int64_t id = 0;
      const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
      if (ec != std::errc() || end != item.data() + item.size() || id < 1 || p.document_ids.size() >= 1000)
        return badInput("documents: at most 1000 document ids >= 1, comma-separated");
      p.document_ids.push_back(id);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (query.day_first) {
    if (*query.day_first != "true" && *query.day_first != "1" && *query.day_first != "false" && *query.day_first != "0")
      return badInput("day_first: true or false");
    p.day_first = *query.day_first == "true" || *query.day_first == "1";
  }
  if (query.limit) {
    const auto& l = *query.limit;
    const auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), p.limit);
    if (ec != std::errc() || end != l.data() + l.size() || p.limit < 0) return badInput("limit: a count >= 0 (0: every event)");
  }
  return p;
}

Result<SearchParams> parseSearchParams(const std::optional<std::string>& q, const std::optional<std::string>& limit) {
  SearchParams p;
  if (!q || q->empty()) return badInput("q: required, the search text");
  if (q->size() > kMaxQueryBytes)
    return badInput("q: " + std::to_string(q->size()) + " bytes is over the limit of " + std::to_string(kMaxQueryBytes));
  p.query = *q;
  if (limit) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), v);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || v < 1 || v > kMaxSearchLimit)
      return badInput("limit: must be an integer in [1, " + std::to_string(kMaxSearchLimit) + "], got \"" +
                      limit->substr(0, 32) + "\"");
    p.limit = v;
  }
  return p;
}

Result<CompareParams> parseCompareParams(const std::optional<std::string>& old_id, const std::optional<std::string>& new_id) {
  auto id = [](const char* name, const std::optional<std::string>& text) -> Result<int64_t> {
    if (!text || text->empty()) return badInput(std::string(name) + ": required, a document id");
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size() || v < 1)
      return badInput(std::string(name) + ": must be a document id (a positive integer), got \"" + text->substr(0, 32) + "\"");
    return v;
  };
  auto o = id("old", old_id);
  if (!o) return o.error();
  auto n = id("new", new_id);
  if (!n) return n.error();
  return CompareParams{*o, *n};
}

}  // namespace folio::app::server
