#include "engine/generation/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "engine/generation/routing_log.h"
#include "engine/generation/stop_matcher.h"
#include "engine/generation/think_tracker.h"
#include "engine/model/session.h"
#include "engine/tokenizer/incremental_decoder.h"
#include "engine/tokenizer/think_split.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::engine {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Status validate(const GenerateRequest& r) {
  if (r.prompt_ids.empty()) return badInput("prompt_ids: the prompt is empty (at least one token is needed)");
  if (r.max_output_tokens < 0)
    return badInput("max_output_tokens: must be >= 0, got " + std::to_string(r.max_output_tokens));
  if (r.context_window < 0) return badInput("context_window: must be >= 0, got " + std::to_string(r.context_window));
  if (!(r.expert_threshold > 0 && r.expert_threshold <= 1))
    return badInput("expert_threshold: must be in (0, 1], got " + std::to_string(r.expert_threshold));
  return validateSamplingParams(r.sampling);
}

int32_t idOrNone(const Tokenizer& tok, std::string_view special) {
  const auto id = tok.specialTokenId(special);
  return id ? *id : -1;
}

// Installs the routing log as the session's sink for the duration of a generation.
class SinkGuard {
 public:
  SinkGuard(Session& s, RoutingLog* log) : s_(s), active_(log != nullptr) {
    if (active_) s_.setRoutingSink(log);
  }
  ~SinkGuard() {
    if (active_) s_.setRoutingSink(nullptr);
  }
  SinkGuard(const SinkGuard&) = delete;
  SinkGuard& operator=(const SinkGuard&) = delete;

 private:
  Session& s_;
  bool active_;
};

}  // namespace

const char* finishReasonName(FinishReason r) {
  switch (r) {
    case FinishReason::Eos: return "eos";
    case FinishReason::Stop: return "stop";
    case FinishReason::Length: return "length";
    case FinishReason::Context: return "context";
    case FinishReason::Cancelled: return "cancelled";
  }
  return "unknown";
}

