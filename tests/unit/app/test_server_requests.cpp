// The HTTP API's request parsing and guards as pure functions, without sockets: body limits, JSON depth,
// per-field range and type checks (the message names the field), unknown fields ignored, Host and
// bearer checks, admission, the streamed thinking splitter.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/server/admission.h"
#include "app/server/api_requests.h"
#include "app/server/api_responses.h"
#include "app/server/fields.h"
#include "app/server/http_guard.h"
#include "app/server/json_body.h"
#include "engine/tokenizer/think_split.h"

namespace folio::app::server {
namespace {

std::string fieldOf(const Error& e) { return fieldOfMessage(e.message); }

TEST(ServerJson, DepthPrescanCountsOutsideStrings) {
  EXPECT_EQ(jsonNestingDepth("{}", 10), 1);
  EXPECT_EQ(jsonNestingDepth(R"({"a": [[{"b": 1}]]})", 10), 4);
  EXPECT_EQ(jsonNestingDepth(R"({"a": "[[[[[[[[\"[[["})", 10), 1);
  EXPECT_EQ(jsonNestingDepth(std::string(100000, '['), 32), 33);  // stops early
}

TEST(ServerJson, RejectsDeepEmptyNonObjectAndInvalid) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  auto r = parseJsonObject(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nested deeper than 32"), std::string::npos) << r.error().message;
  EXPECT_FALSE(parseJsonObject("").ok());
  EXPECT_NE(parseJsonObject("[1]").error().message.find("expected a JSON object"), std::string::npos);
  auto bad = parseJsonObject("{\"a\": tru}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("at byte"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parseJsonObject("{\"a\": \"\xff\"}").ok());  // invalid UTF-8 in a string
  std::string nested = "{\"x\":" + std::string(31, '[') + std::string(31, ']') + "}";
  EXPECT_TRUE(parseJsonObject(nested).ok());  // 32 levels is the limit, allowed
}

TEST(ServerRequests, GenerateDefaultsAndFields) {
  auto r = parseGenerateRequest(R"({"input": "hi", "unknown_field": {"x": 1}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->input, "hi");
  EXPECT_EQ(r->gen.max_output_tokens, 256);
  EXPECT_EQ(r->gen.context_window, 0);
  EXPECT_EQ(r->gen.thinking_budget, -1);
  EXPECT_EQ(r->routing, RoutingDetail::Summary);
  auto full = parseGenerateRequest(
      R"({"input": "x", "max_output_tokens": 7, "context_window": 100, "expert_threshold": 0.5, "thinking_budget": 3,
          "temperature": 0.7, "top_p": 0.9, "seed": 18446744073709551615, "routing_log": "tokens", "stop": ["a", "b"],
          "raw": true})");
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->gen.max_output_tokens, 7);
  EXPECT_EQ(full->gen.context_window, 100);
  EXPECT_DOUBLE_EQ(full->gen.expert_threshold, 0.5);
  EXPECT_EQ(full->gen.thinking_budget, 3);
  EXPECT_DOUBLE_EQ(full->gen.temperature, 0.7);
  EXPECT_DOUBLE_EQ(full->gen.top_p, 0.9);
  EXPECT_EQ(full->gen.seed, UINT64_MAX);
  EXPECT_EQ(full->routing, RoutingDetail::Tokens);
  EXPECT_EQ(full->gen.stop, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(full->raw);
}

TEST(ServerRequests, GenerateOutOfRangeNamesTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"input": "x", "max_output_tokens": -1})", "max_output_tokens"},
      {R"({"input": "x", "max_output_tokens": 1e12})", "max_output_tokens"},
      {R"({"input": "x", "max_output_tokens": 2.5})", "max_output_tokens"},
      {R"({"input": "x", "max_output_tokens": "10"})", "max_output_tokens"},
      {R"({"input": "x", "context_window": 0})", "context_window"},
      {R"({"input": "x", "expert_threshold": 0})", "expert_threshold"},
      {R"({"input": "x", "expert_threshold": 1.5})", "expert_threshold"},
      {R"({"input": "x", "thinking_budget": -2})", "thinking_budget"},
      {R"({"input": "x", "temperature": -0.1})", "temperature"},
      {R"({"input": "x", "top_p": 0})", "top_p"},
      {R"({"input": "x", "top_p": 1.01})", "top_p"},
      {R"({"input": "x", "seed": -1})", "seed"},
      {R"({"input": "x", "seed": 1.5})", "seed"},
      {R"({"input": "x", "routing_log": "all"})", "routing_log"},
      {R"({"input": "x", "stop": [""]})", "stop[0]"},
      {R"({"input": "x", "stop": 3})", "stop"},
      {R"({"input": "x", "raw": 1})", "raw"},
      {R"({"input": ""})", "input"},
      {R"({"input": 5})", "input"},
      {R"({"max_output_tokens": 5})", "input"},
  };
  for (const auto& [body, field] : cases) {
    auto r = parseGenerateRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(fieldOf(r.error()), field) << body << " -> " << r.error().message;
  }
}

TEST(ServerRequests, ChatMessagesContentFormsAndLimits) {
  auto r = parseChatRequest(
      R"({"model": "m", "messages": [{"role": "system", "content": "be brief"},
          {"role": "user", "content": [{"type": "text", "text": "hello"}]}], "max_tokens": 5, "stream": true,
          "stream_options": {"include_usage": true}, "stop": "x", "seed": 3, "logprobs": false})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->messages.size(), 2u);
  EXPECT_EQ(r->messages[1].content, "hello");
  EXPECT_EQ(r->gen.max_output_tokens, 5);
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->include_usage_in_stream);
  EXPECT_EQ(r->gen.stop, std::vector<std::string>{"x"});
  auto newer = parseChatRequest(R"({"messages": [{"role": "user", "content": "a"}], "max_tokens": 5, "max_completion_tokens": 9})");
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(newer->gen.max_output_tokens, 9);

  EXPECT_EQ(fieldOf(parseChatRequest(R"({"messages": []})").error()), "messages");
  EXPECT_EQ(fieldOf(parseChatRequest(R"({"messages": [{"role": "user", "content": "a"}], "temperature": 3})").error()),
            "temperature");
  EXPECT_EQ(fieldOf(parseChatRequest(R"({"messages": [{"role": "user", "content": "a"}], "n": 2})").error()), "n");
  EXPECT_EQ(fieldOf(parseChatRequest(R"({"messages": [{"role": "user", "content": "a"}], "stream": "yes"})").error()),
            "stream");
  EXPECT_EQ(fieldOf(parseChatRequest(R"({"messages": [{"role": "user", "content": "a"}], "max_tokens": -5})").error()),
            "max_tokens");
  auto bad_msg = parseChatRequest(R"({"messages": [{"role": "user", "content": 7}]})");
  ASSERT_FALSE(bad_msg.ok());
  EXPECT_NE(bad_msg.error().message.find("messages[0]"), std::string::npos) << bad_msg.error().message;
}

// What OpenAI clients send in a conversation: the newer "developer" role (the system prompt of recent
// OpenAI models) and an assistant turn whose content is null. Both were 400.
TEST(ServerRequests, ChatAcceptsDeveloperRoleAndNullAssistantContent) {
  auto r = parseChatRequest(
      R"({"messages": [{"role": "developer", "content": "be brief"}, {"role": "user", "content": "hi"},
          {"role": "assistant", "content": null}, {"role": "user", "content": "again"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->messages.size(), 4u);
  EXPECT_EQ(r->messages[0].role, engine::ChatRole::System);
  EXPECT_EQ(r->messages[0].content, "be brief");
  EXPECT_EQ(r->messages[2].content, "");
  // A user turn still needs its content.
  EXPECT_FALSE(parseChatRequest(R"({"messages": [{"role": "user", "content": null}]})").ok());
}

TEST(ServerRequests, AskAndSearch) {
  auto a = parseAskRequest(R"({"question": "why?", "collection": "kb", "documents": [1, 2], "max_tokens": 8})");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->document_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(a->max_tokens, 8);
  EXPECT_FALSE(a->max_documents);
  EXPECT_EQ(parseAskRequest(R"({"question": "q", "max_documents": 0})")->max_documents, 0);
  EXPECT_EQ(fieldOf(parseAskRequest(R"({"question": "q", "max_documents": -1})").error()), "max_documents");
  EXPECT_FALSE(parseAskRequest(R"({"question": "q"})")->each_document);
  EXPECT_TRUE(parseAskRequest(R"({"question": "q", "each_document": true})")->each_document);
  EXPECT_EQ(fieldOf(parseAskRequest(R"({"question": "q", "each_document": "yes"})").error()), "each_document");
  EXPECT_EQ(fieldOf(parseAskRequest(R"({"question": ""})").error()), "question");
  EXPECT_EQ(fieldOf(parseAskRequest(R"({"question": "q", "documents": [0]})").error()), "documents[0]");
  EXPECT_EQ(fieldOf(parseAskRequest(R"({"question": "q", "thinking_budget": -1})").error()), "thinking_budget");

  auto s = parseSearchParams(std::string("terminate"), std::string("5"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->limit, 5);
  EXPECT_EQ(parseSearchParams(std::string("x"), std::nullopt)->limit, 10);
  EXPECT_EQ(fieldOf(parseSearchParams(std::nullopt, std::nullopt).error()), "q");
  for (const char* bad : {"0", "101", "abc", "5x", "-1", ""})
    EXPECT_EQ(fieldOf(parseSearchParams(std::string("x"), std::string(bad)).error()), "limit") << bad;
}

TEST(ServerGuard, HostHeader) {
  EXPECT_TRUE(hostAllowed("127.0.0.1:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(hostAllowed("localhost:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(hostAllowed("LOCALHOST:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(hostAllowed("[::1]:8080", "::1", 8080));
  EXPECT_FALSE(hostAllowed("127.0.0.1:8081", "127.0.0.1", 8080));
  EXPECT_FALSE(hostAllowed("evil.example:8080", "127.0.0.1", 8080));
  EXPECT_FALSE(hostAllowed("evil.example", "127.0.0.1", 8080));
  EXPECT_FALSE(hostAllowed("127.0.0.1", "127.0.0.1", 8080));  // a missing port means 80
  EXPECT_FALSE(hostAllowed("", "127.0.0.1", 8080));
  EXPECT_FALSE(hostAllowed("127.0.0.1:8080:1", "127.0.0.1", 8080));
  EXPECT_FALSE(hostAllowed("a b:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(hostAllowed("192.168.1.5:8080", "192.168.1.5", 8080));
  EXPECT_FALSE(hostAllowed("localhost:8080", "192.168.1.5", 8080));
}

// Bound to every interface (--host 0.0.0.0 / ::), a client elsewhere names the address it connected to;
// refusing that made such a server unreachable from the net it was bound for. Names other than the
// connection's own address (DNS rebinding) stay refused.
TEST(ServerGuard, HostHeaderOnAWildcardBindAcceptsTheConnectionsAddress) {
  EXPECT_TRUE(hostAllowed("192.0.2.2:8080", "0.0.0.0", 8080, "192.0.2.2"));
  EXPECT_TRUE(hostAllowed("192.0.2.2:8080", "::", 8080, "::ffff:192.0.2.2"));  // IPv4 on a dual-stack socket
  EXPECT_TRUE(hostAllowed("[2001:db8::7]:8080", "::", 8080, "2001:db8::7"));
  EXPECT_TRUE(hostAllowed("localhost:8080", "0.0.0.0", 8080, "127.0.0.1"));
  EXPECT_FALSE(hostAllowed("192.0.2.3:8080", "0.0.0.0", 8080, "192.0.2.2"));  // not the address it came in on
  EXPECT_FALSE(hostAllowed("evil.example:8080", "0.0.0.0", 8080, "192.0.2.2"));
  EXPECT_FALSE(hostAllowed("192.0.2.2:8081", "0.0.0.0", 8080, "192.0.2.2"));
  EXPECT_FALSE(hostAllowed("192.0.2.2:8080", "0.0.0.0", 8080));  // no connection address known
  // A specific bind keeps its rule: the bound name only.
  EXPECT_FALSE(hostAllowed("192.0.2.2:8080", "192.168.1.5", 8080, "192.0.2.2"));
}

TEST(ServerGuard, BearerToken) {
  EXPECT_TRUE(bearerAuthorized("Bearer s3cret", "s3cret"));
  EXPECT_TRUE(bearerAuthorized("bearer s3cret", "s3cret"));
  EXPECT_FALSE(bearerAuthorized("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(bearerAuthorized("Bearer s3cret2", "s3cret"));
  EXPECT_FALSE(bearerAuthorized("Basic s3cret", "s3cret"));
  EXPECT_FALSE(bearerAuthorized("", "s3cret"));
  EXPECT_FALSE(bearerAuthorized("Bearer ", ""));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_EQ(trimKey("  key\n"), "key");
}

TEST(ServerAdmission, QueueBoundAndOrder) {
  Admission adm(1, 1);
  std::atomic<bool> no{false};
  Admission::Slot first;
  ASSERT_EQ(adm.acquire(no, first), Admission::Outcome::Admitted);
  std::atomic<int> second_state{0};
  std::thread waiter([&] {
    Admission::Slot s;
    second_state = adm.acquire(no, s) == Admission::Outcome::Admitted ? 1 : 2;
  });
  while (adm.waiting() == 0) std::this_thread::yield();
  Admission::Slot third;
  EXPECT_EQ(adm.acquire(no, third), Admission::Outcome::QueueFull);  // queue of 1 is full
  EXPECT_GE(adm.retryAfterSeconds(), 1);
  EXPECT_EQ(adm.refused(), 1);
  first.release();
  waiter.join();
  EXPECT_EQ(second_state.load(), 1);
  EXPECT_EQ(adm.running(), 0);

  // A cancelled waiter leaves the queue.
  Admission::Slot holder;
  ASSERT_EQ(adm.acquire(no, holder), Admission::Outcome::Admitted);
  std::atomic<bool> cancel{false};
  std::atomic<int> outcome{-1};
  std::thread leaver([&] {
    Admission::Slot s;
    outcome = static_cast<int>(adm.acquire(cancel, s));
  });
  while (adm.waiting() == 0) std::this_thread::yield();
  cancel = true;
  leaver.join();
  EXPECT_EQ(outcome.load(), static_cast<int>(Admission::Outcome::Cancelled));
  EXPECT_EQ(adm.waiting(), 0);
}

TEST(ServerStream, SplitterDeltasConcatenateToTheSplit) {
  const std::string text = "<think>\nlet me see: a < b </think>\n\nThe answer is 4.";
  for (size_t step : {1u, 2u, 3u, 7u}) {
    ThinkingStreamSplitter s;
    std::string thinking, answer;
    for (size_t i = 0; i < text.size(); i += step) {
      auto d = s.add(std::string_view(text).substr(i, step));
      thinking += d.thinking;
      answer += d.answer;
    }
    auto d = s.finish();
    thinking += d.thinking;
    answer += d.answer;
    const auto whole = engine::splitThinking(text);
    EXPECT_EQ(thinking, whole.thinking) << step;
    EXPECT_EQ(answer, whole.answer) << step;
  }
}

TEST(ServerResponses, ErrorJsonNamesTheParam) {
  auto j = errorJson(400, "top_p: must be a number in (0, 1], got 2");
  EXPECT_EQ(j["error"]["param"], "top_p");
  EXPECT_EQ(j["error"]["code"], 400);
  EXPECT_TRUE(errorJson(429, "busy: x")["error"]["param"].is_null());
}

}  // namespace
}  // namespace folio::app::server
