#include "app/server/api_responses.h"

#include "app/server/fields.h"

namespace folio::app::server {
namespace {

const char* errorType(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403:
    case 421: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: return "unavailable_error";
    default: return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

}  // namespace

nlohmann::json errorJson(int status, const std::string& message) {
  const std::string field = status == 400 ? fieldOfMessage(message) : std::string();
  return {{"error",
           {{"message", message},
            {"type", errorType(status)},
            {"param", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field)},
            {"code", status}}}};
}

std::string dumpBody(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

nlohmann::json generateUsageJson(const engine::GenerationUsage& u) {
  const int64_t output = u.thinking_tokens + u.answer_tokens;
  return {{"prompt_tokens", u.prompt_tokens},
          {"thinking_tokens", u.thinking_tokens},
          {"answer_tokens", u.answer_tokens},
          {"output_tokens", output},
          {"total_tokens", u.prompt_tokens + output},
          {"prefill_ms", u.prefill_ms},
          {"decode_ms", u.decode_ms},
          {"tokens_per_second", u.decode_tokens_per_s},
          {"experts_evaluated", u.experts_evaluated},
          {"experts_skipped", u.experts_skipped}};
}

nlohmann::json routingJson(const engine::RoutingLog& log, RoutingDetail detail, const std::string& model_name) {
  if (detail == RoutingDetail::None) return nullptr;
  nlohmann::json j = nlohmann::json::parse(log.toJson(model_name), nullptr, false);
  if (j.is_discarded()) return nullptr;
  if (detail == RoutingDetail::Summary) j.erase("tokens");
  return j;
}

nlohmann::json generateResponseJson(const engine::GenerateResult& r, const engine::RoutingLog* routing,
                                    RoutingDetail detail, const std::string& model_name) {
  nlohmann::json j = {{"model", model_name},
                      {"text", r.text},
                      {"thinking", r.thinking},
                      {"answer", r.answer},
                      {"finish_reason", engine::finishReasonName(r.finish_reason)},
                      {"usage", generateUsageJson(r.usage)}};
  j["routing"] = routing ? routingJson(*routing, detail, model_name) : nlohmann::json(nullptr);
  return j;
}

const char* openAiFinishReason(engine::FinishReason r) {
  switch (r) {
    case engine::FinishReason::Eos:
    case engine::FinishReason::Stop: return "stop";
    case engine::FinishReason::Length:
    case engine::FinishReason::Context: return "length";
    case engine::FinishReason::Cancelled: return "cancelled";
  }
  return "stop";
}

nlohmann::json chatUsageJson(const engine::GenerationUsage& u) {
  const int64_t completion = u.thinking_tokens + u.answer_tokens;
  return {{"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", completion},
          {"total_tokens", u.prompt_tokens + completion},
          {"completion_tokens_details", {{"reasoning_tokens", u.thinking_tokens}}}};
}

nlohmann::json chatCompletionJson(const std::string& id, int64_t created, const std::string& model,
                                  const engine::GenerateResult& r) {
  nlohmann::json message = {{"role", "assistant"}, {"content", r.answer}};
  if (!r.thinking.empty()) message["reasoning_content"] = r.thinking;
  return {{"id", id},
          {"object", "chat.completion"},
          {"created", created},
          {"model", model},
          {"choices", nlohmann::json::array({{{"index", 0},
                                              {"message", message},
                                              {"finish_reason", openAiFinishReason(r.finish_reason)}}})},
          {"usage", chatUsageJson(r.usage)}};
}

nlohmann::json chatChunkJson(const std::string& id, int64_t created, const std::string& model,
                             const nlohmann::json& delta, const std::string& finish_reason) {
  return {{"id", id},
          {"object", "chat.completion.chunk"},
          {"created", created},
          {"model", model},
          {"choices", nlohmann::json::array({{{"index", 0},
                                              {"delta", delta},
                                              {"finish_reason", finish_reason.empty() ? nlohmann::json(nullptr)
                                                                                      : nlohmann::json(finish_reason)}}})}};
}

std::string sseEvent(const nlohmann::json& j) { return "data: " + dumpBody(j) + "\n\n"; }

}  // namespace folio::app::server
