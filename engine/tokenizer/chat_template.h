// The MiniMax-M1 chat format, rendered byte for byte as the Jinja template in the release's
// tokenizer_config.json renders it (the template's logic written out in C++, no Jinja engine):
//   <begin_of_document>
//   [<beginning_of_sentence>system ai_setting=assistant\n{all system texts, concatenated}<end_of_sentence>\n]
//   [<beginning_of_sentence>system tool_setting=tools\n...<tools>\n{tool JSON}\n...</tools>...<end_of_sentence>\n]
//   per message in order:
//     user:      <beginning_of_sentence>user name=user\n{text}<end_of_sentence>\n
//     assistant: <beginning_of_sentence>ai name=assistant\n{text}<end_of_sentence>\n
//     tool:      <beginning_of_sentence>tool name=tools\ntool name: {name}\ntool result: {text}\n\n<end_of_sentence>\n
//   [generation prompt: <beginning_of_sentence>ai name=assistant\n]
#pragma once

#include <span>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/common/result.h"

namespace folio::engine {

enum class ChatRole { System, User, Assistant, Tool };

struct ToolResult {
  std::string name;  // the tool that produced it
  std::string content;
};

struct ChatMessage {
  ChatRole role = ChatRole::User;
  std::string content;                   // System, User, Assistant
  std::vector<ToolResult> tool_results;  // Tool: one or more results, rendered in one block

  static ChatMessage system(std::string text) { return {ChatRole::System, std::move(text), {}}; }
  static ChatMessage user(std::string text) { return {ChatRole::User, std::move(text), {}}; }
  static ChatMessage assistant(std::string text) { return {ChatRole::Assistant, std::move(text), {}}; }
  static ChatMessage tool(std::string name, std::string result) {
    return {ChatRole::Tool, {}, {ToolResult{std::move(name), std::move(result)}}};
  }
};

struct ChatOptions {
  // Tool declarations, each serialised as Python's json.dumps would (keys in the given order).
  std::vector<nlohmann::ordered_json> tools;
  bool add_generation_prompt = true;
};

std::string renderChat(std::span<const ChatMessage> messages, const ChatOptions& options = {});

// Messages in the OpenAI / Hugging Face form: [{"role": ..., "content": "text" or [{"type": "text",
// "text": ...}, ...], "name": ...}]. As in the template, a system or user message uses its first content
// part and an assistant message the concatenation of its "text" parts; each content part of a tool
// message is one result named by its "name" (or, for a plain string content, the message's "name").
// Errors name the field ("messages[2].content[0].text: ...").
Result<std::vector<ChatMessage>> chatMessagesFromJson(const nlohmann::ordered_json& messages);

// json.dumps(value, ensure_ascii=False) in Python: ", " and ": " separators, non-ASCII kept as is.
std::string pythonJsonDumps(const nlohmann::ordered_json& value);

}  // namespace folio::engine
