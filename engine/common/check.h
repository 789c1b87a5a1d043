// FOLIO_CHECK: internal invariants, on in release builds. Never use it on input data; input errors
// are returned as folio::Error (see result.h).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace folio::detail {
[[noreturn]] inline void checkFailed(const char* expr, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "folio: internal check failed: %s at %s:%d%s%s\n", expr, file, line, msg ? ": " : "",
               msg ? msg : "");
  std::abort();
}
}  // namespace folio::detail

#define FOLIO_CHECK(cond) \
  ((cond) ? (void)0 : ::folio::detail::checkFailed(#cond, __FILE__, __LINE__, nullptr))
#define FOLIO_CHECK_MSG(cond, msg) \
  ((cond) ? (void)0 : ::folio::detail::checkFailed(#cond, __FILE__, __LINE__, (msg)))
