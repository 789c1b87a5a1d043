// JSON bodies the HTTP API answers with: errors, the generate response, OpenAI chat completions and
// their streamed chunks, and the splitter that turns a token stream into reasoning/content deltas.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

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

// Splits streamed text into the thought and the answer as it grows (engine/tokenizer/think_split.h),
// returning only what is new in each part. Concatenating every delta of a part gives that part of the
// complete text, as splitThinking(text) computes it, whenever each part only grows.
class ThinkingStreamSplitter {
 public:
  struct Delta {
    std::string thinking, answer;
  };
  Delta add(std::string_view piece);
  Delta finish();
  const std::string& text() const { return text_; }

 private:
  Delta emit(bool complete);
  std::string text_;
  std::string thinking_sent_, answer_sent_;
};

}  // namespace folio::app::server
