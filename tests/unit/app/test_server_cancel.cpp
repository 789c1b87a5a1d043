// `folio serve` under contention: a client that disconnects cancels its generation (streamed: the
// write fails or the hang-up is seen; non-streamed: the socket is polled), and a full queue answers 429
// with Retry-After. Long generations use the whole 8192-token window of the tiny fixture model.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

class ServerCancel : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-cancel-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<ServerProcess> start(std::vector<std::string> extra, const std::string& log) {
    std::vector<std::string> args{"--model", kModel, "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    auto p = ServerProcess::start(args, (dir_ / log).string(), error);
    EXPECT_TRUE(p) << error;
    return p;
  }

  static json health(int port) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/health");
    return r ? json::parse(r->body, nullptr, false) : json();
  }

  // Waits until `pred(health)` holds; false after `seconds`.
  template <class Pred>
  static bool waitHealth(int port, Pred pred, int seconds = 30) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      const json h = health(port);
      if (h.is_object() && pred(h)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static bool waitLog(const ServerProcess& p, const std::string& needle, int seconds = 30) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      if (p.log().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static std::string longChat() {
    return json{{"messages", json::array({{{"role", "user"}, {"content", "Write forever"}}})},
                {"max_tokens", 8150},
                {"temperature", 0},  // greedy: the tiny model then runs to the end of its window
                {"stream", true}}
        .dump();
  }

  fs::path dir_;
};

TEST_F(ServerCancel, ClosingAStreamCancelsItsGeneration) {
  auto server = start({}, "stream.log");
  ASSERT_TRUE(server);
  const int port = server->port();
  std::atomic<int> chunks{0};
  {
    httplib::Client c("127.0.0.1", port);
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/chat/completions";
    req.body = longChat();
    req.set_header("Content-Type", "application/json");
    req.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) { return ++chunks < 4; };
    auto r = c.send(req);
    EXPECT_FALSE(r);  // we broke the stream off
  }
  EXPECT_GE(chunks.load(), 4);
  const auto closed = Clock::now();
  EXPECT_TRUE(waitLog(*server, "generation cancelled")) << server->log();
  EXPECT_TRUE(waitHealth(port, [](const json& h) { return h["engine"]["running"] == 0; }));
  // The engine is free again: a small request is answered promptly.
  httplib::Client c("127.0.0.1", port);
  auto next = c.Post("/v1/minimax-m1/generate", R"({"input": "hi", "max_output_tokens": 2})", "application/json");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - closed).count(), 20.0);
}

TEST_F(ServerCancel, ADisconnectedNonStreamingClientCancelsItsGeneration) {
  auto server = start({}, "plain.log");
  ASSERT_TRUE(server);
  const int port = server->port();
  std::thread client([port] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(1, 0);  // gives up (and closes the socket) after a second
    auto r = c.Post("/v1/minimax-m1/generate", R"({"input": "Write forever", "max_output_tokens": 8150, "temperature": 0})",
                    "application/json");
    EXPECT_FALSE(r);
  });
  client.join();
  EXPECT_TRUE(waitLog(*server, "client disconnected; cancelling")) << server->log();
  EXPECT_TRUE(waitLog(*server, "generation cancelled")) << server->log();
  EXPECT_TRUE(waitHealth(port, [](const json& h) { return h["engine"]["running"] == 0; }));
}

TEST_F(ServerCancel, FullQueueAnswers429WithRetryAfter) {
  auto server = start({"--max-concurrent", "1", "--queue", "0"}, "queue.log");
  ASSERT_TRUE(server);
  const int port = server->port();
  std::atomic<bool> release{false};
  std::thread holder([&] {
    httplib::Client c("127.0.0.1", port);
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/chat/completions";
    req.body = longChat();
    req.set_header("Content-Type", "application/json");
    req.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) { return !release.load(); };
    c.send(req);
  });
  ASSERT_TRUE(waitHealth(port, [](const json& h) { return h["engine"]["running"] == 1; }));
  httplib::Client c("127.0.0.1", port);
  auto busy = c.Post("/v1/minimax-m1/generate", R"({"input": "hi", "max_output_tokens": 2})", "application/json");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 429) << busy->body;
  ASSERT_TRUE(busy->has_header("Retry-After"));
  EXPECT_GE(std::stoi(busy->get_header_value("Retry-After")), 1);
  EXPECT_EQ(json::parse(busy->body)["error"]["type"], "rate_limit_error");
  // Light routes do not queue for the engine.
  auto search_free = c.Get("/v1/models");
  ASSERT_TRUE(search_free);
  EXPECT_EQ(search_free->status, 200);
  release = true;
  holder.join();
  ASSERT_TRUE(waitHealth(port, [](const json& h) { return h["engine"]["running"] == 0; }));
  auto ok = c.Post("/v1/minimax-m1/generate", R"({"input": "hi", "max_output_tokens": 2})", "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(health(port)["engine"]["refused"], 1);
}

TEST_F(ServerCancel, SigtermCancelsRunningWorkAndExits) {
  auto server = start({}, "term.log");
  ASSERT_TRUE(server);
  const int port = server->port();
  std::thread client([port] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    auto r = c.Post("/v1/minimax-m1/generate", R"({"input": "Write forever", "max_output_tokens": 8150, "temperature": 0})",
                    "application/json");
    // Answered (the cancelled generation's partial result) or cut off by the shutdown; never hung.
    if (r) {
      EXPECT_EQ(r->status, 200);
      EXPECT_EQ(json::parse(r->body)["finish_reason"], "cancelled");
    }
  });
  ASSERT_TRUE(waitHealth(port, [](const json& h) { return h["engine"]["running"] == 1; }));
  const auto t0 = Clock::now();
  EXPECT_EQ(server->stop(SIGTERM, 30), 0);
  client.join();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 15.0);
}

}  // namespace
}  // namespace folio::test
