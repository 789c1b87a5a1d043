// `folio serve --max-concurrent N` on the CPU batches the decode steps of concurrent generations
// (engine/model/decode_batcher.h): concurrent requests get exactly the answers, usage and per-token routing
// they get from a server that decodes each generation alone, /health counts the batched steps, and
// --decode-batch 0 turns batching off.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "app/server/engine_runner.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-bf16-h4-gqa2-lsls-hfcfg";
constexpr int kRequests = 4;

json requestBody(int i) {
  // a greedy request and sampled ones with their own seeds; routing per token, so the comparison covers it
  return {{"input", "Question " + std::to_string(i) + ": what does clause " + std::to_string(7 * i + 3) + " say?"},
          {"max_output_tokens", 20 + 3 * i},
          {"temperature", i == 0 ? 0.0 : 0.8},
          {"top_p", 0.9},
          {"seed", 1000 + i},
          {"routing_log", "tokens"}};
}

// The parts of a response that do not depend on timing.
json comparable(const json& r) {
  return {{"text", r["text"]}, {"finish_reason", r["finish_reason"]},
          {"output_tokens", r["usage"]["output_tokens"]}, {"experts_evaluated", r["usage"]["experts_evaluated"]},
          {"routing", r["routing"]["tokens"]}};
}

json health(int port) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/health");
  return r && r->status == 200 ? json::parse(r->body) : json();
}

// Runs the requests, all at once when `concurrent`, and returns the comparable parts in request order.
std::vector<json> generate(int port, bool concurrent) {
  std::vector<json> out(kRequests);
  auto one = [&](int i) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    auto r = c.Post("/v1/minimax-m1/generate", requestBody(i).dump(), "application/json");
    out[static_cast<size_t>(i)] = r && r->status == 200 ? comparable(json::parse(r->body))
                                                        : json{{"failed", r ? r->body : "no response"}};
  };
  if (concurrent) {
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i) threads.emplace_back(one, i);
    for (auto& t : threads) t.join();
  } else {
    for (int i = 0; i < kRequests; ++i) one(i);
  }
  return out;
}

class ServerDecodeBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-serve-batch-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<ServerProcess> start(const std::vector<std::string>& extra, const std::string& log) {
    std::vector<std::string> args{"--model", kModel, "--threads", "1", "--max-concurrent", std::to_string(kRequests)};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    auto server = ServerProcess::start(args, (dir_ / log).string(), error);
    EXPECT_TRUE(server) << error;
    return server;
  }
  fs::path dir_;
};

TEST_F(ServerDecodeBatch, ConcurrentRequestsAnswerAsIfAlone) {
  auto alone = start({"--decode-batch", "0"}, "alone.log");
  ASSERT_TRUE(alone);
  const std::vector<json> expected = generate(alone->port(), /*concurrent=*/false);
  EXPECT_TRUE(health(alone->port())["engine"]["decode_batch"].is_null());
  alone->stop(SIGTERM);

  auto batched = start({}, "batched.log");
  ASSERT_TRUE(batched);
  const json before = health(batched->port())["engine"]["decode_batch"];
  ASSERT_TRUE(before.is_object()) << health(batched->port()).dump();
  EXPECT_EQ(before["max_batch"], kRequests);
  EXPECT_EQ(before["tokens"], 0);
  const std::vector<json> got = generate(batched->port(), /*concurrent=*/true);
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_FALSE(expected[static_cast<size_t>(i)].contains("failed")) << expected[static_cast<size_t>(i)].dump();
    EXPECT_EQ(got[static_cast<size_t>(i)], expected[static_cast<size_t>(i)]) << "request " << i;
  }
  const json after = health(batched->port())["engine"]["decode_batch"];
  EXPECT_GT(after["tokens"].get<int64_t>(), 0) << after.dump();
  EXPECT_LE(after["steps"].get<int64_t>(), after["tokens"].get<int64_t>());
  EXPECT_LE(after["largest_step"].get<int>(), kRequests);
  EXPECT_NE(batched->log().find("(decode steps batched)"), std::string::npos) << batched->log();
  EXPECT_EQ(batched->stop(SIGTERM), 0);
}

TEST(ServeDecodeBatchOption, ABatcherOnlyForTwoOrMoreOnAResolvedBackend) {
  auto loaded = app::server::loadModel(kModel);
  ASSERT_TRUE(loaded) << loaded.error().message;
  app::server::SessionPlacement placement;
  placement.threads = 1;
  for (auto [backend, batch, expected] : {std::tuple{engine::Backend::Cpu, 4, true}, std::tuple{engine::Backend::Cpu, 1, false},
                                          std::tuple{engine::Backend::Cuda, 2, true},  // its runner is built by the first session
                                          std::tuple{engine::Backend::Auto, 4, false}}) {
    placement.backend = backend;
    auto batcher = app::server::makeDecodeBatcher(*loaded, placement, batch);
    ASSERT_TRUE(batcher) << batcher.error().message;
    EXPECT_EQ(*batcher != nullptr, expected) << engine::backendName(backend) << " x" << batch;
    if (*batcher) EXPECT_EQ((*batcher)->maxBatch(), batch);
  }
}

TEST(ServeDecodeBatchOption, OutOfRangeIsAUsageErrorNamingTheOption) {
  const auto r = runProcess({FOLIO_BINARY, "serve", "--port", "0", "--decode-batch", "65"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("--decode-batch must be in [0, 64]"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace folio::test
