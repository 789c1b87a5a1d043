// `folio serve` end to end over real HTTP on a free loopback port, with the tiny fixture model and a
// library ingested from the sample documents: each endpoint's happy path (streaming included), the
// guards (Host, Origin, token), body/JSON/field rejections, unknown routes, and graceful shutdown.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

// One temporary folder with the sample library, shared by the tests of this file.
struct SampleLibrary {
  fs::path dir;
  std::string library;
  SampleLibrary() {
    dir = fs::temp_directory_path() / ("folio-server-http-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    library = (dir / "lib.sqlite").string();
    auto r = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library, std::string(FOLIO_RESOURCES_DIR) + "/samples"},
                        {{"XDG_DATA_HOME", dir.string()}});
    if (r.exit_code != 0) ADD_FAILURE() << "ingest failed: " << r.err;
  }
  ~SampleLibrary() { fs::remove_all(dir); }
};

SampleLibrary& sampleLibrary() {
  static SampleLibrary lib;
  return lib;
}

std::unique_ptr<ServerProcess> startServer(const std::vector<std::string>& args, const std::string& log_name) {
  std::string error;
  auto p = ServerProcess::start(args, (sampleLibrary().dir / log_name).string(), error);
  EXPECT_TRUE(p) << error;
  return p;
}

json body(const httplib::Result& r) {
  if (!r) return json();
  return json::parse(r->body, nullptr, false);
}

class ServerHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = startServer({"--model", kModel, "--library", sampleLibrary().library, "--threads", "2"}, "main.log")
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_) << "server did not start"; }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c;
  }
  httplib::Result post(const std::string& path, const json& j, const httplib::Headers& h = {}) {
    return client().Post(path.c_str(), h, j.dump(), "application/json");
  }
  static ServerProcess* server_;
};
ServerProcess* ServerHttp::server_ = nullptr;

TEST_F(ServerHttp, HealthAndModels) {
  auto h = client().Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(body(h)["status"], "ok");
  EXPECT_EQ(body(h)["model"], "tiny-f32-h4-ls");
  EXPECT_EQ(body(h)["library"], true);
  EXPECT_FALSE(h->has_header("Access-Control-Allow-Origin"));  // no CORS unless asked for
  auto m = client().Get("/v1/models");
  ASSERT_TRUE(m);
  EXPECT_EQ(body(m)["object"], "list");
  ASSERT_EQ(body(m)["data"].size(), 1u);
  EXPECT_EQ(body(m)["data"][0]["id"], "tiny-f32-h4-ls");
}

