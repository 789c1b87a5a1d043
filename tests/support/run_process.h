// Runs a child process with arguments and an environment overlay, capturing stdout and stderr;
// used by tests that drive the real `folio` binary.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace folio::test {

struct ProcessResult {
  int exit_code = -1;   // exit status, or 128 + signal number when killed by a signal
  bool signaled = false;
  std::string out;
  std::string err;
};

// `env` entries are added to (or, with an empty value, removed from) the inherited environment.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_data = {});

}  // namespace folio::test
