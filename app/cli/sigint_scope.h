// Ctrl-C as a cancel request for a long step of a command: while a SigintScope lives, SIGINT sets a flag
// that the step polls between units of work, so it can stop where nothing is half-written.
#pragma once

#include <atomic>

namespace folio::cli {

// Installs the handler for the lifetime of the scope (scopes do not nest). SA_RESETHAND: a second
// Ctrl-C kills the process the ordinary way.
class SigintScope {
 public:
  SigintScope();
  ~SigintScope();
  SigintScope(const SigintScope&) = delete;
  SigintScope& operator=(const SigintScope&) = delete;

  // Set once SIGINT arrived while this scope was installed.
  const std::atomic<bool>& interrupted() const;
};

}  // namespace folio::cli
