#include "app/cli/sigint_scope.h"

#include <signal.h>

namespace folio::cli {
namespace {

// A signal handler can only reach static storage; the flag is lock-free, so setting it is signal-safe.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

struct sigaction g_previous {};

extern "C" void onSigint(int) { g_interrupted.store(true); }

}  // namespace

SigintScope::SigintScope() {
  g_interrupted = false;
  struct sigaction sa {};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, &g_previous);
}

SigintScope::~SigintScope() { sigaction(SIGINT, &g_previous, nullptr); }

const std::atomic<bool>& SigintScope::interrupted() const { return g_interrupted; }

}  // namespace folio::cli
