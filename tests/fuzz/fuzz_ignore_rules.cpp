// Fuzzes the gitignore parser and matcher: the first line of the input is a path, the rest rule text.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/ignore_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the matcher is recursive in the number of '*' groups; keep inputs small
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view path = nl == std::string_view::npos ? in : in.substr(0, nl);
  const std::string_view rules = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  using namespace folio::ingest;
  const IgnoreFile file = parseIgnoreFile(rules, "base");
  for (const IgnoreRule& r : file.rules) {
    if (r.pattern.empty()) std::abort();  // the parser never keeps an empty pattern
    (void)globMatch(r.pattern, path);
  }
  (void)matchIgnoreFile(file, path, false);
  (void)matchIgnoreFile(file, std::string("base/") + std::string(path), true);
  IgnoreStack stack;
  stack.push(IgnoreStack::Source::GitIgnore, parseIgnoreFile(rules));
  (void)stack.isIgnored(path, false);
  return 0;
}