TEST_F(ServerHttp, GenerateReturnsTextUsageAndRouting) {
  auto r = post("/v1/minimax-m1/generate", {{"input", "Hello there"}, {"max_output_tokens", 12}, {"seed", 1}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  ASSERT_TRUE(j["text"].is_string());
  ASSERT_TRUE(j["thinking"].is_string());
  const json& u = j["usage"];
  EXPECT_GT(u["prompt_tokens"].get<int>(), 0);
  EXPECT_EQ(u["output_tokens"].get<int>(), u["thinking_tokens"].get<int>() + u["answer_tokens"].get<int>());
  EXPECT_LE(u["output_tokens"].get<int>(), 12);
  EXPECT_EQ(u["total_tokens"].get<int>(), u["prompt_tokens"].get<int>() + u["output_tokens"].get<int>());
  for (const char* k : {"prefill_ms", "decode_ms", "tokens_per_second", "experts_evaluated", "experts_skipped"})
    EXPECT_TRUE(u[k].is_number()) << k;
  EXPECT_TRUE(j["finish_reason"] == "length" || j["finish_reason"] == "eos" || j["finish_reason"] == "stop");
  // Summary routing: per-layer × per-expert counts and weight sums, no per-token rows.
  const json& routing = j["routing"];
  ASSERT_TRUE(routing.is_object()) << j.dump();
  EXPECT_FALSE(routing.contains("tokens"));
  const int L = routing["num_layers"], E = routing["num_experts"], K = routing["top_k"];
  ASSERT_EQ(routing["counts"].size(), static_cast<size_t>(L));
  ASSERT_EQ(routing["weight_sums"].size(), static_cast<size_t>(L));
  int64_t total = 0;
  for (const auto& layer : routing["counts"]) {
    ASSERT_EQ(layer.size(), static_cast<size_t>(E));
    for (const auto& c : layer) total += c.get<int64_t>();
  }
  EXPECT_EQ(total, routing["experts_evaluated"].get<int64_t>());
  EXPECT_EQ(routing["experts_evaluated"].get<int64_t>(), u["experts_evaluated"].get<int64_t>());
  // τ = 1: every token × layer evaluates top_k experts.
  const int tokens = u["prompt_tokens"].get<int>() + u["output_tokens"].get<int>();
  EXPECT_GE(total, int64_t{L} * K * (tokens - 1));

  auto per_token = post("/v1/minimax-m1/generate",
                        {{"input", "Hello there"}, {"max_output_tokens", 4}, {"routing_log", "tokens"}, {"expert_threshold", 0.3}});
  ASSERT_TRUE(per_token);
  ASSERT_EQ(per_token->status, 200) << per_token->body;
  const json pt = body(per_token);
  EXPECT_GE(pt["routing"]["tokens"].size(), pt["usage"]["prompt_tokens"].get<size_t>());
  EXPECT_GT(pt["usage"]["experts_skipped"].get<int64_t>(), 0);  // τ = 0.3 keeps one expert of two at times

  auto none = post("/v1/minimax-m1/generate", {{"input", "Hello"}, {"max_output_tokens", 2}, {"routing_log", "none"}});
  ASSERT_TRUE(none);
  EXPECT_TRUE(body(none)["routing"].is_null());
}

TEST_F(ServerHttp, GenerateIsDeterministicForASeed) {
  const json req = {{"input", "Count with me"}, {"max_output_tokens", 10}, {"temperature", 0.9}, {"top_p", 0.95}, {"seed", 42}};
  auto a = post("/v1/minimax-m1/generate", req);
  auto b = post("/v1/minimax-m1/generate", req);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(body(a)["text"], body(b)["text"]);
}

// Without a seed a sampled request draws a fresh one, as OpenAI-style servers do: a client's "regenerate"
// used to get the same text every time (every request sampled with seed 0).
TEST_F(ServerHttp, SampledRequestsWithoutASeedDiffer) {
  const json chat = {{"messages", json::array({{{"role", "user"}, {"content", "Tell me a story"}}})},
                     {"max_tokens", 32},
                     {"temperature", 1.0}};
  const json gen = {{"input", "Tell me a story"}, {"max_output_tokens", 32}, {"temperature", 1.0}};
  std::set<std::string> chat_texts, gen_texts;
  for (int i = 0; i < 4; ++i) {
    auto c = post("/v1/chat/completions", chat);
    auto g = post("/v1/minimax-m1/generate", gen);
    ASSERT_TRUE(c && g);
    chat_texts.insert(body(c)["choices"][0]["message"].dump());
    gen_texts.insert(body(g)["text"].dump());
  }
  EXPECT_GT(chat_texts.size(), 1u);
  EXPECT_GT(gen_texts.size(), 1u);
}

// Parses a server-sent event stream: the JSON of every "data:" line, and whether [DONE] ended it.
std::vector<json> parseSse(const std::string& stream, bool& done) {
  std::vector<json> events;
  done = false;
  size_t pos = 0;
  while (pos < stream.size()) {
    const size_t end = stream.find("\n\n", pos);
    if (end == std::string::npos) break;
    const std::string event = stream.substr(pos, end - pos);
    pos = end + 2;
    EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
    const std::string data = event.substr(6);
    if (data == "[DONE]") {
      done = true;
      continue;
    }
    events.push_back(json::parse(data, nullptr, false));
    EXPECT_FALSE(events.back().is_discarded()) << data;
  }
  EXPECT_EQ(pos, stream.size()) << "trailing bytes after the last event";
  return events;
}

TEST_F(ServerHttp, ChatCompletionsStreamingMatchesNonStreaming) {
  const json messages = json::array({{{"role", "user"}, {"content", json::array({{{"type", "text"}, {"text", "Tell me a story"}}})}}});
  json req = {{"model", "anything"}, {"messages", messages}, {"max_tokens", 24}, {"seed", 5}, {"temperature", 0.7}};
  auto plain = post("/v1/chat/completions", req);
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 200) << plain->body;
  const json p = body(plain);
  EXPECT_EQ(p["object"], "chat.completion");
  EXPECT_EQ(p["model"], "tiny-f32-h4-ls");
  ASSERT_EQ(p["choices"].size(), 1u);
  EXPECT_EQ(p["choices"][0]["message"]["role"], "assistant");
  const std::string content = p["choices"][0]["message"]["content"];
  const std::string reasoning = p["choices"][0]["message"].value("reasoning_content", "");
  EXPECT_EQ(p["usage"]["total_tokens"].get<int>(),
            p["usage"]["prompt_tokens"].get<int>() + p["usage"]["completion_tokens"].get<int>());

  // The generate endpoint runs the same prompt (one user message) and sampling: same text.
  auto g = post("/v1/minimax-m1/generate", {{"input", "Tell me a story"}, {"max_output_tokens", 24}, {"seed", 5}, {"temperature", 0.7}});
  ASSERT_TRUE(g);
  EXPECT_EQ(body(g)["answer"], content);
  EXPECT_EQ(body(g)["thinking"], reasoning);

  req["stream"] = true;
  req["stream_options"] = {{"include_usage", true}};
  auto streamed = post("/v1/chat/completions", req);
  ASSERT_TRUE(streamed);
  ASSERT_EQ(streamed->status, 200) << streamed->body;
  EXPECT_NE(streamed->get_header_value("Content-Type").find("text/event-stream"), std::string::npos);
  bool done = false;
  const auto events = parseSse(streamed->body, done);
  EXPECT_TRUE(done);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front()["choices"][0]["delta"]["role"], "assistant");
  std::string s_content, s_reasoning, finish;
  json usage;
  for (const auto& e : events) {
    EXPECT_EQ(e["object"], "chat.completion.chunk");
    if (e.contains("usage")) usage = e["usage"];
    if (e["choices"].empty()) continue;
    const json& d = e["choices"][0]["delta"];
    s_content += d.value("content", "");
    s_reasoning += d.value("reasoning_content", "");
    if (!e["choices"][0]["finish_reason"].is_null()) finish = e["choices"][0]["finish_reason"];
  }
  EXPECT_EQ(s_content, content);
  EXPECT_EQ(s_reasoning, reasoning);
  EXPECT_EQ(finish, p["choices"][0]["finish_reason"]);
  EXPECT_EQ(usage, p["usage"]);
}

