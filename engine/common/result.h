// Result<T>: the value of an operation on untrusted input, or an Error whose message names the
// file/field/offset and what is wrong. Used wherever bytes from outside the process are read.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <variant>

#include "engine/common/check.h"

namespace folio {

// What kind of failure; the command line maps kinds to exit codes (BadInput -> 2).
enum class ErrorKind { BadInput, NotFound, Io, Unsupported, Cancelled, Internal };

struct Error {
  ErrorKind kind = ErrorKind::BadInput;
  std::string message;

  // Prepends context ("model.safetensors: " + message) while keeping the kind.
  Error context(const std::string& where) const { return Error{kind, where + ": " + message}; }
};

inline Error badInput(std::string message) { return Error{ErrorKind::BadInput, std::move(message)}; }
inline Error ioError(std::string message) { return Error{ErrorKind::Io, std::move(message)}; }
inline Error notFound(std::string message) { return Error{ErrorKind::NotFound, std::move(message)}; }
inline Error cancelled(std::string message = "cancelled") { return Error{ErrorKind::Cancelled, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { FOLIO_CHECK_MSG(ok(), error_unchecked().message.c_str()); return std::get<0>(v_); }
  const T& value() const& { FOLIO_CHECK_MSG(ok(), error_unchecked().message.c_str()); return std::get<0>(v_); }
  T&& value() && { FOLIO_CHECK_MSG(ok(), error_unchecked().message.c_str()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { FOLIO_CHECK(!ok()); return std::get<1>(v_); }

 private:
  const Error& error_unchecked() const {
    static const Error none{};
    return ok() ? none : std::get<1>(v_);
  }
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { FOLIO_CHECK(failed_); return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace folio

// Propagates an error from an expression of type Result<U>/Status to the caller.
#define FOLIO_TRY(expr)                                   \
  do {                                                    \
    auto folio_try_result_ = (expr);                      \
    if (!folio_try_result_.ok()) return folio_try_result_.error(); \
  } while (0)
