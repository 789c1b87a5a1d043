// JSON bodies the HTTP API answers with: errors, the generate response, OpenAI chat completions and
// their streamed chunks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/pipeline/thinking_stream.h"
#include "app/server/api_requests.h"
#include "engine/generation/generator.h"
#include "engine/generation/routing_log.h"

namespace folio::app::server {

// {"error": {"message", "type", "param", "code"}}: `param` is the field a 400 message names.
nlohmann::json errorJson(int status, const std::string& message);

// Text of a JSON value for a response body: invalid UTF-8 (model output may hold some) is replaced.
std::string dumpBody(const nlohmann::json& j);

// "usage" of /v1/minimax-m1/generate.
nlohmann::json generateUsageJson(const engine::GenerationUsage& u);
// "routing": the per-layer × per-expert counts and weight sums (Summary), plus every token (Tokens).
nlohmann::json routingJson(const engine::RoutingLog& log, RoutingDetail detail, const std::string& model_name);
nlohmann::json generateResponseJson(const engine::GenerateResult& r, const engine::RoutingLog* routing,
                                    RoutingDetail detail, const std::string& model_name);

// OpenAI's finish reasons: eos and stop → "stop", length and context → "length", cancelled → "cancelled".
const char* openAiFinishReason(engine::FinishReason r);
nlohmann::json chatUsageJson(const engine::GenerationUsage& u);
nlohmann::json chatCompletionJson(const std::string& id, int64_t created, const std::string& model,
                                  const engine::GenerateResult& r);
// One "chat.completion.chunk"; `finish_reason` null when empty.
nlohmann::json chatChunkJson(const std::string& id, int64_t created, const std::string& model,
                             const nlohmann::json& delta, const std::string& finish_reason);
// "data: <json>\n\n"
std::string sseEvent(const nlohmann::json& j);
inline constexpr std::string_view kSseDone = "data: [DONE]\n\n";

// The splitter of streamed text into reasoning/content deltas is shared with the pipeline.
using app::ThinkingStreamSplitter;

}  // namespace folio::app::server
