#include "app/pipeline/thinking_stream.h"

#include "engine/tokenizer/think_split.h"

namespace folio::app {
namespace {

// The new tail of `now` past `sent` when `now` extends it; "" otherwise (nothing can be taken back).
std::string grow(std::string& sent, const std::string& now) {
  if (now.size() <= sent.size() || now.compare(0, sent.size(), sent) != 0) return {};
  std::string delta = now.substr(sent.size());
  sent = now;
  return delta;
}

}  // namespace

ThinkingStreamSplitter::Delta ThinkingStreamSplitter::add(std::string_view piece) {
  text_.append(piece);
  return emit(false);
}

ThinkingStreamSplitter::Delta ThinkingStreamSplitter::finish() { return emit(true); }

ThinkingStreamSplitter::Delta ThinkingStreamSplitter::emit(bool complete) {
  const engine::ThinkingSplit split = engine::splitThinking(text_, complete);
  Delta d;
  d.thinking = grow(thinking_sent_, split.thinking);
  d.answer = grow(answer_sent_, split.answer);
  return d;
}

}  // namespace folio::app
