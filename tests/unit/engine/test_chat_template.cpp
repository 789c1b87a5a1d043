// The chat format against renderings of the release's Jinja template by jinja2
// (tests/fixtures/chat/cases.json, made by tools/reference/make_fixtures.py), byte for byte.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/common/file_io.h"
#include "engine/tokenizer/chat_template.h"

namespace folio::engine {
namespace {

using nlohmann::ordered_json;

ordered_json chatCases() {
  auto text = readFile(std::filesystem::path(FOLIO_FIXTURES_DIR) / "chat" / "cases.json");
  EXPECT_TRUE(text.ok());
  return ordered_json::parse(text.ok() ? *text : std::string("{}"));
}

TEST(ChatTemplate, MatchesJinjaRenderingByteForByte) {
  const ordered_json fixture = chatCases();
  ASSERT_GE(fixture["cases"].size(), 5u);
  for (const auto& c : fixture["cases"]) {
    auto messages = chatMessagesFromJson(c["messages"]);
    ASSERT_TRUE(messages.ok()) << c["name"] << ": " << messages.error().message;
    ChatOptions options;
    options.add_generation_prompt = c["add_generation_prompt"].get<bool>();
    if (c.contains("tools") && c["tools"].is_array()) {
      for (const auto& tool : c["tools"]) options.tools.push_back(tool);
    }
    EXPECT_EQ(renderChat(*messages, options), c["expected"].get<std::string>()) << "case " << c["name"];
  }
}

TEST(ChatTemplate, MessagesBuiltInCode) {
  const std::vector<ChatMessage> messages = {
      ChatMessage::system("Be brief."), ChatMessage::user("Hi"), ChatMessage::assistant("Hello."),
      ChatMessage::tool("search", "3 hits"), ChatMessage::system(" Cite pages.")};
  EXPECT_EQ(renderChat(messages),
            "<begin_of_document><beginning_of_sentence>system ai_setting=assistant\nBe brief. Cite pages."
            "<end_of_sentence>\n<beginning_of_sentence>user name=user\nHi<end_of_sentence>\n"
            "<beginning_of_sentence>ai name=assistant\nHello.<end_of_sentence>\n"
            "<beginning_of_sentence>tool name=tools\ntool name: search\ntool result: 3 hits\n\n<end_of_sentence>\n"
            "<beginning_of_sentence>ai name=assistant\n");
  // No system text: no system block; no generation prompt when not asked for.
  const std::vector<ChatMessage> only_user = {ChatMessage::user("x")};
  EXPECT_EQ(renderChat(only_user, ChatOptions{{}, false}),
            "<begin_of_document><beginning_of_sentence>user name=user\nx<end_of_sentence>\n");
}

TEST(ChatTemplate, SeveralToolResultsInOneMessage) {
  const ordered_json messages = ordered_json::parse(R"([
    {"role": "tool", "content": [{"type": "text", "name": "a", "text": "1"}, {"type": "text", "name": "b", "text": "2"}]},
    {"role": "tool", "name": "c", "content": "3"}])");
  auto parsed = chatMessagesFromJson(messages);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(renderChat(*parsed, ChatOptions{{}, false}),
            "<begin_of_document><beginning_of_sentence>tool name=tools\ntool name: a\ntool result: 1\n\n"
            "tool name: b\ntool result: 2\n\n<end_of_sentence>\n<beginning_of_sentence>tool name=tools\n"
            "tool name: c\ntool result: 3\n\n<end_of_sentence>\n");
}

TEST(ChatTemplate, AssistantUsesOnlyTextParts) {
  const ordered_json messages = ordered_json::parse(R"([
    {"role": "assistant", "content": [{"type": "text", "text": "A"}, {"type": "image", "text": "no"},
                                      {"type": "text", "text": "B"}]}])");
  auto parsed = chatMessagesFromJson(messages);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0].content, "AB");
}

TEST(ChatTemplate, PythonJsonDumps) {
  const ordered_json v = ordered_json::parse(R"({"z": 1, "a": [true, null, 2.5, "é\n\"\\\u0001"], "e": {}, "l": []})");
  EXPECT_EQ(pythonJsonDumps(v), "{\"z\": 1, \"a\": [true, null, 2.5, \"é\\n\\\"\\\\\\u0001\"], \"e\": {}, \"l\": []}");
}

TEST(ChatTemplate, MalformedMessagesAreErrorsNamingTheField) {
  const auto error = [](const char* json_text) {
    auto r = chatMessagesFromJson(ordered_json::parse(json_text));
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(error(R"({"role": "user"})"), "messages: expected an array");
  EXPECT_EQ(error(R"([{"role": "robot", "content": "x"}])"),
            "messages[0].role: \"robot\" is not one of system, user, assistant, tool");
  EXPECT_EQ(error(R"([{"role": "user"}])"), "messages[0].content: missing");
  EXPECT_EQ(error(R"([{"role": "user", "content": [{"type": "text"}]}])"),
            "messages[0].content[0].text: missing or not a string");
  EXPECT_EQ(error(R"([{"role": "user", "content": 5}])"), "messages[0].content: expected a string or an array of parts");
  EXPECT_EQ(error(R"([{"role": "user", "content": []}])"), "messages[0].content: empty");
}

}  // namespace
}  // namespace folio::engine
