// A `folio serve` child process for tests that talk to the server over real HTTP: started with
// --port 0, its first line of output gives the bound port; stderr goes to a log file the test can read.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace folio::test {

class ServerProcess {
 public:
  // Runs FOLIO_BINARY serve --port 0 <args...>; waits up to `timeout_s` for the "listening on" line.
  // Returns null (and fills `error`) when the server exits or says nothing in time.
  static std::unique_ptr<ServerProcess> start(const std::vector<std::string>& args, const std::string& log_path,
                                              std::string& error, int timeout_s = 60);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits up to `timeout_s` (then SIGKILL); the exit code, or 128 + signal.
  int stop(int sig, int timeout_s = 30);
  bool running() const { return pid_ > 0; }
  std::string log() const;  // stderr so far

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// VmRSS of a process in KiB (from /proc/<pid>/status); -1 when unreadable.
long vmRssKiB(pid_t pid);

}  // namespace folio::test
