// Noticing that a client went away while its request runs. cpp-httplib 0.11.4 gives a handler no
// is_connection_closed(), so the connection's socket is found by its address pair (getsockname /
// getpeername over this process's descriptors) and polled for a hang-up. A watcher thread raises the
// request's cancel flag when the peer has closed or the server is stopping; the generator checks that
// flag between prefill chunks and tokens.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace folio::app::server {

// The descriptor of the TCP connection local_port ↔ remote_addr:remote_port, or -1 when not found.
int findConnectionSocket(const std::string& remote_addr, int remote_port, int local_port);

// Whether the peer of a connected socket has closed or reset it (non-blocking; false for fd < 0).
// Data waiting to be read (a pipelined request) is not a hang-up.
bool peerHungUp(int fd);

class ConnectionWatch {
 public:
  // Watches `fd` (may be -1: only `stopping` is watched) and raises `cancel` once. `label` names the
  // request in the log line written to stderr when a hang-up cancels it.
  ConnectionWatch(int fd, const std::atomic<bool>& stopping, std::atomic<bool>& cancel, std::string label);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace folio::app::server
