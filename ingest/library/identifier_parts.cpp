#include "ingest/library/identifier_parts.h"

namespace folio::ingest {
namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::vector<IdentifierPart> identifierParts(std::string_view word) {
  for (const char c : word)
    if (!upper(c) && !lower(c) && !digit(c) && c != '_') return {};
  std::vector<IdentifierPart> parts;
  size_t begin = 0;
  auto close = [&](size_t end) {
    if (end > begin) parts.push_back({begin, end - begin});
    begin = end;
  };
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c == '_') {
      close(i);
      begin = i + 1;
      continue;
    }
    if (i == begin || !upper(c)) continue;
    const char prev = word[i - 1];
    const bool after_lower = lower(prev) || digit(prev);                                // fooBar, utf8Decode
    // HTTPServer, but not the plural of URLs or IDsFor.
    const bool plural = i + 1 < word.size() && word[i + 1] == 's' && (i + 2 == word.size() || !lower(word[i + 2]));
    const bool ends_acronym = upper(prev) && i + 1 < word.size() && lower(word[i + 1]) && !plural;
    if (after_lower || ends_acronym) close(i);
  }
  close(word.size());
  if (parts.size() < 2) parts.clear();
  return parts;
}

}  // namespace folio::ingest
