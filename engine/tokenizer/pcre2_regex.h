// A compiled PCRE2 pattern for pre-tokenization: UTF + Unicode properties (PCRE2_UCP), tolerant of
// invalid UTF-8 in the subject (PCRE2_MATCH_INVALID_UTF: invalid bytes simply never match), JIT when
// the library has it, and "hard" partial matching so that a streaming caller can tell a match that is
// final from one that more text could change.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::engine {

class Pcre2Regex {
 public:
  // Scratch for matching (match data, JIT stack); one per encode call, never shared between threads.
  class Scratch {
   public:
    explicit Scratch(const Pcre2Regex& regex);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

   private:
    friend class Pcre2Regex;
    void* match_data_ = nullptr;
    void* match_context_ = nullptr;
    void* jit_stack_ = nullptr;
  };

  enum class Outcome {
    Match,    // [start, end) is a match, final whatever text follows the subject
    Partial,  // the attempt at `start` reached the end of the subject: more text could change it
    None,     // no match and no partial match from `from` to the end
  };
  struct Found {
    Outcome outcome = Outcome::None;
    size_t start = 0;
    size_t end = 0;
  };

  // Compiles pattern (a Hugging Face Regex pattern; PCRE syntax). The error names the pattern offset.
  static Result<Pcre2Regex> compile(std::string_view pattern);
  // A pattern that matches `literal` exactly (Split's {"String": ...}).
  static Result<Pcre2Regex> literal(std::string_view literal);


  // Leftmost match at or after `from`. With `partial`, the end of `subject` is not the end of the text.
  // A matching error (PCRE2 resource limits) is reported as None: the rest of the subject is a gap.
  Found find(std::string_view subject, size_t from, bool partial, Scratch& scratch) const;

  bool usesJit() const { return jit_; }
  const std::string& pattern() const { return pattern_; }

 private:
  struct CodeDeleter {
    void operator()(void* code) const;
  };
  Pcre2Regex() = default;
  std::unique_ptr<void, CodeDeleter> code_;
  bool jit_ = false;
  std::string pattern_;
};

}  // namespace folio::engine
