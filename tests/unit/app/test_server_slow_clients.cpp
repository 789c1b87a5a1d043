// `folio serve` against clients that trickle a request (slowloris): a byte now and then keeps every single
// read inside the read timeout, so only a deadline for the whole request frees the worker thread. Each
// test trickles for far longer than that deadline and expects the server to close the connection first.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/loopback_socket.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using folio::test::connectLoopback;

// Whether the server ended the connection (EOF, reset or any answer such as 408) — the client must not
// have been able to hold it open.
bool serverEnded(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
}

// Sends `head` then pads it forever, one byte every 250 ms (far inside the 10 s read timeout), until the
// server ends the connection; false when it is still open after `give_up_s`. `answer`: what the server sent.
bool serverCutsTrickle(int port, const std::string& head, int give_up_s, std::string* answer = nullptr) {
  const int fd = connectLoopback(port);
  if (fd < 0) return false;
  bool ended = false;
  const auto deadline = Clock::now() + std::chrono::seconds(give_up_s);
  size_t sent = 0;
  while (!ended && Clock::now() < deadline) {
    const char c = sent < head.size() ? head[sent] : 'a';
    if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) ended = true;
    ++sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    ended = ended || serverEnded(fd);
  }
  char buf[512];
  const ssize_t n = ended ? ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) : 0;
  if (answer && n > 0) answer->assign(buf, static_cast<size_t>(n));
  ::close(fd);
  return ended;
}

class ServerSlowClients : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-slow-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const std::string library = (dir_ / "lib.sqlite").string();
    auto ingest = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library,
                              std::string(FOLIO_RESOURCES_DIR) + "/samples/code"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    std::string error;
    server_ = ServerProcess::start({"--library", library}, (dir_ / "serve.log").string(), error);
    ASSERT_TRUE(server_) << error;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  std::string host() const { return "Host: 127.0.0.1:" + std::to_string(server_->port()) + "\r\n"; }

  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerSlowClients, AHeaderSentAByteAtATimeIsCutOff) {
  // The header never ends: "X-Pad: aaaa…" grows by one byte per tick.
  std::string answer;
  EXPECT_TRUE(serverCutsTrickle(server_->port(), "GET /health HTTP/1.1\r\n" + host() + "X-Pad: ", 60, &answer));
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
}

TEST_F(ServerSlowClients, ABodySentAByteAtATimeIsCutOff) {
  const std::string head = "POST /v1/library/ask HTTP/1.1\r\n" + host() + "Content-Length: 100000\r\n\r\n{\"question\": \"";
  EXPECT_TRUE(serverCutsTrickle(server_->port(), head, 60));
}

}  // namespace
}  // namespace folio::test
