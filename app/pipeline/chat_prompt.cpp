#include "app/pipeline/chat_prompt.h"

#include "engine/tokenizer/chat_template.h"

namespace folio::app {
namespace {

// Renders the chat with a marker as the user text and returns what comes before and after it, so the
// template stays the single source of the markup.
std::pair<std::string, std::string> userFrame(const std::string& system) {
  static constexpr std::string_view kMarker = "\x01user-text\x01";
  std::vector<engine::ChatMessage> msgs{engine::ChatMessage::system(system),
                                        engine::ChatMessage::user(std::string(kMarker))};
  const std::string full = engine::renderChat(msgs);
  const size_t at = full.find(kMarker);
  FOLIO_CHECK(at != std::string::npos);
  return {full.substr(0, at), full.substr(at + kMarker.size())};
}

void append(std::vector<int32_t>& dst, const std::vector<engine::TokenId>& src) { dst.insert(dst.end(), src.begin(), src.end()); }

}  // namespace

std::string renderChatPrompt(const ChatPromptText& p) {
  std::vector<engine::ChatMessage> msgs{engine::ChatMessage::system(p.system),
                                        engine::ChatMessage::user(p.context + p.question)};
  return engine::renderChat(msgs);
}

PromptTokens tokenizeChatPrompt(const engine::Tokenizer& tok, const ChatPromptText& p) {
  const auto [head, tail] = userFrame(p.system);
  // The system text is ours (no user bytes), so the head is parsed as markup as a whole.
  PromptTokens out;
  auto& first = p.context.empty() ? out.suffix : out.prefix;
  append(first, tok.encode(head, engine::SpecialTokens::Parse));
  append(first, tok.encode(p.context, engine::SpecialTokens::AsText));
  append(out.suffix, tok.encode(p.question, engine::SpecialTokens::AsText));
  append(out.suffix, tok.encode(tail, engine::SpecialTokens::Parse));
  return out;
}

}  // namespace folio::app
