// Which characters of the displayed answer came from which generated token: each token's decoded piece
// is matched, in order, against the answer text (which may lack leading or trailing whitespace the
// model generated), so a click at a text offset finds the token that wrote it.
#pragma once

#include <QString>
#include <vector>

#include "app/pipeline/token_routing.h"

namespace folio::ui {

class AnswerTokenMap {
 public:
  struct Span {
    int token = -1;  // index into the answer tokens
    qsizetype begin = 0, end = 0;  // [begin, end) in the answer's QString (UTF-16 units)
  };

  AnswerTokenMap() = default;
  AnswerTokenMap(const QString& answer, const std::vector<app::TokenRouting>& tokens);

  // The token whose text covers `offset` (-1: none, e.g. whitespace the model did not write as shown).
  int tokenAt(qsizetype offset) const;
  // The span of token `token` (nullptr when it has no text in the answer).
  const Span* spanOf(int token) const;
  const std::vector<Span>& spans() const { return spans_; }
  bool empty() const { return spans_.empty(); }

 private:
  std::vector<Span> spans_;  // ascending, non-overlapping
};

}  // namespace folio::ui
