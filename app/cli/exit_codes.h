// Exit codes of the `folio` command line, shared by every command.
#pragma once

#include "engine/common/result.h"

namespace folio::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;    // an operation failed (I/O, internal)
constexpr int kExitBadInput = 2;   // input data is malformed (model files, documents, JSON)
constexpr int kExitUsage = 64;     // the command line itself is wrong
constexpr int kExitCancelled = 130;

inline int exitCodeFor(const Error& e) {
  switch (e.kind) {
    case ErrorKind::BadInput:
    case ErrorKind::NotFound:
    case ErrorKind::Unsupported: return kExitBadInput;
    case ErrorKind::Cancelled: return kExitCancelled;
    case ErrorKind::Io:
    case ErrorKind::Internal: return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace folio::cli
