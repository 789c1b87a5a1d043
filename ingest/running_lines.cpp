#include "ingest/running_lines.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace folio::ingest {
namespace {

constexpr size_t kZoneLines = 3;   // a page's first and last non-blank lines looked at
constexpr size_t kMinPages = 4;    // fewer pages repeat too little to tell furniture from text
constexpr size_t kMaxLineBytes = 200;
// A page of fewer lines is no typeset page with a header and a footer (a one-line page "Page 3 holds
// clause 30" is all text), and its lines are neither counted nor removed.
constexpr size_t kMinPageLines = 5;

struct Line {
  size_t begin = 0, end = 0;  // within the page, end past its '\n' (if any)
  std::string key;            // normalised; empty for a blank line
};

// Spaces collapsed, case folded, each run of digits one '#': "Page 3 of 40" and "Page 4 of 40" agree.
std::string keyOf(std::string_view line) {
  std::string key;
  bool space = false, digits = false;
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !key.empty();
      digits = false;
      continue;
    }
    if (space) key += ' ';
    space = false;
    if (std::isdigit(u)) {
      if (!digits) key += '#';
      digits = true;
      continue;
    }
    digits = false;
    key += static_cast<char>(std::tolower(u));
  }
  return key;
}

std::vector<Line> linesOf(std::string_view page) {
  std::vector<Line> lines;
  for (size_t pos = 0; pos < page.size();) {
    size_t nl = page.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? page.size() : nl + 1;
    const std::string_view text = page.substr(pos, (nl == std::string_view::npos ? page.size() : nl) - pos);
    lines.push_back({pos, end, text.size() <= kMaxLineBytes ? keyOf(text) : std::string()});
    pos = end;
  }
  return lines;
}

// Indices of a page's first and last kZoneLines non-blank lines among its first `body` lines (`top`,
// `bottom`; they may overlap).
void zones(const std::vector<Line>& lines, size_t body, std::vector<size_t>& top, std::vector<size_t>& bottom) {
  top.clear();
  bottom.clear();
  for (size_t i = 0; i < body && top.size() < kZoneLines; ++i)
    if (!lines[i].key.empty()) top.push_back(i);
  for (size_t i = body; i > 0 && bottom.size() < kZoneLines; --i)
    if (!lines[i - 1].key.empty()) bottom.push_back(i - 1);
}

}  // namespace

size_t removeRunningLines(ExtractedText& doc, const std::vector<int64_t>& body_ends) {
  const size_t pages = doc.page_starts.size();
  if (pages < kMinPages || (!body_ends.empty() && body_ends.size() != pages)) return 0;
  std::vector<std::string_view> page_text(pages);
  std::vector<std::vector<Line>> page_lines(pages);
  std::vector<size_t> body_lines(pages);  // lines of each page before its added ones
  for (size_t p = 0; p < pages; ++p) {
    const auto begin = static_cast<size_t>(doc.page_starts[p]);
    const size_t end = p + 1 < pages ? static_cast<size_t>(doc.page_starts[p + 1]) : doc.text.size();
    if (begin > end || end > doc.text.size()) return 0;  // not ascending: leave the text as it is
    page_text[p] = std::string_view(doc.text).substr(begin, end - begin);
    page_lines[p] = linesOf(page_text[p]);
    const size_t body_end = body_ends.empty() ? end : static_cast<size_t>(std::clamp<int64_t>(body_ends[p], 0, static_cast<int64_t>(end)));
    size_t n = 0;
    while (n < page_lines[p].size() && begin + page_lines[p][n].end <= body_end) ++n;
    body_lines[p] = n;
  }
  std::vector<bool> typeset(pages);
  size_t typeset_pages = 0;
  for (size_t p = 0; p < pages; ++p) {
    size_t filled = 0;
    for (size_t i = 0; i < body_lines[p]; ++i) filled += !page_lines[p][i].key.empty();
    typeset[p] = filled >= kMinPageLines;
    typeset_pages += typeset[p];
  }
  if (typeset_pages < kMinPages) return 0;
  // On how many pages each line stands in a zone.
  std::unordered_map<std::string, size_t> pages_with;
  std::vector<size_t> top, bottom;
  for (size_t p = 0; p < pages; ++p) {
    if (!typeset[p]) continue;
    const auto& lines = page_lines[p];
    zones(lines, body_lines[p], top, bottom);
    std::unordered_set<std::string_view> seen;
    for (const auto* zone : {&top, &bottom})
      for (size_t i : *zone)
        if (seen.insert(lines[i].key).second) ++pages_with[lines[i].key];
  }
  std::unordered_set<std::string> running;
  for (const auto& [key, n] : pages_with)
    if (n >= 3 && n * 2 >= typeset_pages) running.insert(key);
  if (running.empty()) return 0;
  std::string text;
  std::vector<int64_t> starts;
  text.reserve(doc.text.size());
  size_t removed = 0;
  for (size_t p = 0; p < pages; ++p) {
    const auto& lines = page_lines[p];
    zones(lines, body_lines[p], top, bottom);
    if (!typeset[p]) top.clear(), bottom.clear();
    std::vector<bool> drop(lines.size(), false);
    if (p > 0)
      for (size_t i : top) drop[i] = running.count(lines[i].key) > 0;
    for (size_t i : bottom) drop[i] = drop[i] || running.count(lines[i].key) > 0;
    starts.push_back(static_cast<int64_t>(text.size()));
    for (size_t i = 0; i < lines.size(); ++i) {
      if (drop[i]) {
        ++removed;
        continue;
      }
      text.append(page_text[p].substr(lines[i].begin, lines[i].end - lines[i].begin));
    }
  }
  doc.text = std::move(text);
  doc.page_starts = std::move(starts);
  return removed;
}

}  // namespace folio::ingest
