// Citation markers in an answer: [3], [1, 3], [2-4] (also an en dash), and how they map to evidence.
// A number that names no evidence item is dropped and reported; ranges wider than 1000 are not
// expanded (their ends are reported as dropped). Under each citation a reader sees a quote of the part
// of the passage that answers (citationQuote).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline/evidence.h"

namespace folio::app {

struct CitationMarker {
  size_t offset = 0, length = 0;  // of "[...]" in the text
  std::vector<int> numbers;       // as written, ranges expanded
};

std::vector<CitationMarker> parseCitationMarkers(std::string_view text);

struct Citation {
  int n = 0;
  Evidence source;
};

struct CitationMap {
  std::vector<Citation> citations;  // each valid number once, in order of first mention
  std::vector<int> dropped;         // numbers that name no evidence, each once, in order
};

CitationMap mapCitations(std::string_view text, const std::vector<Evidence>& evidence);

// At most this many bytes of a citation's quote in JSON (`folio ask --json`, the HTTP API).
inline constexpr size_t kQuoteBytes = 400;

// What a reader sees under a citation: the sentences of the cited passage that best cover the words
// of `question` (rankingWords, evidence.h) and, less, those of the sentences of `answer` that cite it,
// in document order with "…" where text was skipped; at most `max_bytes`, cut at a UTF-8 boundary (a
// best sentence longer than that is cut around its matches). The passage's beginning when nothing
// matches. A passage that quotesLines is quoted as the window of whole lines, line breaks and
// indentation kept, that covers those words best ("…" on a line of its own for lines left out). `answer` is "" for an extractive answer: its text is the passages themselves.
// The opening of `text` in at most `max_bytes`: its whole first sentences, then " …"; a first sentence
// longer than that cut at a word, then " …". What a quote shows when nothing in it matches a question,
// and what a summary report shows of each section's summary.
std::string openingQuote(std::string_view text, size_t max_bytes);

// A passage of source code, data (JSON, YAML, TOML) or other text of no known kind (a config file), or
// a list of Folio's marked lines (tracked changes, comments, signatures: "[change 3] …"), where line
// breaks carry meaning: its quote is whole lines, as written.
bool quotesLines(const Evidence& e);

std::string citationQuote(const Citation& c, std::string_view question, std::string_view answer, size_t max_bytes);

// The citation's source and its quote (citationQuote, kQuoteBytes).
nlohmann::json citationJson(const Citation& c, std::string_view question = {}, std::string_view answer = {});

}  // namespace folio::app
