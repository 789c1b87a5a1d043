// A child process the test keeps running while it watches: started in its own process group, output
// to /dev/null or to a file, signalled and waited for by the test (durability tests: kill or Ctrl-C a
// `folio` command at a chosen moment).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace folio::test {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with argv; stdout and stderr go to `output` (created or truncated), or to
  // /dev/null when it is empty.
  explicit ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output = {});
  ~ChildProcess();  // SIGKILLs the group if it was never waited for
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int sig);
  // Waits for the child: its exit status, or 128 + the signal that killed it.
  int wait();
  // SIGKILLs the process group and reaps the child; true when it was still running (died of the signal).
  bool kill();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace folio::test
