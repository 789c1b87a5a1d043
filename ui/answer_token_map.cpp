#include "ui/answer_token_map.h"

#include <algorithm>

namespace folio::ui {

namespace {
// How far past the expected offset a piece may start: whitespace the answer text trimmed or merged.
constexpr qsizetype kSlack = 8;
}  // namespace

AnswerTokenMap::AnswerTokenMap(const QString& answer, const std::vector<app::TokenRouting>& tokens) {
  qsizetype at = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const QString piece = QString::fromStdString(tokens[i].piece);
    if (piece.isEmpty()) continue;
    qsizetype found = answer.indexOf(piece, at);
    if (found < 0 || found > at + kSlack) {
      // Text the answer does not show here (a whitespace-only piece trimmed away): try it without the
      // surrounding whitespace, else leave the token unmapped and keep the place.
      const QString core = piece.trimmed();
      if (core.isEmpty()) continue;
      found = answer.indexOf(core, at);
      if (found < 0 || found > at + kSlack + piece.size()) continue;
      spans_.push_back({static_cast<int>(i), found, found + core.size()});
      at = found + core.size();
      continue;
    }
    spans_.push_back({static_cast<int>(i), found, found + piece.size()});
    at = found + piece.size();
  }
}

int AnswerTokenMap::tokenAt(qsizetype offset) const {
  auto it = std::upper_bound(spans_.begin(), spans_.end(), offset,
                             [](qsizetype o, const Span& s) { return o < s.begin; });
  if (it == spans_.begin()) return -1;
  --it;
  return offset < it->end ? it->token : -1;
}

const AnswerTokenMap::Span* AnswerTokenMap::spanOf(int token) const {
  for (const auto& s : spans_)
    if (s.token == token) return &s;
  return nullptr;
}

}  // namespace folio::ui
