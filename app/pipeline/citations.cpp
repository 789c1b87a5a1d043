#include "app/pipeline/citations.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "app/pipeline/extractive_sentences.h"
#include "ingest/source_kind.h"

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

namespace {

// Focus keys (coverageKey) with their weight: the question's words count twice the answer's.
using Focus = std::map<std::string, int>;

std::string withoutMarkers(const std::string& s) {
  std::string out;
  size_t at = 0;
  for (const auto& m : parseCitationMarkers(s)) {
    out += s.substr(at, m.offset - at);
    at = m.offset + m.length;
  }
  return out + s.substr(at);
}

// The sentences of `answer` that cite [n], without their markers. A marker that opens a sentence
// ("… 120 days. [3] The …") belongs to the one before it.
std::string sentencesCiting(std::string_view answer, int n) {
  const auto sentences = splitSentences(answer);
  std::string out;
  for (size_t i = 0; i < sentences.size(); ++i)
    for (const auto& m : parseCitationMarkers(sentences[i]))
      if (std::find(m.numbers.begin(), m.numbers.end(), n) != m.numbers.end())
        out += withoutMarkers(m.offset == 0 && i > 0 ? sentences[i - 1] : sentences[i]) + " ";
  return out;
}

// The passage's sentences (splitSentences), a one-word piece such as "10." (a heading's number cut off
// at its full stop) or "Art." joined to the sentence after it.
std::vector<std::string> quoteSentences(std::string_view passage) {
  std::vector<std::string> out;
  bool join = false;
  for (auto& s : splitSentences(passage)) {
    if (join) out.back() += " " + s;
    else out.push_back(std::move(s));
    join = out.back().find(' ') == std::string::npos;
  }
  return out;
}

// Sum of the weights of `keys` in `focus`, skipping those already `covered`.
int gain(const std::unordered_set<std::string>& keys, const Focus& focus, const std::set<std::string>& covered) {
  int g = 0;
  for (const auto& [k, w] : focus)
    if (keys.count(k) && !covered.count(k)) g += w;
  return g;
}

// The chosen sentences in document order: " " between neighbours, " … " over a gap, "…" at a cut end.
std::string render(const std::vector<std::string>& sentences, const std::vector<bool>& chosen) {
  std::string out;
  int prev = -1;
  for (int i = 0; i < static_cast<int>(sentences.size()); ++i) {
    if (!chosen[i]) continue;
    if (prev < 0) out += i > 0 ? "… " : "";
    else out += i == prev + 1 ? " " : " … ";
    out += sentences[i];
    prev = i;
  }
  if (prev >= 0 && prev + 1 < static_cast<int>(sentences.size())) out += " …";
  return out;
}

// Sentence `s` (number i of n) cut to `max_bytes` around the stretch holding most of the focus: a
// clause in a table row or code block that has no full stop.
std::string window(const std::string& s, size_t i, size_t n, const Focus& focus, size_t max_bytes) {
  const size_t room = max_bytes - 2 * std::string_view("… ").size();
  size_t best_start = 0;
  int best = -1;
  for (const auto& w : rankingWordsAt(s)) {
    if (!focus.count(coverageKey(w.word))) continue;
    // Start a little before the match, at a word, so the reader sees what leads to it.
    size_t start = w.offset > room / 4 ? w.offset - room / 4 : 0;
    if (start > 0) start = std::min(w.offset, s.find(' ', start) + 1);
    const auto keys = coverageKeys(truncateUtf8(std::string_view(s).substr(start), room));
    if (const int g = gain(keys, focus, {}); g > best) {
      best = g;
      best_start = start;
    }
  }
  std::string piece = truncateUtf8(std::string_view(s).substr(best_start), room);
  const bool cut_end = best_start + piece.size() < s.size();
  if (const size_t space = piece.rfind(' '); cut_end && space != std::string::npos && space > piece.size() / 2)
    piece.resize(space);
  return (best_start > 0 || i > 0 ? "… " : "") + piece + (cut_end || i + 1 < n ? " …" : "");
}

// The lines of a passage whose line breaks carry meaning (quotesLines): the window of whole lines
// that fits `max_bytes` and covers the most focus weight, starting up to two lines before its first
// match so the reader sees what leads to it; "…" on a line of its own where lines were left out.
std::string lineQuote(const std::string& passage, const Focus& focus, size_t max_bytes) {
  if (max_bytes < 64) return truncateUtf8(passage, max_bytes);  // no room for lines and marks
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= passage.size();) {
    size_t end = passage.find('\n', at);
    if (end == std::string::npos) end = passage.size();
    std::string_view line(passage.data() + at, end - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    lines.push_back(line);
    at = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  const size_t n = lines.size();
  std::vector<std::unordered_set<std::string>> keys;
  for (const auto line : lines) keys.push_back(coverageKeys(line));
  const size_t marks = 2 * std::string_view("…\n").size();
  // Each start's longest fitting window, scored by the distinct focus weight it covers.
  size_t best_first = 0, best_last = 0;
  int best = -1, best_offset = 0;
  int long_line = -1;  // the best is a line over max_bytes, quoted around its matches
  for (size_t first = 0; first < n; ++first) {
    size_t bytes = 0, last = first;
    std::set<std::string> covered;
    int weight = 0, first_match = -1;
    for (; last < n && bytes + lines[last].size() + 1 + marks <= max_bytes; ++last) {
      bytes += lines[last].size() + 1;
      const int g = gain(keys[last], focus, covered);
      if (g > 0 && first_match < 0) first_match = static_cast<int>(last);
      weight += g;
      for (const auto& [k, w] : focus)
        if (keys[last].count(k)) covered.insert(k);
    }
    if (last == first) {  // this line alone is too long: a window inside it competes
      if (const int g = gain(keys[first], focus, {}); g > best && g > 0) {
        best = g;
        long_line = static_cast<int>(first);
      }
      continue;
    }
    // Equal weight: the window whose first match sits nearest its third line.
    const int offset = first_match < 0 ? 0 : std::abs(first_match - static_cast<int>(first) - 2);
    if (weight > best || (weight == best && offset < best_offset)) {
      long_line = -1;
      best = weight;
      best_offset = offset;
      best_first = first;
      best_last = last;
    }
  }
  if (long_line >= 0) return window(std::string(lines[static_cast<size_t>(long_line)]), static_cast<size_t>(long_line), n, focus, max_bytes);
  if (best < 0) return window(passage, 0, 1, focus, max_bytes);  // every line is too long, none matches
  std::string out = best_first > 0 ? "…\n" : "";
  for (size_t i = best_first; i < best_last; ++i) out += std::string(lines[i]) + (i + 1 < best_last ? "\n" : "");
  if (best_last < n) out += "\n…";
  return out;
}

}  // namespace

namespace {

// A list Folio wrote one item a line, each opening with its bracketed mark: a redline's tracked changes
// ("[change 3] 8.1 … deleted …"), a Word file's comments, a PDF page's signatures and fields. Read as
// prose, its lines would run together into one sentence and be quoted from its first item.
bool isMarkedList(std::string_view text) {
  int lines = 0, marked = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty() && line.front() != '#') {
      ++lines;
      if (line.front() == '[' && line.find(']') != std::string_view::npos) ++marked;
    }
    at = end + 1;
  }
  return marked >= 2 && marked * 2 >= lines;
}

}  // namespace

