// Noticing that a client went away while its request runs. The handler knows its connection's socket
// (ConnectionServer::connectionSocket()); a watcher thread peeks at that very socket and raises the
// request's cancel flag when the peer has closed or reset it, or when the server is stopping. The
// generator checks that flag between prefill chunks and tokens.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace folio::app::server {

// Whether the peer of a connected socket has closed or reset it (non-blocking; false for fd < 0).
// Bytes waiting to be read (a request sent ahead) are not a hang-up.
bool peerHungUp(int fd);

class ConnectionWatch {
 public:
  // Watches `fd` (may be -1: only `stopping` is watched) and raises `cancel` once. `label` names the
  // request in the log line written to stderr when a hang-up cancels it. The caller keeps `fd` open
  // until the watch is destroyed.
  ConnectionWatch(int fd, const std::atomic<bool>& stopping, std::atomic<bool>& cancel, std::string label);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;  // ends the 25 ms polling sleep at once when the request finishes
  bool done_ = false;
  std::thread thread_;
};

}  // namespace folio::app::server
