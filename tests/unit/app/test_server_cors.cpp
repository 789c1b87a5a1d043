// `folio serve --cors-origin`: what a page at that origin needs for the usual clients to work. The OpenAI
// JavaScript SDK sends its own x-stainless-* headers, so a preflight that allowed only Authorization and
// Content-Type made the browser block every call; and a page can read Retry-After from a 429 only when the
// header is exposed.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;

const std::string kOrigin = "http://app.example";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class ServerCors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-cors-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::string error;
    server_ = ServerProcess::start({"--cors-origin", kOrigin}, (dir_ / "serve.log").string(), error);
    ASSERT_TRUE(server_) << error;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerCors, PreflightAllowsTheHeadersThePageAsksFor) {
  httplib::Client c("127.0.0.1", server_->port());
  const httplib::Headers h{{"Origin", kOrigin},
                           {"Access-Control-Request-Method", "POST"},
                           {"Access-Control-Request-Headers", "authorization,content-type,x-stainless-os,x-stainless-retry-count"}};
  auto r = c.Options("/v1/chat/completions", h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), kOrigin);
  const std::string allowed = lower(r->get_header_value("Access-Control-Allow-Headers"));
  for (const char* name : {"authorization", "content-type", "x-stainless-os", "x-stainless-retry-count"})
    EXPECT_NE(allowed.find(name), std::string::npos) << name << " not in: " << allowed;
}

TEST_F(ServerCors, ResponsesExposeRetryAfter) {
  httplib::Client c("127.0.0.1", server_->port());
  auto r = c.Get("/health", {{"Origin", kOrigin}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), kOrigin);
  EXPECT_NE(lower(r->get_header_value("Access-Control-Expose-Headers")).find("retry-after"), std::string::npos);
}

}  // namespace
}  // namespace folio::test
