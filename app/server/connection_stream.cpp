#include "app/server/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace folio::app::server {
namespace {

using Clock = std::chrono::steady_clock;

// The address and port of a sockaddr as text and number ("" and -1 when it is neither IPv4 nor IPv6).
void addressOf(const sockaddr_storage& sa, std::string& ip, int& port) {
  char buf[INET6_ADDRSTRLEN] = {};
  ip.clear();
  port = -1;
  if (sa.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&sa);
    if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) ip = buf;
    port = ntohs(in->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf)) ip = buf;
    port = ntohs(in6->sin6_port);
  }
}

// The peer's (or our own) address of a socket.
void endpointOf(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  if (rc != 0) sa.ss_family = AF_UNSPEC;
  addressOf(sa, ip, port);
}

}  // namespace

int pollFor(int fd, short events, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left)));
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

ConnectionStream::Arrival ConnectionStream::pollRequest(int timeout_ms) {
  if (buffered_begin_ < buffered_end_) return Arrival::Request;
  const int ready = pollFor(fd_, POLLIN, timeout_ms);
  if (ready == 0) return Arrival::Nothing;
  if (ready < 0) return Arrival::Closed;
  char probe;
  const ssize_t n = ::recv(fd_, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return Arrival::Request;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return Arrival::Nothing;
  return Arrival::Closed;  // 0: end of stream; otherwise reset or error
}

void ConnectionStream::beginRequest() {
  deadline_ = Clock::now() + std::chrono::milliseconds(read_timeout_ms_);
  ungranted_bytes_ = 0;
  read_timed_out_ = false;
}

int ConnectionStream::readWaitMs() const {
  if (deadline_ == Clock::time_point::max()) return read_timeout_ms_;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, read_timeout_ms_));
}

bool ConnectionStream::is_readable() const {
  return buffered_begin_ < buffered_end_ || pollFor(fd_, POLLIN, readWaitMs()) > 0;
}

bool ConnectionStream::is_writable() const {
  if (pollFor(fd_, POLLOUT, write_timeout_ms_) <= 0) return false;
  // A client that reset its end is not written to (a peek does not consume). One that only ended its
  // sending side (end of stream, 0) may still be reading — a half-close after the request — so it is
  // written to; if it closed fully, the write draws a reset and the next one fails.
  char probe;
  const ssize_t n = ::recv(fd_, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (buffered_begin_ == buffered_end_) {
    const int wait_ms = readWaitMs();
    const int ready = wait_ms <= 0 ? 0 : pollFor(fd_, POLLIN, wait_ms);
    if (ready == 0) read_timed_out_ = true;
    if (ready <= 0) return -1;
    ssize_t n;
    do {
      n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    ungranted_bytes_ += static_cast<size_t>(n);
    for (; ungranted_bytes_ >= kDeadlineGrantBytes && deadline_ != Clock::time_point::max();
         ungranted_bytes_ -= kDeadlineGrantBytes)
      deadline_ += std::chrono::milliseconds(read_timeout_ms_);
    buffered_begin_ = 0;
    buffered_end_ = static_cast<size_t>(n);
  }
  const size_t take = std::min(size, buffered_end_ - buffered_begin_);
  std::memcpy(ptr, buffer_.data() + buffered_begin_, take);
  buffered_begin_ += take;
  return static_cast<ssize_t>(take);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const { endpointOf(fd_, true, ip, port); }

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const { endpointOf(fd_, false, ip, port); }

}  // namespace folio::app::server
