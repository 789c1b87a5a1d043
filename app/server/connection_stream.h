// One HTTP connection's socket as an httplib::Stream: reads through a buffer that lives as long as the
// connection (bytes a client sent ahead of the current request are kept for the next one), waits with
// poll() (no FD_SETSIZE limit) and applies the server's read and write timeouts. It is not writable
// once the client has reset its end (a client that only half-closed still reads its answer). A request must also arrive in full by a deadline (see
// beginRequest): the read timeout alone lets a client that sends a byte now and then hold a worker forever.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>

namespace folio::app::server {

class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int fd, int read_timeout_ms, int write_timeout_ms)
      : fd_(fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

  enum class Arrival { Request, Closed, Nothing };
  // Whether the next request begins within `timeout_ms` (buffered bytes count): Request; Closed when
  // the client closed or reset the connection instead; Nothing on timeout.
  Arrival pollRequest(int timeout_ms);

  // Starts the deadline of the next request's head and body: one read timeout from now, plus one more
  // for every kDeadlineGrantBytes that arrive (a large body at a sane rate still gets in).
  void beginRequest();
  static constexpr size_t kDeadlineGrantBytes = 64 * 1024;
  // Whether a read of the current request gave up waiting (its deadline or the read timeout).
  bool readTimedOut() const { return read_timed_out_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

 private:
  int fd_;
  // How long a read may wait now: the read timeout, cut short by the request's deadline (0 when past).
  int readWaitMs() const;

  int read_timeout_ms_, write_timeout_ms_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  size_t ungranted_bytes_ = 0;  // bytes received since the deadline was last extended
  bool read_timed_out_ = false;
  std::array<char, 4096> buffer_{};
  size_t buffered_begin_ = 0, buffered_end_ = 0;
};

// Waits up to timeout_ms for `events` on fd (EINTR retried with the time left). >0 ready, 0 timeout,
// <0 error.
int pollFor(int fd, short events, int timeout_ms);

}  // namespace folio::app::server
