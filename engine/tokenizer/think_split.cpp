#include "engine/tokenizer/think_split.h"

#include <algorithm>

namespace folio::engine {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";
constexpr std::string_view kSpaces = " \t\r\n";

std::string_view trimLeft(std::string_view s) {
  const size_t p = s.find_first_not_of(kSpaces);
  return p == std::string_view::npos ? std::string_view() : s.substr(p);
}

std::string_view trim(std::string_view s) {
  s = trimLeft(s);
  const size_t p = s.find_last_not_of(kSpaces);
  return p == std::string_view::npos ? std::string_view() : s.substr(0, p + 1);
}

// Drops a proper prefix of `tag` from the end of s ("<thi" of "<think>").
std::string_view withoutPartialTag(std::string_view s, std::string_view tag) {
  for (size_t n = std::min(s.size(), tag.size() - 1); n > 0; --n) {
    if (s.substr(s.size() - n) == tag.substr(0, n)) return s.substr(0, s.size() - n);
  }
  return s;
}

}  // namespace

ThinkingSplit splitThinking(std::string_view text, bool complete) {
  ThinkingSplit out;
  const size_t open = text.find(kOpen);
  const size_t close = text.find(kClose, open == std::string_view::npos ? 0 : open + kOpen.size());
  // A close tag before the open tag closes a thought the prompt opened.
  const bool prompt_opened = close != std::string_view::npos && (open == std::string_view::npos || close < open);
  if (open == std::string_view::npos && close == std::string_view::npos) {
    std::string_view answer = text;
    if (!complete) answer = withoutPartialTag(withoutPartialTag(answer, kOpen), kClose);
    out.answer = std::string(answer);
    return out;
  }
  out.has_thinking = true;
  if (prompt_opened) {
    out.thinking = std::string(trim(text.substr(0, close)));
    out.answer = std::string(trimLeft(text.substr(close + kClose.size())));
    return out;
  }
  const std::string_view before = trim(text.substr(0, open));
  const std::string_view inside_and_after = text.substr(open + kOpen.size());
  std::string_view after;
  if (close == std::string_view::npos) {
    out.thinking_open = true;
    std::string_view inside = inside_and_after;
    if (!complete) inside = withoutPartialTag(inside, kClose);
    out.thinking = std::string(trim(inside));
  } else {
    const size_t inside_size = close - (open + kOpen.size());
    out.thinking = std::string(trim(inside_and_after.substr(0, inside_size)));
    after = trimLeft(inside_and_after.substr(inside_size + kClose.size()));
  }
  out.answer = std::string(before);
  if (!before.empty() && !after.empty()) out.answer += "\n\n";
  out.answer += after;
  return out;
}

}  // namespace folio::engine
