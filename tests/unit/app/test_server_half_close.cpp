// `folio serve` and a client that half-closes after its request (shutdown(SHUT_WR): nc -N, socat, scripts
// that signal "request done"): it can still read, so it gets its answer. The server used to treat the
// end of the client's sending side as a closed connection and sent nothing at all.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/loopback_socket.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;

// Sends `request`, half-closes, and reads until the server closes (or 30 s pass without a byte).
std::string askHalfClosed(int port, const std::string& request) {
  const int fd = folio::test::connectLoopback(port);
  std::string answer;
  if (fd < 0) return answer;
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return answer;
}

TEST(ServerHalfClose, AClientThatHalfClosesGetsItsAnswer) {
  const fs::path dir = fs::temp_directory_path() / ("folio-server-half-close-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string error;
  auto server = ServerProcess::start({}, (dir / "serve.log").string(), error);
  ASSERT_TRUE(server) << error;
  const std::string host = "Host: 127.0.0.1:" + std::to_string(server->port()) + "\r\n";
  const std::string answer = askHalfClosed(server->port(), "GET /health HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"status\":\"ok\""), std::string::npos) << answer;
  server.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace folio::test