Result<GenerateResult> generate(Session& session, const Tokenizer& tokenizer, const GenerateRequest& request) {
  FOLIO_TRY(validate(request));
  auto stops = StopMatcher::create(request.stop);
  if (!stops.ok()) return stops.error();

  const int64_t start = session.position();
  const int64_t prompt_len = static_cast<int64_t>(request.prompt_ids.size());
  const int64_t window = request.context_window > 0 ? request.context_window : std::numeric_limits<int64_t>::max();
  if (start + prompt_len > window) {
    return badInput("prompt: " + std::to_string(prompt_len) + " tokens" +
                    (start > 0 ? " after the " + std::to_string(start) + " already in the session" : std::string()) +
                    " exceed context_window " + std::to_string(request.context_window));
  }

  const int32_t eos_id = idOrNone(tokenizer, "<end_of_sentence>");
  ThinkTracker think(idOrNone(tokenizer, kThinkOpen), idOrNone(tokenizer, kThinkClose));
  {
    // Inside a thought when the last tag of everything before the output opens one.
    std::string before = tokenizer.decode(session.tokens());
    before += tokenizer.decode(request.prompt_ids);
    think.resetFromText(before);
  }
  const bool prompt_inside_think = think.inside();
  const std::vector<int32_t> close_ids = tokenizer.encode("</think>\n", SpecialTokens::Parse);

  GenerateResult out;
  out.usage.prompt_tokens = prompt_len;
  const RoutingAggregate& agg = session.routingAggregate();
  const int64_t evaluated0 = agg.experts_evaluated, skipped0 = agg.experts_skipped;
  SinkGuard sink(session, request.routing_log);
  if (request.routing_log) request.routing_log->noteTokens(start, request.prompt_ids);
  session.setExpertThreshold(request.expert_threshold);

  const auto t_prefill = Clock::now();
  Status st = session.prefill(request.prompt_ids, request.prompt_logits, request.cancel);
  out.usage.prefill_ms = msSince(t_prefill);
  const auto finishUsage = [&] {
    out.usage.experts_evaluated = agg.experts_evaluated - evaluated0;
    out.usage.experts_skipped = agg.experts_skipped - skipped0;
  };
  if (!st.ok()) {
    if (st.error().kind != ErrorKind::Cancelled) return st.error();
    out.finish_reason = FinishReason::Cancelled;
    finishUsage();
    return out;
  }

  const std::span<const float> first_logits = session.lastLogits();
  Sampler sampler(static_cast<int>(first_logits.size()), request.sampling, request.seed);
  IncrementalDecoder decoder(tokenizer);
  size_t forced_next = close_ids.size();  // index into close_ids while "</think>\n" is being forced
  int64_t thought_tokens = 0;             // tokens between the tags, against thinking_budget
  bool finished = false;
  const auto emit = [&](int32_t id, const std::string& piece, bool is_thinking) {
    out.text += piece;
    if (request.on_token) request.on_token(id, piece, is_thinking);
  };

  const auto t_decode = Clock::now();
  out.ids.reserve(static_cast<size_t>(
      std::min<int64_t>({request.max_output_tokens, window - start - prompt_len, int64_t{1} << 16})));
  while (!finished) {
    if (request.cancel && request.cancel->load(std::memory_order_relaxed)) {
      out.finish_reason = FinishReason::Cancelled;
      break;
    }
    if (static_cast<int64_t>(out.ids.size()) >= request.max_output_tokens ||
        (request.answer_budget >= 0 && out.usage.answer_tokens >= request.answer_budget)) {
      out.finish_reason = FinishReason::Length;
      break;
    }
    if (session.position() >= window) {
      out.finish_reason = FinishReason::Context;
      break;
    }
    int32_t id;
    if (forced_next < close_ids.size()) {
      id = close_ids[forced_next++];
    } else if (think.inside() && request.thinking_budget >= 0 && thought_tokens >= request.thinking_budget) {
      forced_next = 0;
      id = close_ids[forced_next++];
    } else {
      auto next = session.sampleNext(sampler);
      if (!next.ok()) return next.error();
      id = next.value();
      if (id == eos_id) {
        out.finish_reason = FinishReason::Eos;
        break;
      }
    }

    out.ids.push_back(id);
    if (request.routing_log) request.routing_log->noteTokens(session.position(), std::span(&id, 1));
    FOLIO_TRY(session.decode(id));

    const std::string piece = decoder.push(id);
    const bool was_inside = think.inside();
    const bool is_thinking = think.observe(id, piece);
    if (was_inside && think.inside()) ++thought_tokens;
    ++(is_thinking ? out.usage.thinking_tokens : out.usage.answer_tokens);

    auto step = stops->push(piece);
    emit(id, step.emit, is_thinking);
    if (step.stopped) {
      out.finish_reason = FinishReason::Stop;
      finished = true;
    }
  }
  out.usage.decode_ms = msSince(t_decode);

  if (out.finish_reason != FinishReason::Stop) {
    // The end of the stream: an unfinished character is repaired, held-back text can no longer stop.
    auto step = stops->push(decoder.finish());
    std::string tail = step.emit;
    if (step.stopped) {
      out.finish_reason = FinishReason::Stop;
    } else {
      tail += stops->flush();
    }
    if (!tail.empty()) emit(-1, tail, think.inside());
  }

  // A thought the prompt opened is part of the output's thought.
  ThinkingSplit split = splitThinking(prompt_inside_think ? std::string(kThinkOpen) + out.text : out.text);
  out.thinking = std::move(split.thinking);
  out.answer = std::move(split.answer);
  if (out.usage.decode_ms > 0)
    out.usage.decode_tokens_per_s = static_cast<double>(out.ids.size()) * 1000.0 / out.usage.decode_ms;
  finishUsage();
  return out;
}

}  // namespace folio::engine
