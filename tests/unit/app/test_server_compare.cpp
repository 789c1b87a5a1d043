// GET /v1/library/compare under contention, over real HTTP: comparisons are admitted like generations
// (--max-concurrent running, --queue waiting, 429 with Retry-After beyond), in a queue of their own, and
// a client that goes away stops its comparison inside. The pair: two versions of some 1,800 pages whose
// text repeats itself (about a second to compare here).
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// 25 schedules of the same 400 clauses; the new version has a word added in every 7th clause.
std::string version(bool changed) {
  std::mt19937 rng(5);
  std::vector<std::string> bodies(400);
  for (auto& body : bodies) {
    for (int w = 0; w < 40; ++w) {
      body += 'w';  // not "w" + …: GCC 12 warns of a false overlap (-Wrestrict)
      body += std::to_string(rng() % 3000) + (w % 13 == 12 ? ". " : " ");
    }
  }
  std::string out;
  int n = 0;
  for (int copy = 1; copy <= 25; ++copy) {
    out += "Schedule " + std::to_string(copy) + "\n\n";
    for (size_t c = 0; c < bodies.size(); ++c, ++n) {
      std::string body = bodies[c];
      if (changed && n % 7 == 3) body.replace(body.find(' '), 1, " changed ");
      out += std::to_string(c + 1) + ". Item\n\n" + body + "\n\n";
    }
  }
  return out;
}

class ServerCompare : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-compare-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "v1");
    fs::create_directories(dir_ / "v2");
    std::ofstream(dir_ / "v1" / "schedules.txt") << version(false);
    std::ofstream(dir_ / "v2" / "schedules.txt") << version(true);
    library_ = (dir_ / "lib.sqlite").string();
    auto r = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library_, (dir_ / "v1").string(), (dir_ / "v2").string()},
                        {{"XDG_DATA_HOME", dir_.string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string error;
    server_ = ServerProcess::start({"--library", library_, "--max-concurrent", "1", "--queue", "0"},
                                   (dir_ / "serve.log").string(), error);
    ASSERT_TRUE(server_) << error;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  json health() {
    httplib::Client c("127.0.0.1", server_->port());
    auto r = c.Get("/health");
    return r ? json::parse(r->body, nullptr, false) : json();
  }
  bool waitLog(const std::string& needle, int seconds = 30) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      if (server_->log().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  fs::path dir_;
  std::string library_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerCompare, ComparisonsBeyondTheLimitAreRefusedWith429) {
  // Four at once, one may run and none wait: the others are refused while it runs.
  constexpr int kClients = 4;
  std::vector<int> status(kClients, 0);
  std::vector<std::string> retry_after(kClients), bodies(kClients);
  std::vector<std::thread> clients;
  std::atomic<int> ready{0};
  for (int k = 0; k < kClients; ++k) {
    clients.emplace_back([&, k] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_read_timeout(120, 0);
      ++ready;
      while (ready < kClients) std::this_thread::yield();
      auto r = c.Get("/v1/library/compare?old=1&new=2");
      if (!r) return;
      status[k] = r->status;
      bodies[k] = r->body.substr(0, 300);
      retry_after[k] = r->get_header_value("Retry-After");
    });
  }
  for (auto& t : clients) t.join();
  int ok = 0, refused = 0;
  for (int k = 0; k < kClients; ++k) {
    if (status[k] == 200) {
      ++ok;
      EXPECT_NE(bodies[k].find("\"changes\""), std::string::npos);
    } else {
      ASSERT_EQ(status[k], 429) << bodies[k];
      ++refused;
      EXPECT_GE(std::stoi(retry_after[k]), 1);
      EXPECT_NE(bodies[k].find("too many comparisons at once"), std::string::npos) << bodies[k];
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(refused, 1);
  const json h = health();
  EXPECT_EQ(h["compare"]["refused"], refused);
  EXPECT_EQ(h["compare"]["running"], 0);
  EXPECT_EQ(h["engine"]["refused"], 0);  // a queue of their own: the engine's is untouched
}

TEST_F(ServerCompare, AClientThatGoesAwayStopsItsComparison) {
  {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(0, 100'000);  // gives up (and closes the socket) after 0.1 s
    EXPECT_FALSE(c.Get("/v1/library/compare?old=1&new=2"));
  }
  EXPECT_TRUE(waitLog("comparison cancelled")) << server_->log();
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (health()["compare"]["running"] != 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(health()["compare"]["running"], 0);
  // The slot is free again: the next comparison is answered.
  httplib::Client c("127.0.0.1", server_->port());
  c.set_read_timeout(120, 0);
  auto r = c.Get("/v1/library/compare?old=1&new=2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body.substr(0, 300);
}

}  // namespace
}  // namespace folio::test