bool quotesLines(const Evidence& e) {
  if (e.kind != "chunk") return false;  // summaries are prose
  if (isMarkedList(e.text)) return true;
  const auto type = ingest::classifySource(e.path);
  return type.kind == ingest::SourceKind::Code || type.kind == ingest::SourceKind::Unknown ||
         (type.kind == ingest::SourceKind::PlainText && !type.language.empty());
}

std::string openingQuote(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  const auto sentences = quoteSentences(text);
  std::vector<bool> chosen(sentences.size(), false);
  for (size_t i = 0; i < sentences.size(); ++i) {
    chosen[i] = true;
    if (render(sentences, chosen).size() > max_bytes) {
      chosen[i] = false;
      break;
    }
  }
  if (!sentences.empty() && chosen[0]) return render(sentences, chosen);
  // The first sentence alone is too long: cut at a word, marked.
  const size_t room = max_bytes > 4 ? max_bytes - std::string_view(" …").size() : 0;
  std::string piece = truncateUtf8(text, room);
  if (const size_t space = piece.rfind(' '); space != std::string::npos && space > piece.size() / 2) piece.resize(space);
  return room == 0 ? truncateUtf8(text, max_bytes) : piece + " …";
}

std::string citationQuote(const Citation& c, std::string_view question, std::string_view answer, size_t max_bytes) {
  const std::string& passage = c.source.text;
  if (passage.size() <= max_bytes) return passage;  // all of it, as written
  Focus focus;
  if (!answer.empty())
    for (const auto& w : rankingWords(sentencesCiting(answer, c.n))) focus[coverageKey(w)] = 1;
  for (const auto& w : rankingWords(question)) focus[coverageKey(w)] = 2;
  if (quotesLines(c.source)) return lineQuote(passage, focus, max_bytes);
  const auto sentences = quoteSentences(passage);
  std::vector<std::unordered_set<std::string>> keys;
  for (const auto& s : sentences) keys.push_back(coverageKeys(s));
  // Greedy cover: the sentence adding the most uncovered weight (the earlier on a tie) while it fits.
  std::vector<bool> chosen(sentences.size(), false), tried(sentences.size(), false);
  std::set<std::string> covered;
  for (;;) {
    int best = -1, best_gain = 0;
    for (size_t i = 0; i < sentences.size(); ++i)
      if (const int g = tried[i] ? 0 : gain(keys[i], focus, covered); g > best_gain) {
        best = static_cast<int>(i);
        best_gain = g;
      }
    if (best < 0) break;
    tried[best] = true;
    chosen[best] = true;
    if (render(sentences, chosen).size() <= max_bytes) {
      for (const auto& [k, w] : focus)
        if (keys[best].count(k)) covered.insert(k);
      continue;
    }
    chosen[best] = false;
    // The best sentence alone is too long: the part of it around its matches.
    const bool first = std::none_of(chosen.begin(), chosen.end(), [](bool b) { return b; });
    if (first && max_bytes >= 64) return window(sentences[best], best, sentences.size(), focus, max_bytes);
  }
  if (covered.empty()) return openingQuote(passage, max_bytes);
  // The room left goes to the text around the chosen sentences, nearest first (the sentence after
  // before the one before), each stretch growing without gaps until a sentence does not fit: what
  // leads to a clause and what qualifies it.
  const auto key = chosen;
  const int n = static_cast<int>(sentences.size());
  std::vector<int> keys_at;
  for (int i = 0; i < n; ++i)
    if (key[i]) keys_at.push_back(i);
  // Once no stretch grows, none can grow further: stop there, not after n rounds (a 1 MB outline chunk
  // of an older library holds 40,000 sentences).
  for (int d = 1, grew = 1; d < n && grew; ++d) {
    grew = 0;
    for (const int i : keys_at)
      for (const int j : {i + d, i - d}) {
        const int inner = j > i ? j - 1 : j + 1;  // the stretch reaches j only through it
        if (j < 0 || j >= n || chosen[j] || !chosen[inner]) continue;
        chosen[j] = true;
        if (render(sentences, chosen).size() > max_bytes) chosen[j] = false;
        else grew = 1;
      }
  }
  return render(sentences, chosen);
}

nlohmann::json citationJson(const Citation& c, std::string_view question, std::string_view answer) {
  auto j = evidenceJson(c.source);
  j["quote"] = citationQuote(c, question, answer, kQuoteBytes);
  return j;
}

}  // namespace folio::app
