#include "app/pipeline/token_routing.h"

#include <utility>

namespace folio::app {

engine::RoutingAggregate TokenRouting::aggregate(int num_experts, int top_k) const {
  engine::RoutingAggregate r;
  r.reset(static_cast<int>(layers.size()), num_experts);
  for (size_t l = 0; l < layers.size(); ++l)
    r.add(static_cast<int>(l), layers[l].data(), static_cast<int>(layers[l].size()), top_k);
  return r;
}

void TokenRoutingRecorder::add(int32_t id, std::string_view piece, bool thinking) {
  if (id < 0) {
    if (!tokens_.empty()) tokens_.back().piece += piece;
    return;
  }
  TokenRouting t;
  t.position = next_position_++;
  t.id = id;
  t.piece = std::string(piece);
  t.thinking = thinking;
  tokens_.push_back(std::move(t));
}

std::vector<TokenRouting> TokenRoutingRecorder::answerTokens(const engine::RoutingLog& log) const {
  std::vector<TokenRouting> out;
  for (const auto& t : tokens_) {
    if (t.thinking) continue;
    TokenRouting r = t;
    r.layers.resize(static_cast<size_t>(log.numLayers()));
    const int64_t row = t.position - log.firstPosition();
    if (log.firstPosition() >= 0 && row >= 0 && row < log.numTokens())
      for (int l = 0; l < log.numLayers(); ++l) {
        const auto c = log.choices(row, l);
        r.layers[static_cast<size_t>(l)].assign(c.begin(), c.end());
      }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace folio::app
