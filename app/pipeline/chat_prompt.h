// Prompts in the MiniMax-M1 chat format (engine/tokenizer/chat_template.h), tokenized in parts so that
// template markup is parsed as special tokens while document and question text never is, and so that
// the part before the question (system + documents) is a stable token prefix a snapshot can stand for.
#pragma once

#include <string>
#include <vector>

#include "app/pipeline/model_runtime.h"
#include "engine/tokenizer/tokenizer.h"

namespace folio::app {

struct ChatPromptText {
  std::string system;    // the instruction
  std::string context;   // user text before the question (documents, evidence); part of the prefix
  std::string question;  // user text after the context
};

// The text renderChat() gives for [system, user(context + question)] with the generation prompt.
std::string renderChatPrompt(const ChatPromptText& p);

// Tokens of the same text: prefix = template head + system + user head + context; suffix = question +
// user end + generation prompt. With an empty context everything is suffix.
PromptTokens tokenizeChatPrompt(const engine::Tokenizer& tok, const ChatPromptText& p);

}  // namespace folio::app
