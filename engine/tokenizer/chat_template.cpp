#include "engine/tokenizer/chat_template.h"

#include <cstdio>

namespace folio::engine {
namespace {

constexpr std::string_view kToolsIntro =
    "<beginning_of_sentence>system tool_setting=tools\nYou are provided with these tools:\n<tools>\n";
// In the template '{''name'': ...}' is two adjacent Jinja string literals, which concatenate: the
// rendered text has no quotes around name and arguments.
constexpr std::string_view kToolsOutro =
    "</tools>\n\nIf you need to call tools, please respond with <tool_calls></tool_calls> XML tags, and provide "
    "tool-name and json-object of arguments, following the format below:\n<tool_calls>\n{name: <tool-name-1>, "
    "arguments: <args-json-object-1>}\n...\n</tool_calls><end_of_sentence>\n";

void appendPythonString(std::string& out, const std::string& s) {
  out.push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void appendPythonJson(std::string& out, const nlohmann::ordered_json& v) {
  if (v.is_object()) {
    out.push_back('{');
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      appendPythonString(out, it.key());
      out += ": ";
      appendPythonJson(out, it.value());
    }
    out.push_back('}');
  } else if (v.is_array()) {
    out.push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ", ";
      appendPythonJson(out, v[i]);
    }
    out.push_back(']');
  } else if (v.is_string()) {
    appendPythonString(out, v.get_ref<const std::string&>());
  } else {
    out += v.dump();  // numbers, booleans and null print the same way in both
  }
}

const char* roleName(ChatRole role) {
  switch (role) {
    case ChatRole::System: return "system";
    case ChatRole::User: return "user";
    case ChatRole::Assistant: return "assistant";
    case ChatRole::Tool: return "tool";
  }
  return "?";
}

}  // namespace

std::string pythonJsonDumps(const nlohmann::ordered_json& value) {
  std::string out;
  appendPythonJson(out, value);
  return out;
}

std::string renderChat(std::span<const ChatMessage> messages, const ChatOptions& options) {
  std::string out = "<begin_of_document>";
  std::string system_prompt;
  for (const ChatMessage& m : messages) {
    if (m.role == ChatRole::System) system_prompt += m.content;
  }
  if (!system_prompt.empty()) {
    out += "<beginning_of_sentence>system ai_setting=assistant\n";
    out += system_prompt;
    out += "<end_of_sentence>\n";
  }
  if (!options.tools.empty()) {
    out += kToolsIntro;
    for (const auto& tool : options.tools) {
      appendPythonJson(out, tool);
      out += '\n';
    }
    out += kToolsOutro;
  }
  for (const ChatMessage& m : messages) {
    switch (m.role) {
      case ChatRole::System:
        break;  // already folded into the system block
      case ChatRole::User:
        out += "<beginning_of_sentence>user name=user\n";
        out += m.content;
        out += "<end_of_sentence>\n";
        break;
      case ChatRole::Assistant:
        out += "<beginning_of_sentence>ai name=assistant\n";
        out += m.content;
        out += "<end_of_sentence>\n";
        break;
      case ChatRole::Tool:
        out += "<beginning_of_sentence>tool name=tools\n";
        for (const ToolResult& r : m.tool_results) {
          out += "tool name: ";
          out += r.name;
          out += "\ntool result: ";
          out += r.content;
          out += "\n\n";
        }
        out += "<end_of_sentence>\n";
        break;
    }
  }
  if (options.add_generation_prompt) out += "<beginning_of_sentence>ai name=assistant\n";
  return out;
}

namespace {

Result<ChatRole> parseRole(const nlohmann::ordered_json& m, const std::string& where) {
  const auto it = m.find("role");
  if (it == m.end() || !it->is_string()) return badInput(where + ".role: missing or not a string");
  const std::string& role = it->get_ref<const std::string&>();
  for (ChatRole r : {ChatRole::System, ChatRole::User, ChatRole::Assistant, ChatRole::Tool}) {
    if (role == roleName(r)) return r;
  }
  return badInput(where + ".role: \"" + role + "\" is not one of system, user, assistant, tool");
}

Result<std::string> partText(const nlohmann::ordered_json& part, const std::string& where) {
  const auto it = part.find("text");
  if (it == part.end() || !it->is_string()) return badInput(where + ".text: missing or not a string");
  return it->get<std::string>();
}

}  // namespace

Result<std::vector<ChatMessage>> chatMessagesFromJson(const nlohmann::ordered_json& messages) {
  if (!messages.is_array()) return badInput("messages: expected an array");
  std::vector<ChatMessage> out;
  for (size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) return badInput(where + ": expected an object");
    auto role = parseRole(m, where);
    if (!role.ok()) return role.error();
    ChatMessage msg;
    msg.role = *role;
    const auto content = m.find("content");
    if (content == m.end()) return badInput(where + ".content: missing");
    const auto name = m.find("name");
    const std::string message_name = name != m.end() && name->is_string() ? name->get<std::string>() : "";
    if (content->is_string()) {
      if (msg.role == ChatRole::Tool) {
        msg.tool_results.push_back({message_name, content->get<std::string>()});
      } else {
        msg.content = content->get<std::string>();
      }
      out.push_back(std::move(msg));
      continue;
    }
    if (!content->is_array()) return badInput(where + ".content: expected a string or an array of parts");
    for (size_t k = 0; k < content->size(); ++k) {
      const auto& part = (*content)[k];
      const std::string part_where = where + ".content[" + std::to_string(k) + "]";
      if (!part.is_object()) return badInput(part_where + ": expected an object");
      const bool is_text = part.value("type", std::string()) == "text";
      // The template reads only the first part of system and user messages.
      if ((msg.role == ChatRole::System || msg.role == ChatRole::User) && k > 0) break;
      if (msg.role == ChatRole::Assistant && !is_text) continue;
      auto text = partText(part, part_where);
      if (!text.ok()) return text.error();
      if (msg.role == ChatRole::Tool) {
        const auto part_name = part.find("name");
        if (part_name != part.end() && !part_name->is_string()) return badInput(part_where + ".name: not a string");
        msg.tool_results.push_back({part_name != part.end() ? part_name->get<std::string>() : message_name, *text});
      } else {
        msg.content += *text;
      }
    }
    if ((msg.role == ChatRole::System || msg.role == ChatRole::User) && content->empty()) {
      return badInput(where + ".content: empty");
    }
    out.push_back(std::move(msg));
  }
  return out;
}

}  // namespace folio::engine
