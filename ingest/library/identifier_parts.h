// The words inside a programmer's identifier: `activeExpireCycle` → active, Expire, Cycle;
// `HTTPServer` → HTTP, Server; `utf8Decode` → utf8, Decode; `MAX_VALUE` → MAX, VALUE. Code names
// things by joining words, and a person searching a codebase asks for the words ("how do keys
// expire"). The search index (fts_cjk_tokenizer.h) and the question-coverage ranking
// (app/pipeline/evidence.h) both use this one split so that they agree on what a word is.
#pragma once

#include <string_view>
#include <vector>

namespace folio::ingest {

struct IdentifierPart {
  size_t offset = 0, size = 0;  // within the word given
};

// The parts of `word`, a run of ASCII letters, digits and '_' (anything else: no parts): split at
// '_', before an upper-case letter that follows a lower-case letter or a digit, and before the last
// of a run of upper-case letters when a lower-case letter follows it (not a plural "s": `getURLs`,
// `IDsFor`). Digits stay with the letters
// before them. Empty when the word is one part (nothing to add).
std::vector<IdentifierPart> identifierParts(std::string_view word);

}  // namespace folio::ingest
