#include "engine/tokenizer/added_tokens.h"

#include <algorithm>

namespace folio::engine {

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedToken>& tokens) {
  for (const AddedToken& t : tokens) {
    if (t.content.empty()) continue;
    tokens_.push_back(t);
    max_all_ = std::max(max_all_, t.content.size());
    if (!t.special) max_plain_ = std::max(max_plain_, t.content.size());
  }
  for (uint32_t i = 0; i < tokens_.size(); ++i) {
    by_first_byte_[static_cast<uint8_t>(tokens_[i].content[0])].push_back(i);
  }
  for (auto& list : by_first_byte_) {
    std::stable_sort(list.begin(), list.end(),
                     [&](uint32_t a, uint32_t b) { return tokens_[a].content.size() > tokens_[b].content.size(); });
  }
}

std::optional<AddedTokenMatcher::Hit> AddedTokenMatcher::find(std::string_view text, size_t from, size_t start_limit,
                                                              bool include_special) const {
  if (maxLength(include_special) == 0) return std::nullopt;
  start_limit = std::min(start_limit, text.size());
  for (size_t p = from; p < start_limit; ++p) {
    const auto& candidates = by_first_byte_[static_cast<uint8_t>(text[p])];
    for (const uint32_t i : candidates) {
      const AddedToken& t = tokens_[i];
      if (!include_special && t.special) continue;
      if (text.compare(p, t.content.size(), t.content) == 0) return Hit{p, t.content.size(), t.id};
    }
  }
  return std::nullopt;
}

}  // namespace folio::engine
