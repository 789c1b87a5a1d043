// `folio serve` and clients that keep connections open (connection pools in requests, urllib3, Node):
// a request refused before its body was read (401 no key, 403 Origin, 421 Host) used to leave that body
// on the connection, where it was parsed as the next request, so the client's next call on the same
// connection (say, the retry with the right key) got 400 "malformed HTTP request".
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;

class ServerKeepAlive : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-keep-alive-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "key") << "k3y\n";
    std::string error;
    server_ = ServerProcess::start({"--api-key-file", (dir_ / "key").string()}, (dir_ / "serve.log").string(), error);
    ASSERT_TRUE(server_) << error;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  // One kept-alive client: a refused POST with a body, then an authorized GET.
  int healthAfterRefusal(const httplib::Headers& refused_headers, int expected_refusal) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_keep_alive(true);
    auto refused = c.Post("/v1/library/ask", refused_headers, R"({"question": "what is the term?"})", "application/json");
    EXPECT_TRUE(refused);
    if (refused) EXPECT_EQ(refused->status, expected_refusal);
    auto next = c.Get("/health", {{"Authorization", "Bearer k3y"}});
    return next ? next->status : -1;
  }

  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerKeepAlive, AfterAMissingOrWrongKeyTheConnectionStillWorks) {
  EXPECT_EQ(healthAfterRefusal({}, 401), 200);
  EXPECT_EQ(healthAfterRefusal({{"Authorization", "Bearer wrong"}}, 401), 200);
}

TEST_F(ServerKeepAlive, AfterAForeignOriginOrHostTheConnectionStillWorks) {
  EXPECT_EQ(healthAfterRefusal({{"Authorization", "Bearer k3y"}, {"Origin", "http://evil.example"}}, 403), 200);
  EXPECT_EQ(healthAfterRefusal({{"Authorization", "Bearer k3y"}, {"Host", "evil.example"}}, 421), 200);
}

}  // namespace
}  // namespace folio::test
