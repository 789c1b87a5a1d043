#include "engine/generation/think_tracker.h"

namespace folio::engine {
namespace {
// The state after `text`, given the state before it: the last tag in the text decides.
bool stateAfter(std::string_view text, bool before) {
  const size_t open = text.rfind(kThinkOpen), close = text.rfind(kThinkClose);
  if (open == std::string_view::npos && close == std::string_view::npos) return before;
  if (open == std::string_view::npos) return false;
  if (close == std::string_view::npos) return true;
  return open > close;
}
}  // namespace

void ThinkTracker::resetFromText(std::string_view text) {
  inside_ = stateAfter(text, false);
  tail_.clear();
}

bool ThinkTracker::observe(int32_t id, std::string_view piece) {
  const bool before = inside_;
  if (id >= 0 && id == open_id_) {
    inside_ = true;
    tail_.clear();
  } else if (id >= 0 && id == close_id_) {
    inside_ = false;
    tail_.clear();
  } else {
    // Search the tail of earlier text plus this piece, so a tag spelled across pieces is found once.
    std::string window = tail_;
    window.append(piece);
    inside_ = stateAfter(window, inside_);
    const size_t keep = kThinkClose.size() - 1;
    tail_ = window.size() > keep ? window.substr(window.size() - keep) : window;
  }
  return before || inside_;
}

}  // namespace folio::engine
