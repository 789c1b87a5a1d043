#include "app/pipeline/citations.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace folio::app {
namespace {

constexpr int kMaxRange = 1000;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Parses "12" at text[i]; advances i. Numbers past 9 digits are not citations.
std::optional<int> number(std::string_view t, size_t& i) {
  size_t j = i;
  while (j < t.size() && isDigit(t[j])) ++j;
  if (j == i || j - i > 9) return std::nullopt;
  int v = 0;
  for (size_t k = i; k < j; ++k) v = v * 10 + (t[k] - '0');
  i = j;
  return v;
}

void spaces(std::string_view t, size_t& i) {
  while (i < t.size() && t[i] == ' ') ++i;
}

// A dash between numbers: '-', or the en dash U+2013 (E2 80 93).
bool dash(std::string_view t, size_t& i) {
  if (i < t.size() && t[i] == '-') {
    ++i;
    return true;
  }
  if (t.substr(i, 3) == "\xE2\x80\x93") {
    i += 3;
    return true;
  }
  return false;
}

// The marker starting at '[' at `open`, or nothing when the brackets hold something else.
std::optional<CitationMarker> marker(std::string_view t, size_t open) {
  CitationMarker m;
  m.offset = open;
  size_t i = open + 1;
  for (;;) {
    spaces(t, i);
    auto a = number(t, i);
    if (!a) return std::nullopt;
    spaces(t, i);
    size_t before = i;
    if (dash(t, i)) {
      spaces(t, i);
      auto b = number(t, i);
      if (!b) return std::nullopt;
      if (*b >= *a && *b - *a <= kMaxRange) {
        for (int n = *a; n <= *b; ++n) m.numbers.push_back(n);
      } else {
        m.numbers.push_back(*a);
        m.numbers.push_back(*b);
      }
    } else {
      i = before;
      m.numbers.push_back(*a);
    }
    spaces(t, i);
    if (i < t.size() && t[i] == ',') {
      ++i;
      continue;
    }
    if (i < t.size() && t[i] == ']') {
      m.length = i + 1 - open;
      return m;
    }
    return std::nullopt;
  }
}

}  // namespace

std::vector<CitationMarker> parseCitationMarkers(std::string_view text) {
  std::vector<CitationMarker> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '[') continue;
    if (auto m = marker(text, i)) {
      i += m->length - 1;
      out.push_back(std::move(*m));
    }
  }
  return out;
}

CitationMap mapCitations(std::string_view text, const std::vector<Evidence>& evidence) {
  CitationMap map;
  for (const auto& m : parseCitationMarkers(text)) {
    for (int n : m.numbers) {
      const auto it = std::find_if(evidence.begin(), evidence.end(), [n](const Evidence& e) { return e.n == n; });
      if (it == evidence.end()) {
        if (std::find(map.dropped.begin(), map.dropped.end(), n) == map.dropped.end()) map.dropped.push_back(n);
        continue;
      }
      const bool seen = std::any_of(map.citations.begin(), map.citations.end(), [n](const Citation& c) { return c.n == n; });
      if (!seen) map.citations.push_back({n, *it});
    }
  }
  return map;
}

nlohmann::json citationJson(const Citation& c) {
  auto j = evidenceJson(c.source);
  j["quote"] = truncateUtf8(c.source.text, 400);
  return j;
}

}  // namespace folio::app
