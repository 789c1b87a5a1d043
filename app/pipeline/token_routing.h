// The expert routing of each generated token of an answer, kept so the desktop window can show one
// token's per-layer experts beside the answer (the aggregate heatmap's "token N" mode). Memory is
// generated tokens × layers × top_k small records: bounded by the answer budget.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/generation/routing_log.h"
#include "engine/model/routing.h"

namespace folio::app {

struct TokenRouting {
  int64_t position = 0;   // absolute position in the session
  int32_t id = -1;        // token id
  std::string piece;      // the text this token added (may be empty: special or partial UTF-8)
  bool thinking = false;  // part of the thought, not of the answer
  // [layer] → the experts kept for this token at that MoE layer (empty when the layer did not report,
  // e.g. for the last token, which is never fed back through the model).
  std::vector<std::vector<engine::ExpertChoice>> layers;

  // This token alone as an aggregate: count 1 and the routing weight in each chosen (layer, expert).
  engine::RoutingAggregate aggregate(int num_experts, int top_k) const;
};

// Collects the generated tokens as the generator reports them (on_token) and, once generation ended,
// attaches each one's routing from the session's RoutingLog.
class TokenRoutingRecorder {
 public:
  explicit TokenRoutingRecorder(int64_t first_position) : next_position_(first_position) {}
  // One on_token report; id < 0 (the generator's end-of-stream flush) adds text to the last token.
  void add(int32_t id, std::string_view piece, bool thinking);
  // The answer's tokens (thought left out) with their routing from `log`.
  std::vector<TokenRouting> answerTokens(const engine::RoutingLog& log) const;

 private:
  int64_t next_position_;
  std::vector<TokenRouting> tokens_;
};

}  // namespace folio::app