TEST_F(ServerHttp, LibrarySearchGivesSpansAndSnippets) {
  auto r = client().Get("/v1/library/search?q=shipment&limit=3");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  ASSERT_GE(j["hits"].size(), 1u);
  ASSERT_LE(j["hits"].size(), 3u);
  for (const auto& h : j["hits"]) {
    EXPECT_FALSE(h["path"].get<std::string>().empty());
    EXPECT_GE(h["line_first"].get<int>(), 1);
    EXPECT_GE(h["line_last"].get<int>(), h["line_first"].get<int>());
    EXPECT_NE(h["snippet"].get<std::string>().find('['), std::string::npos);
  }
  auto pdf = client().Get("/v1/library/search?q=agreement&limit=5");
  ASSERT_TRUE(pdf);
  bool paged = false;
  const json pdf_hits = body(pdf)["hits"];
  for (const auto& h : pdf_hits) paged = paged || h["page_first"].get<int>() >= 1;
  EXPECT_TRUE(paged) << pdf->body;

  auto bad = client().Get("/v1/library/search?q=x&limit=1000");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["param"], "limit");
  auto missing = client().Get("/v1/library/search");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
}

TEST_F(ServerHttp, LibraryCompareByDocumentIds) {
  std::set<int64_t> ids;
  for (const char* q : {"agreement", "shipment"}) {
    auto hits = client().Get(std::string("/v1/library/search?q=") + q);
    ASSERT_TRUE(hits);
    const json found = body(hits);
    for (const auto& h : found["hits"]) ids.insert(h["document_id"].get<int64_t>());
  }
  ASSERT_GE(ids.size(), 2u);
  const std::string a = std::to_string(*ids.begin()), b = std::to_string(*std::next(ids.begin()));
  auto same = client().Get("/v1/library/compare?old=" + a + "&new=" + a);
  ASSERT_TRUE(same);
  ASSERT_EQ(same->status, 200) << same->body;
  EXPECT_EQ(body(same)["summary"], "no differences in the text");
  EXPECT_EQ(body(same)["old"]["document_id"].get<int64_t>(), *ids.begin());
  auto other = client().Get("/v1/library/compare?old=" + a + "&new=" + b);
  ASSERT_TRUE(other);
  ASSERT_EQ(other->status, 200) << other->body;
  EXPECT_FALSE(body(other)["changes"].empty());
  auto missing = client().Get("/v1/library/compare?old=" + a + "&new=99999999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404) << missing->body;
  auto path = client().Get("/v1/library/compare?old=/etc/passwd&new=" + a);
  ASSERT_TRUE(path);
  EXPECT_EQ(path->status, 400);
  EXPECT_EQ(body(path)["error"]["param"], "old");
}

TEST_F(ServerHttp, LibraryAskWithTheModel) {
  auto r = post("/v1/library/ask", {{"question", "How is the distance between two points computed?"},
                                    {"max_tokens", 8}, {"thinking_budget", 4}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  EXPECT_EQ(j["extractive"], false);
  EXPECT_TRUE(j["text"].is_string());
  EXPECT_TRUE(j["citations"].is_array());
  EXPECT_TRUE(j["evidence"].is_array());
  EXPECT_GT(j["answer_id"].get<int64_t>(), 0);
}

// "max_documents" reaches the pipeline: a scope larger than the window is narrowed to that many.
TEST_F(ServerHttp, LibraryAskNarrowsALargeScopeToMaxDocuments) {
  auto r = post("/v1/library/ask", {{"question", "How is the distance between two points computed?"},
                                    {"max_tokens", 4}, {"thinking_budget", 0}, {"context_window", 1024},
                                    {"max_documents", 1}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  EXPECT_EQ(j["plan"]["documents"].size(), 1u) << j["plan"].dump();
  ASSERT_FALSE(j["plan"]["left_out"].empty());
  EXPECT_NE(j["plan"]["left_out"][0]["what"].get<std::string>().find("other documents of the"), std::string::npos)
      << j["plan"].dump();
}

// "each_document": true reaches the pipeline: one passage per matching document, no summaries.
TEST_F(ServerHttp, LibraryAskOfEachDocument) {
  auto r = post("/v1/library/ask", {{"question", "How is the distance between two points computed?"},
                                    {"max_tokens", 4}, {"thinking_budget", 0}, {"each_document", true}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = body(r);
  EXPECT_EQ(j["plan"]["mode"], "each document") << j["plan"].dump();
  std::set<std::string> paths;
  for (const auto& e : j["evidence"]) EXPECT_TRUE(paths.insert(e["path"].get<std::string>()).second) << e.dump();
  EXPECT_FALSE(paths.empty());

  // Streamed: the model asks each document in turn, progress counts the documents, and the answer
  // arrives document by document.
  auto s = post("/v1/library/ask", {{"question", "How is the distance between two points computed?"},
                                    {"max_tokens", 4}, {"thinking_budget", 0}, {"each_document", true}, {"stream", true}});
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 200) << s->body;
  bool done = false;
  const std::vector<json> events = parseSse(s->body, done);
  ASSERT_TRUE(done);
  ASSERT_FALSE(events.empty());
  int progress = 0;
  std::string streamed;
  for (const json& e : events) {
    if (e["type"] == "progress") {
      EXPECT_EQ(e["stage"], "each document") << e.dump();
      EXPECT_EQ(e["total"].get<size_t>(), paths.size()) << e.dump();
      ++progress;
    } else if (e["type"] == "delta") {
      streamed += e["answer"].get<std::string>();
    }
  }
  EXPECT_EQ(progress, static_cast<int>(paths.size()));
  ASSERT_EQ(events.back()["type"], "answer");
  EXPECT_EQ(streamed, events.back()["answer"]["text"].get<std::string>());
}

// "stream": true: token budgets while the model answers, the streamed answer text, then the same stored
// answer the non-streamed request returns, and [DONE].
TEST_F(ServerHttp, LibraryAskStreamsBudgetsAndTheAnswer) {
  const json req = {{"question", "How is the distance between two points computed?"}, {"max_tokens", 8},
                    {"thinking_budget", 4}, {"stream", true}};
  auto r = post("/v1/library/ask", req);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->get_header_value("Content-Type").find("text/event-stream"), std::string::npos);
  bool done = false;
  const std::vector<json> events = parseSse(r->body, done);
  EXPECT_TRUE(done);
  ASSERT_FALSE(events.empty());
  int tokens = 0;
  int64_t last_generated = -1;
  std::string streamed_answer;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    const json& e = events[i];
    ASSERT_TRUE(e.contains("type")) << e.dump();
    if (e["type"] == "tokens") {
      ++tokens;
      const int64_t generated = e["thinking_tokens"].get<int64_t>() + e["answer_tokens"].get<int64_t>();
      EXPECT_GE(generated, last_generated) << "budgets only grow";
      last_generated = generated;
      EXPECT_GT(e["prompt_tokens"].get<int64_t>(), 0);
      EXPECT_LE(generated, 4 + 8) << e.dump();  // a thought shorter than its budget leaves the rest to the answer
      EXPECT_EQ(e["answer_budget"], 8);
      EXPECT_EQ(e["thinking_budget"], 4);
    } else if (e["type"] == "delta") {
      streamed_answer += e["answer"].get<std::string>();
    } else {
      EXPECT_EQ(e["type"], "progress") << e.dump();
    }
  }
  EXPECT_GE(tokens, 1);
  const json& last = events.back();
  ASSERT_EQ(last["type"], "answer") << last.dump();
  const json& a = last["answer"];
  EXPECT_EQ(a["extractive"], false);
  EXPECT_GT(a["answer_id"].get<int64_t>(), 0);
  EXPECT_TRUE(a["citations"].is_array());
  EXPECT_TRUE(a["text"].is_string());

  // A bad field is refused with a status before any event.
  auto bad = post("/v1/library/ask", {{"question", "x"}, {"stream", "yes"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["param"], "stream");
}

TEST_F(ServerHttp, RejectsForeignHostAndOrigin) {
  auto host = client().Get("/health", httplib::Headers{{"Host", "attacker.example:" + std::to_string(server_->port())}});
  ASSERT_TRUE(host);
  EXPECT_EQ(host->status, 421);
  EXPECT_EQ(body(host)["error"]["code"], 421);
  auto port = client().Get("/health", httplib::Headers{{"Host", "127.0.0.1:1"}});
  ASSERT_TRUE(port);
  EXPECT_EQ(port->status, 421);
  auto local = client().Get("/health", httplib::Headers{{"Host", "localhost:" + std::to_string(server_->port())}});
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
  auto origin = post("/v1/minimax-m1/generate", {{"input", "x"}}, {{"Origin", "https://attacker.example"}});
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->status, 403);
}

TEST_F(ServerHttp, RejectsOversizeDeepAndMalformedBodies) {
  const std::string big = "{\"input\": \"" + std::string(5u << 20, 'a') + "\"}";
  auto r = client().Post("/v1/minimax-m1/generate", big, "application/json");
  ASSERT_TRUE(r) << "no response to an oversize body: " << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413);

  const std::string deep = "{\"input\": \"x\", \"a\": " + std::string(5000, '[') + std::string(5000, ']') + "}";
  auto d = client().Post("/v1/minimax-m1/generate", deep, "application/json");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 400);
  EXPECT_NE(body(d)["error"]["message"].get<std::string>().find("nested deeper"), std::string::npos) << d->body;

  auto bad = client().Post("/v1/chat/completions", "{\"messages\": [", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body(bad)["error"]["param"], "body");
}

// `curl -d`, as in the README, labels a JSON body as a form; past 8 KiB it must still be read as JSON.
TEST_F(ServerHttp, LargeJsonBodyLabelledAsFormIsRead) {
  const json req = {{"input", "Hello"}, {"max_output_tokens", 1}, {"padding", std::string(64u << 10, 'a')}};
  auto r = client().Post("/v1/minimax-m1/generate", req.dump(), "application/x-www-form-urlencoded");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["usage"]["output_tokens"], 1) << r->body;
}

TEST_F(ServerHttp, OutOfRangeFieldsAreNamed) {
  const std::pair<json, const char*> cases[] = {
      {{{"input", "x"}, {"max_output_tokens", -3}}, "max_output_tokens"},
      {{{"input", "x"}, {"temperature", -1}}, "temperature"},
      {{{"input", "x"}, {"top_p", 2}}, "top_p"},
      {{{"input", "x"}, {"expert_threshold", 0}}, "expert_threshold"},
      {{{"input", "x"}, {"context_window", 100000}}, "context_window"},  // over the model's 8192
      {{{"input", "x"}, {"context_window", 3}}, "context_window"},       // the prompt does not fit
      {{{"input", "x"}, {"seed", "abc"}}, "seed"},
  };
  for (const auto& [req, field] : cases) {
    auto r = post("/v1/minimax-m1/generate", req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << req.dump();
    EXPECT_EQ(body(r)["error"]["param"], field) << r->body;
  }
  auto chat = post("/v1/chat/completions", {{"messages", json::array({{{"role", "user"}, {"content", "x"}}})}, {"max_tokens", -1}});
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->status, 400);
  EXPECT_EQ(body(chat)["error"]["param"], "max_tokens");
  auto stream_bad = post("/v1/chat/completions", {{"messages", json::array({{{"role", "user"}, {"content", "x"}}})},
                                                  {"stream", true}, {"context_window", 2}});
  ASSERT_TRUE(stream_bad);
  EXPECT_EQ(stream_bad->status, 400);  // refused before the event stream starts
}

// A prompt longer than the model's window names the prompt's field, not "context_window", which the client
// may never have sent (OpenAI names "messages"); an explicit context_window too small is named as such.
TEST_F(ServerHttp, APromptOverTheWindowNamesThePromptField) {
  std::string text;
  for (int i = 0; i < 9000; ++i) text += "word ";
  auto chat = post("/v1/chat/completions", {{"messages", json::array({{{"role", "user"}, {"content", text}}})}});
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->status, 400);
  EXPECT_EQ(body(chat)["error"]["param"], "messages") << chat->body;
  auto stream = post("/v1/chat/completions",
                     {{"messages", json::array({{{"role", "user"}, {"content", text}}})}, {"stream", true}});
  ASSERT_TRUE(stream);
  EXPECT_EQ(body(stream)["error"]["param"], "messages") << stream->body;
  auto gen = post("/v1/minimax-m1/generate", {{"input", text}});
  ASSERT_TRUE(gen);
  EXPECT_EQ(body(gen)["error"]["param"], "input") << gen->body;
  auto small = post("/v1/minimax-m1/generate", {{"input", "Hello there"}, {"context_window", 3}});
  ASSERT_TRUE(small);
  EXPECT_EQ(body(small)["error"]["param"], "context_window") << small->body;
}

TEST_F(ServerHttp, UnknownRouteIs404WithJson) {
  auto r = client().Get("/v1/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body(r)["error"]["code"], 404);
}

// A known path with the wrong method is 405 with Allow (RFC 9110), not "no such endpoint": a client that
// GETs /v1/chat/completions by mistake should learn the method is wrong, not that the route is missing.
TEST_F(ServerHttp, WrongMethodOnAKnownPathIs405WithAllow) {
  auto get_post_route = client().Get("/v1/minimax-m1/generate");
  ASSERT_TRUE(get_post_route);
  EXPECT_EQ(get_post_route->status, 405);
  EXPECT_EQ(get_post_route->get_header_value("Allow"), "POST");
  EXPECT_EQ(body(get_post_route)["error"]["code"], 405);
  auto post_get_route = client().Post("/health", "{}", "application/json");
  ASSERT_TRUE(post_get_route);
  EXPECT_EQ(post_get_route->status, 405);
  EXPECT_EQ(post_get_route->get_header_value("Allow"), "GET, HEAD");
  auto del = client().Delete("/v1/chat/completions");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  auto unknown = client().Post("/v1/nothing", "{}", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST(ServerAuth, BearerTokenFromFile) {
  const fs::path key = sampleLibrary().dir / "key.txt";
  std::ofstream(key) << "  s3cret-token\n";
  auto server = startServer({"--library", sampleLibrary().library, "--api-key-file", key.string()}, "auth.log");
  ASSERT_TRUE(server);
  httplib::Client c("127.0.0.1", server->port());
  auto missing = c.Get("/v1/models");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->get_header_value("WWW-Authenticate"), "Bearer");
  auto wrong = c.Get("/v1/models", httplib::Headers{{"Authorization", "Bearer s3cret-tokem"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto right = c.Get("/v1/models", httplib::Headers{{"Authorization", "Bearer s3cret-token"}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(server->stop(SIGTERM), 0);
}

TEST(ServerAuth, MissingKeyFileNamesTheFileAndReason) {
  const std::string key = (sampleLibrary().dir / "no-such-key.txt").string();
  auto r = folio::test::runProcess({FOLIO_BINARY, "serve", "--port", "0", "--api-key-file", key});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(key + ": No such file or directory"), std::string::npos) << r.err;
}

TEST(ServerNoModel, GenerationIs503AndLibraryStillWorks) {
  auto server = startServer({"--library", sampleLibrary().library, "--cors-origin", "http://app.example"}, "nomodel.log");
  ASSERT_TRUE(server);
  httplib::Client c("127.0.0.1", server->port());
  auto g = c.Post("/v1/minimax-m1/generate", R"({"input": "x"})", "application/json");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 503);
  EXPECT_NE(body(g)["error"]["message"].get<std::string>().find("--model"), std::string::npos);
  auto chat = c.Post("/v1/chat/completions", R"({"messages": [{"role": "user", "content": "x"}]})", "application/json");
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->status, 503);
  EXPECT_EQ(body(c.Get("/v1/models"))["data"].size(), 0u);
  auto s = c.Get("/v1/library/search?q=shipment");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 200);
  EXPECT_EQ(s->get_header_value("Access-Control-Allow-Origin"), "http://app.example");
  auto a = c.Post("/v1/library/ask", R"({"question": "How are shipments tracked?"})", "application/json");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->status, 200) << a->body;
  EXPECT_EQ(body(a)["extractive"], true);
  // The allowed origin may call, and its preflight is answered.
  auto allowed = c.Get("/health", httplib::Headers{{"Origin", "http://app.example"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  auto preflight = c.Options("/v1/chat/completions", httplib::Headers{{"Origin", "http://app.example"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(server->stop(SIGINT), 0);
  EXPECT_NE(server->log().find("stopped"), std::string::npos) << server->log();
}

}  // namespace
}  // namespace folio::test
