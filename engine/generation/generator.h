// The generation loop on top of a Session: prefill the prompt, then sample, stream and decode token by
// token under the budgets, stop conditions and thinking control of a GenerateRequest.
//
// Rules (each enforced before or between tokens):
// - context_window: prompt + output may not exceed it. When the tokens already in the session plus the
//   prompt exceed it, generate() returns a BadInput error before any work; when the output reaches it,
//   generation ends with finish_reason "context".
// - max_output_tokens bounds every token generated: thinking tokens, answer tokens and the tokens of a
//   forced "</think>\n" all count toward it (the published M1 output budgets include the thought).
//   0 runs the prompt only. Reaching it ends generation with "length" (checked before "context").
// - thinking_budget (< 0: unlimited): while the model is inside `<think>` (the prompt ended inside an
//   open thought, or the model opened one) and has produced thinking_budget tokens of thought (the
//   tokens between the tags; the tags themselves are not counted against the budget), the engine feeds
//   the tokens of "</think>\n" through decode instead of sampling, then the model continues with the
//   answer. Usage counts every token that belongs to the thought (tags included) as a thinking token.
// - End of sentence: sampling the tokenizer's "<end_of_sentence>" ends generation with "eos"; that token
//   is neither part of `ids` nor fed to the session.
// - Stop strings end generation with "stop"; the stop string and anything after it are not in `text`.
//   They may span token boundaries: text that could still begin a stop string is held back from the
//   stream until it cannot.
// - Cancellation is checked between prefill chunks and between tokens ("cancelled").
// Every token in `ids` has been fed through the session, so after generate() the session holds exactly
// prompt + ids (a saved state continues from there).
//
// Dimension letters: T prompt tokens, V vocabulary size.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "engine/generation/sampler.h"

namespace folio::engine {

class Session;
class Tokenizer;
class RoutingLog;

struct GenerateRequest {
  std::vector<int32_t> prompt_ids;  // [T], T >= 1
  int64_t max_output_tokens = 256;  // >= 0
  int64_t context_window = 0;       // total tokens in the session; 0: no limit beyond the session's capacity
  int64_t thinking_budget = -1;     // tokens of thought before "</think>" is forced; < 0: unlimited
  // answer tokens (outside the thought) after which generation stops with finish_reason length, so a
  // model that does not think cannot spend the thinking budget on its answer; < 0: unlimited
  int64_t answer_budget = -1;
  SamplingParams sampling;          // temperature 0 = greedy
  uint64_t seed = 0;
  std::vector<std::string> stop;    // user stop strings (non-empty)
  double expert_threshold = 1.0;    // τ ∈ (0, 1]; set on the session for this generation
  const std::atomic<bool>* cancel = nullptr;
  // Called once per generated token with the text that became final with it (possibly empty: an
  // unfinished UTF-8 character or a possible stop-string start is held back), and whether the token
  // belongs to the thought. A last call with id -1 carries the held-back text when the stream ends.
  std::function<void(int32_t id, std::string_view piece, bool is_thinking)> on_token;
  std::vector<float>* prompt_logits = nullptr;  // when set: receives [T, V] logits of every prompt position
  RoutingLog* routing_log = nullptr;            // when set: records the prompt and generated tokens
};

enum class FinishReason { Eos, Stop, Length, Context, Cancelled };
const char* finishReasonName(FinishReason r);  // "eos", "stop", "length", "context", "cancelled"

struct GenerationUsage {
  int64_t prompt_tokens = 0;
  int64_t thinking_tokens = 0;  // generated tokens that belong to the thought (tags included)
  int64_t answer_tokens = 0;    // the other generated tokens
  double prefill_ms = 0;
  double decode_ms = 0;         // sampling + decode of every generated token
  double decode_tokens_per_s = 0;
  int64_t experts_evaluated = 0;  // this generation only (prompt and output)
  int64_t experts_skipped = 0;    // evaluations saved by expert_threshold < 1
};

struct GenerateResult {
  std::vector<int32_t> ids;  // generated tokens (including any forced "</think>\n"), all fed to the session
  std::string text;          // their decoded text, cut before a stop string
  std::string thinking;      // the first thought in `text` (also one the prompt opened), tags and
                             // surrounding whitespace removed (engine/tokenizer/think_split.h)
  std::string answer;        // the rest of `text`
  FinishReason finish_reason = FinishReason::Length;
  GenerationUsage usage;
};

// Runs `request` on `session` (which may already hold tokens, e.g. after loadState). Errors: BadInput for
// an invalid request (field named) or a prompt past the context window, before any work; the session's
// errors otherwise. Cancellation is a result with finish_reason Cancelled, not an error.
Result<GenerateResult> generate(Session& session, const Tokenizer& tokenizer, const GenerateRequest& request);

}  // namespace folio::engine
