// Whether generation is inside a `<think>` … `</think>` thought, from token ids (when the tokenizer has
// the tags as special tokens) and from decoded text (tags spelled out over any token boundaries).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace folio::engine {

inline constexpr std::string_view kThinkOpen = "<think>";
inline constexpr std::string_view kThinkClose = "</think>";

class ThinkTracker {
 public:
  // `open_id` / `close_id`: the special ids of the tags, or -1 when the tokenizer has none.
  ThinkTracker(int32_t open_id, int32_t close_id) : open_id_(open_id), close_id_(close_id) {}

  // Starts from the state at the end of `text` (e.g. the decoded prompt): inside when its last tag opens.
  void resetFromText(std::string_view text);
  void setInside(bool inside) { inside_ = inside; tail_.clear(); }

  // Observes one token and its decoded text; returns whether the token belongs to the thought (it was
  // inside before it, or it opened one).
  bool observe(int32_t id, std::string_view piece);

  bool inside() const { return inside_; }

 private:
  int32_t open_id_, close_id_;
  bool inside_ = false;
  std::string tail_;  // the last few characters seen, so a tag split across pieces is still found
};

}  // namespace folio::engine
