// Splits streamed model text into the thought and the answer as it grows (engine/tokenizer/think_split.h),
// returning only what is new in each part. Concatenating every delta of a part gives that part of the
// complete text, as splitThinking(text) computes it, whenever each part only grows. Used by the HTTP
// API's streamed chat and by `folio ask` / the desktop window while an answer streams.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace folio::app {

class ThinkingStreamSplitter {
 public:
  struct Delta {
    std::string thinking, answer;
    bool empty() const { return thinking.empty() && answer.empty(); }
  };
  Delta add(std::string_view piece);
  Delta finish();
  const std::string& text() const { return text_; }

 private:
  Delta emit(bool complete);
  std::string text_;
  std::string thinking_sent_, answer_sent_;
};

// Receives the new text of the thought and of the answer while a model answer is generated (called on
// the generating thread).
using AnswerStreamFn = std::function<void(const ThinkingStreamSplitter::Delta&)>;

}  // namespace folio::app
