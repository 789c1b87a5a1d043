// Citation markers in an answer: [3], [1, 3], [2-4] (also an en dash), and how they map to evidence.
// A number that names no evidence item is dropped and reported; ranges wider than 1000 are not
// expanded (their ends are reported as dropped).
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

nlohmann::json citationJson(const Citation& c);

}  // namespace folio::app
