#include "support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace folio::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output) {
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    const int fd = output.empty() ? open("/dev/null", O_RDWR)
                                  : open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid_, pid_);  // also from here, so the group exists before the test signals it
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) kill();
}

void ChildProcess::signal(int sig) { ::kill(pid_, sig); }

int ChildProcess::wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ChildProcess::kill() {
  ::kill(-pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped_ = true;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

}  // namespace folio::test
