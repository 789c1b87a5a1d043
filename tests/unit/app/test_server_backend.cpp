// `folio serve --backend/--devices`: a bad value is a usage error naming the option; a CUDA request that
// cannot be met stops the server before it listens, with the engine's "CUDA backend requested but …";
// `auto` starts (CPU when no GPU is usable), says which backend runs, and answers generations and
// library questions on it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

ProcessResult serve(const std::vector<std::string>& args) {
  std::vector<std::string> argv{FOLIO_BINARY, "serve", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv);
}

TEST(ServeBackend, UnknownBackendIsAUsageErrorNamingTheOption) {
  const auto r = serve({"--backend", "gpu"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("--backend: expected cpu, cuda or auto, got 'gpu'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

TEST(ServeBackend, BadDeviceListIsAUsageErrorNamingTheOption) {
  const auto r = serve({"--backend", "cuda", "--devices", "0,x"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("--devices: 'x' in '0,x' is not a device number"), std::string::npos) << r.err;
}

// Device 99 exists on no machine, so this fails the same way with or without CUDA in the build.
TEST(ServeBackend, CudaThatCannotRunStopsTheServerBeforeItListens) {
  const auto r = serve({"--model", kModel, "--backend", "cuda", "--devices", "99"});
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.signaled);
  EXPECT_NE(r.err.find("folio serve: CUDA backend requested but "), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

TEST(ServeBackend, AutoRunsGenerationsAndLibraryAnswersOnTheResolvedBackend) {
  const fs::path dir = fs::temp_directory_path() / ("folio-serve-backend-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "notes");
  std::ofstream(dir / "notes" / "shipping.md") << "# Shipping\n\nParcels leave the Harbor depot every Tuesday.\n";
  const std::string library = (dir / "lib.sqlite").string();
  const auto ingest = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library, (dir / "notes").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  std::string error;
  auto server = ServerProcess::start({"--model", kModel, "--library", library, "--threads", "1", "--backend", "auto"},
                                     (dir / "serve.log").string(), error);
  ASSERT_TRUE(server) << error;
  // The summary line follows the "listening" line on stderr; give it a moment to arrive.
  std::string log = server->log();
  for (int i = 0; i < 50 && log.find(" backend;") == std::string::npos; ++i) {
    ::usleep(100'000);
    log = server->log();
  }
  EXPECT_TRUE(log.find("; cpu backend;") != std::string::npos || log.find("; cuda backend;") != std::string::npos)
      << log;

  httplib::Client c("127.0.0.1", server->port());
  c.set_read_timeout(60, 0);
  auto gen = c.Post("/v1/minimax-m1/generate", json{{"input", "Hello"}, {"max_output_tokens", 4}}.dump(),
                    "application/json");
  ASSERT_TRUE(gen);
  EXPECT_EQ(gen->status, 200) << gen->body;
  auto ask = c.Post("/v1/library/ask",
                    json{{"question", "When do parcels leave?"}, {"thinking_budget", 0}, {"max_tokens", 4}}.dump(),
                    "application/json");
  ASSERT_TRUE(ask);
  EXPECT_EQ(ask->status, 200) << ask->body;
  EXPECT_EQ(server->stop(SIGTERM), 0);
  server.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace folio::test
