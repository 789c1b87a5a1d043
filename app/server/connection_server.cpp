#include "app/server/connection_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "app/server/connection_stream.h"

namespace folio::app::server {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStopCheckMs = 100;  // how often a waiting connection looks at the stopping server
constexpr int kLingerMs = 200;     // how long a server-initiated close waits for the client's FIN

int toMs(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

// Ends a connection. When the client did not announce the close, FIN goes first and what the client still
// sends is read and dropped until it closes too (or kLingerMs pass), so the kernel never closes a socket
// with unread bytes — that would send a reset and could destroy the response still on its way.
void closeConnection(int fd, bool client_closes) {
  if (!client_closes && ::shutdown(fd, SHUT_WR) == 0) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(kLingerMs);
    char sink[4096];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || pollFor(fd, POLLIN, static_cast<int>(left)) <= 0) break;
      if (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) <= 0) break;  // EOF, reset or nothing after all
    }
  }
  ::close(fd);
}

}  // namespace

int ConnectionServer::connectionSocket() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = serving_.find(std::this_thread::get_id());
  return it == serving_.end() ? -1 : it->second.fd;
}

bool ConnectionServer::requestTimedOut() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = serving_.find(std::this_thread::get_id());
  return it != serving_.end() && it->second.stream->readTimedOut();
}

void ConnectionServer::closeAfterResponse() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = serving_.find(std::this_thread::get_id());
  if (it != serving_.end()) it->second.close_after_response = true;
}

bool ConnectionServer::takeCloseAfterResponse() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = serving_.find(std::this_thread::get_id());
  if (it == serving_.end()) return false;
  return std::exchange(it->second.close_after_response, false);
}

bool ConnectionServer::setListenBacklog(int backlog) {
  const socket_t sock = svr_sock_;
  return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;  // listen() again only resizes the queue
}

bool ConnectionServer::awaitRequest(ConnectionStream& stream, int timeout_ms) const {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (svr_sock_ == INVALID_SOCKET) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    switch (stream.pollRequest(static_cast<int>(std::min<int64_t>(left, kStopCheckMs)))) {
      case ConnectionStream::Arrival::Request: return true;
      case ConnectionStream::Arrival::Closed: return false;
      case ConnectionStream::Arrival::Nothing: break;
    }
  }
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  ConnectionStream stream(sock, toMs(read_timeout_sec_, read_timeout_usec_), toMs(write_timeout_sec_, write_timeout_usec_));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    serving_[std::this_thread::get_id()] = {sock, &stream};
  }
  bool ok = false, client_closes = false;
  int wait_ms = toMs(read_timeout_sec_, read_timeout_usec_);  // the first request: the read timeout
  for (size_t left = keep_alive_max_count_; left > 0; --left) {
    if (!awaitRequest(stream, wait_ms)) {
      client_closes = true;  // nothing is in flight towards the client; a plain close is right
      break;
    }
    stream.beginRequest();
    ok = process_request(stream, left == 1, client_closes, nullptr);
    // After a timed-out read what the client sends next is the rest of a request, not a new one.
    if (takeCloseAfterResponse() || !ok || client_closes || stream.readTimedOut()) break;
    wait_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    serving_.erase(std::this_thread::get_id());
  }
  closeConnection(sock, client_closes);
  return ok;
}

}  // namespace folio::app::server
