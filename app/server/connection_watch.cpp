#include "app/server/connection_watch.h"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

namespace folio::app::server {

bool peerHungUp(int fd) {
  if (fd < 0) return false;
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return false;  // a request sent ahead is waiting: the client is there
  if (n == 0) return true;  // the client closed its side
  return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;  // reset (or no longer a connection)
}

ConnectionWatch::ConnectionWatch(int fd, const std::atomic<bool>& stopping, std::atomic<bool>& cancel,
                                 std::string label) {
  thread_ = std::thread([this, fd, &stopping, &cancel, label = std::move(label)] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!done_) {
      if (stopping.load()) {
        cancel.store(true);
        return;
      }
      if (peerHungUp(fd)) {
        std::fprintf(stderr, "folio serve: %s: client disconnected; cancelling\n", label.c_str());
        cancel.store(true);
        return;
      }
      wake_.wait_for(lock, std::chrono::milliseconds(25));
    }
  });
}

ConnectionWatch::~ConnectionWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace folio::app::server
