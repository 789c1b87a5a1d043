#define PCRE2_CODE_UNIT_WIDTH 8
#include "engine/tokenizer/pcre2_regex.h"

#include <pcre2.h>

namespace folio::engine {
namespace {

std::string pcre2Message(int code) {
  PCRE2_UCHAR buffer[256];
  const int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  return n < 0 ? "PCRE2 error " + std::to_string(code) : std::string(reinterpret_cast<char*>(buffer));
}

// Large enough for long runs of one character class (megabytes of spaces) without JIT stack errors.
constexpr size_t kJitStackMax = size_t{8} << 20;

}  // namespace

void Pcre2Regex::CodeDeleter::operator()(void* code) const { pcre2_code_free(static_cast<pcre2_code*>(code)); }

Pcre2Regex::Scratch::Scratch(const Pcre2Regex& regex) {
  auto* code = static_cast<pcre2_code*>(regex.code_.get());
  match_data_ = pcre2_match_data_create_from_pattern(code, nullptr);
  FOLIO_CHECK(match_data_ != nullptr);
  if (regex.jit_) {
    auto* context = pcre2_match_context_create(nullptr);
    auto* stack = pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr);
    FOLIO_CHECK(context != nullptr && stack != nullptr);
    pcre2_jit_stack_assign(context, nullptr, stack);
    match_context_ = context;
    jit_stack_ = stack;
  }
}

Pcre2Regex::Scratch::~Scratch() {
  pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(match_context_));
  pcre2_jit_stack_free(static_cast<pcre2_jit_stack*>(jit_stack_));
}

Result<Pcre2Regex> Pcre2Regex::compile(std::string_view pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                                   &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    return badInput("regex does not compile at offset " + std::to_string(error_offset) + ": " +
                    pcre2Message(error_code) + " (pattern " + std::string(pattern) + ")");
  }
  Pcre2Regex regex;
  regex.code_.reset(code);
  regex.pattern_ = std::string(pattern);
  regex.jit_ = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD) == 0;
  return regex;
}

Result<Pcre2Regex> Pcre2Regex::literal(std::string_view text) {
  // \Q...\E quotes everything except a literal "\E", which is spliced in as \\E.
  std::string pattern = "\\Q";
  size_t pos = 0;
  for (size_t hit; (hit = text.find("\\E", pos)) != std::string_view::npos; pos = hit + 2) {
    pattern.append(text.substr(pos, hit - pos));
    pattern.append("\\E\\\\E\\Q");
  }
  pattern.append(text.substr(pos));
  pattern.append("\\E");
  return compile(pattern);
}

Pcre2Regex::Found Pcre2Regex::find(std::string_view subject, size_t from, bool partial, Scratch& scratch) const {
  auto* data = static_cast<pcre2_match_data*>(scratch.match_data_);
  const uint32_t options = partial ? PCRE2_PARTIAL_HARD : 0;
  const int rc = pcre2_match(static_cast<pcre2_code*>(code_.get()), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), from, options, data,
                             static_cast<pcre2_match_context*>(scratch.match_context_));
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
  if (rc >= 0) return {Outcome::Match, ovector[0], ovector[1]};
  if (rc == PCRE2_ERROR_PARTIAL) return {Outcome::Partial, ovector[0], subject.size()};
  return {Outcome::None, subject.size(), subject.size()};
}

}  // namespace folio::engine
