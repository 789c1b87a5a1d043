#include "app/server/connection_watch.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace folio::app::server {
namespace {

// The address and port of a sockaddr as text and number.
bool addressOf(const sockaddr_storage& sa, std::string& addr, int& port) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&sa);
    if (!inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) return false;
    port = ntohs(in->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa);
    if (!inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf)) return false;
    port = ntohs(in6->sin6_port);
  } else {
    return false;
  }
  addr = buf;
  return true;
}

}  // namespace

int findConnectionSocket(const std::string& remote_addr, int remote_port, int local_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  // A closed connection from the same client port may linger (CLOSE_WAIT) until its worker closes it;
  // only a match whose peer is still there counts, and an ambiguous lookup finds nothing.
  int found = -1, matches = 0;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    sockaddr_storage peer{}, local{};
    socklen_t peer_len = sizeof peer, local_len = sizeof local;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
    std::string paddr, laddr;
    int pport = 0, lport = 0;
    if (!addressOf(peer, paddr, pport) || !addressOf(local, laddr, lport)) continue;
    if (pport == remote_port && lport == local_port && paddr == remote_addr && !peerHungUp(static_cast<int>(fd))) {
      found = static_cast<int>(fd);
      ++matches;
    }
  }
  closedir(dir);
  return matches == 1 ? found : -1;
}

bool peerHungUp(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, static_cast<short>(POLLRDHUP), 0};
  if (poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

ConnectionWatch::ConnectionWatch(int fd, const std::atomic<bool>& stopping, std::atomic<bool>& cancel,
                                 std::string label) {
  thread_ = std::thread([this, fd, &stopping, &cancel, label = std::move(label)] {
    while (!done_.load()) {
      if (stopping.load()) {
        cancel.store(true);
        return;
      }
      if (peerHungUp(fd)) {
        std::fprintf(stderr, "folio serve: %s: client disconnected; cancelling\n", label.c_str());
        cancel.store(true);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  });
}

ConnectionWatch::~ConnectionWatch() {
  done_.store(true);
  if (thread_.joinable()) thread_.join();
}

}  // namespace folio::app::server
