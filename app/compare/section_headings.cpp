#include "app/compare/section_headings.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace folio::app {

std::pair<size_t, size_t> headingLineAt(const VersionText& v, size_t first) {
  constexpr size_t kMaxTitle = 16;  // tokens: a title, not a paragraph
  if (!v.tokens[first].clause_start) return {first, first};
  const auto endsSentence = [&v](size_t i) {
    const std::string_view t = tokenText(v, i);
    return t == "." || t == ";" || t == "?" || t == "!" || t == ":";
  };
  size_t last = first + 1;
  if (last < v.tokens.size() && tokenText(v, last) == ".") ++last;  // "4." is "4" and "."
  while (last < v.tokens.size() && v.tokens[last].chunk == v.tokens[first].chunk && !startsLine(v, last)) {
    if (endsSentence(last) || last - first > kMaxTitle) return {first, first};
    ++last;
  }
  return {first, last};
}

std::vector<MatchedRun> sectionHeadingsInBoth(const VersionText& va, const VersionText& vb) {
  struct Seen {
    uint32_t in_a = 0, in_b = 0;
    size_t at_a = 0, at_b = 0, length = 0, words = 0;  // words: of its sections, both sides
  };
  std::unordered_map<uint64_t, Seen> seen;
  // f(line's hash, first token, tokens, tokens to the next heading or the end)
  auto each = [](const VersionText& v, auto&& f) {
    std::vector<std::pair<size_t, size_t>> lines;
    for (size_t i = 0; i < v.tokens.size(); ++i) {
      if (!v.tokens[i].clause_start || !startsLine(v, i)) continue;
      const auto line = headingLineAt(v, i);
      if (line.second > line.first) lines.push_back(line);
    }
    for (size_t n = 0; n < lines.size(); ++n) {
      const auto [first, last] = lines[n];
      uint64_t h = 0x9E3779B97F4A7C15ull;
      for (size_t k = first; k < last; ++k) h = (h ^ v.tokens[k].key) * 0x100000001B3ull + (h >> 29);
      f(h, first, last - first, (n + 1 < lines.size() ? lines[n + 1].first : v.tokens.size()) - first);
    }
  };
  each(va, [&](uint64_t h, size_t at, size_t n, size_t section) {
    Seen& s = seen[h];
    ++s.in_a, s.at_a = at, s.length = n, s.words = section;
  });
  each(vb, [&](uint64_t h, size_t at, size_t n, size_t section) {
    auto it = seen.find(h);
    if (it != seen.end() && it->second.length == n) ++it->second.in_b, it->second.at_b = at, it->second.words += section;
  });
  const auto same = [&](const Seen& s) {
    for (size_t k = 0; k < s.length; ++k)
      if (va.tokens[s.at_a + k].key != vb.tokens[s.at_b + k].key) return false;
    return true;
  };
  std::vector<std::pair<MatchedRun, size_t>> candidates;
  for (const auto& [h, s] : seen) {
    if (s.in_a == 1 && s.in_b == 1 && same(s)) candidates.push_back({{s.at_a, s.at_b, s.length}, s.words});
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) { return x.first.a < y.first.a; });
  std::vector<MatchedRun> runs;
  std::vector<size_t> weights;
  for (const auto& [run, words] : candidates) runs.push_back(run), weights.push_back(words);
  return inSameOrder(runs, weights);
}

}  // namespace folio::app
