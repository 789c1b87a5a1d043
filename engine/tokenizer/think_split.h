// Splitting generated text into its thought and its answer: MiniMax-M1 reasons inside
// <think> … </think> before it answers. Works on complete text and on the text so far while streaming.
#pragma once

#include <string>
#include <string_view>

namespace folio::engine {

struct ThinkingSplit {
  std::string thinking;         // the text inside the thought, without surrounding whitespace
  std::string answer;           // the rest: text before <think> (if any), then the text after </think>
  bool has_thinking = false;    // a <think> or </think> tag was seen
  bool thinking_open = false;   // <think> was seen but not </think> (still thinking, or cut off)
};

// Only the first thought counts; tags after it stay in the answer. A "</think>" without "<think>" closes
// a thought that the prompt opened: everything before it is thinking. With `complete` false (the text so
// far of a stream), a tag that is only partly there at the end ("<thi") is held back from both parts.
ThinkingSplit splitThinking(std::string_view text, bool complete = true);

}  // namespace folio::engine
