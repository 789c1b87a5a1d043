// The requests of the HTTP API as plain values, parsed and validated from untrusted bytes without any
// socket or model (unit-tested and fuzzed directly). Each numeric field is range-checked and a bad one
// is a BadInput error naming it; unknown fields are ignored. Limits that depend on the loaded model (the
// context window against max_position_embeddings) are checked by the server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "engine/tokenizer/chat_template.h"

namespace folio::app::server {

inline constexpr int64_t kMaxOutputTokens = int64_t{1} << 20;
inline constexpr int64_t kMaxContextWindow = int64_t{1} << 24;
inline constexpr int64_t kMaxThinkingBudget = int64_t{1} << 20;
inline constexpr size_t kMaxStopStrings = 16;
inline constexpr size_t kMaxStopBytes = 256;
inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr int kMaxSearchLimit = 100;

enum class RoutingDetail { None, Summary, Tokens };
std::optional<RoutingDetail> parseRoutingDetail(std::string_view name);  // "none", "summary", "tokens"

// Sampling, budgets and stops shared by /v1/minimax-m1/generate and /v1/chat/completions.
struct GenerationParams {
  int64_t max_output_tokens = 256;  // thinking included
  int64_t context_window = 0;       // 0: the model's max_position_embeddings
  int64_t thinking_budget = -1;     // < 0: unlimited
  double expert_threshold = 1.0;    // τ ∈ (0, 1]
  double temperature = 0.0;         // 0: greedy
  double top_p = 1.0;
  int top_k = 0;
  std::optional<uint64_t> seed;     // absent: a fresh random seed per request (sampling differs each time)
  std::vector<std::string> stop;
  std::string prompt_field = "input";  // the request field the prompt came from, named when it is too long
};

// POST /v1/minimax-m1/generate
struct GenerateParams {
  std::string input;  // a user message, wrapped in the chat template with the generation prompt
  bool raw = false;   // true: `input` is tokenized as is (special tokens recognised), no template
  GenerationParams gen;
  RoutingDetail routing = RoutingDetail::Summary;
};
Result<GenerateParams> parseGenerateRequest(std::string_view body);

// POST /v1/chat/completions
struct ChatParams {
  std::vector<engine::ChatMessage> messages;
  std::string model;  // as the client named it (informational: the server has one model)
  bool stream = false;
  bool include_usage_in_stream = false;  // stream_options.include_usage
  GenerationParams gen;
};
Result<ChatParams> parseChatRequest(std::string_view body);

// POST /v1/library/ask
struct AskParams {
  std::string question;
  std::optional<std::string> collection;
  std::vector<int64_t> document_ids;
  int64_t context_window = 0;  // 0: the pipeline's default
  int64_t thinking_budget = 1024;
  int64_t max_tokens = 512;    // answer budget
  double expert_threshold = 1.0;
  std::optional<int> max_documents;  // none: the pipeline's default
  bool each_document = false;  // one passage from each matching document (AskOptions::each_document)
  bool stream = false;  // server-sent events: progress, deltas, token counts, then the answer
};
Result<AskParams> parseAskRequest(std::string_view body);

// POST /v1/library/review: the same questions asked of every document in scope (app/pipeline/review_table.h).
struct ReviewParams {
  std::vector<std::string> questions;  // 1 … kMaxReviewQuestions, each at most kMaxReviewQuestionBytes
  std::optional<std::string> collection;
  std::vector<int64_t> document_ids;
  bool matching_only = false;
  // With a model, each cell's call; absent: ReviewOptions' defaults.
  std::optional<int64_t> context_window, thinking_budget, max_tokens;
  double expert_threshold = 1.0;
  bool stream = false;  // server-sent events: progress, then the table
};
Result<ReviewParams> parseReviewRequest(std::string_view body);

// GET /v1/library/timeline?from=&to=&q=&collection=&documents=&day_first=&limit=
struct TimelineParams {
  std::optional<std::string> from, to;  // YYYY-MM-DD
  std::string words;                    // q: only events holding these words
  std::optional<std::string> collection;
  std::vector<int64_t> document_ids;    // documents: comma-separated ids
  bool day_first = false;               // "true" or "1"
  int64_t limit = 0;                    // 0: every event
};
// Each parameter as the query string gave it (nullopt when absent).
struct TimelineQuery {
  std::optional<std::string> from, to, q, collection, documents, day_first, limit;
};
Result<TimelineParams> parseTimelineParams(const TimelineQuery& query);

// GET /v1/library/search?q=&limit=
struct SearchParams {
  std::string query;
  int limit = 10;
};
// `q` and `limit` as the query string gave them (nullopt when absent).
Result<SearchParams> parseSearchParams(const std::optional<std::string>& q, const std::optional<std::string>& limit);

struct CompareParams {
  int64_t old_id = 0, new_id = 0;
};
// `old` and `new`: library document ids (the API reads no file a request names).
Result<CompareParams> parseCompareParams(const std::optional<std::string>& old_id, const std::optional<std::string>& new_id);

}  // namespace folio::app::server
