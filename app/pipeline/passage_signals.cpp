#include "app/pipeline/passage_signals.h"

#include <algorithm>
#include <cmath>

#include "app/pipeline/evidence.h"
#include "engine/common/ascii_case.h"
#include "ingest/chunk_util.h"
#include "ingest/library/search.h"

namespace folio::app {

Result<WordCounts> wordChunkCounts(ingest::Database& db, const std::vector<std::string>& words) {
  // The newest chunk's id stands for the count: count(*) reads the whole table.
  auto newest = db.queryInt("SELECT coalesce(max(id), 0) FROM chunks");
  if (!newest) return newest.error();
  auto count = db.prepare("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?1");
  if (!count) return count.error();
  WordCounts out;
  out.chunks = std::max<int64_t>(*newest, 1);
  for (const auto& w : words) {
    const std::string expr = ingest::ftsExpression(ingest::parseQuery(w), false);
    int64_t df = 0;
    if (!expr.empty()) {
      count->reset();
      count->bind(1, expr);
      auto row = count->step();
      if (!row) return row.error();
      if (*row) df = count->columnInt64(0);
    }
    out.holding.push_back(df);
  }
  return out;
}

double wordWeight(const WordCounts& counts, size_t i) {
  return std::log(1.0 + static_cast<double>(counts.chunks) / static_cast<double>(std::max<int64_t>(counts.holding[i], 1)));
}

Result<std::vector<double>> wordWeights(ingest::Database& db, const std::vector<std::string>& words) {
  auto counts = wordChunkCounts(db, words);
  if (!counts) return counts.error();
  std::vector<double> weights;
  for (size_t i = 0; i < words.size(); ++i) weights.push_back(wordWeight(*counts, i));
  return weights;
}

namespace {

std::unordered_set<std::string> wordKeys(std::string_view part) {
  std::string words(part);
  for (char& c : words)
    if (c == '/' || c == '\\' || c == '.' || c == '_' || c == '-') c = ' ';
  return coverageKeys(words);
}

}  // namespace

PathKeys pathCoverageKeys(std::string_view rel_path) {
  const size_t slash = rel_path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? rel_path : rel_path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  PathKeys keys;
  keys.name = wordKeys(name);
  if (slash != std::string_view::npos) keys.folders = wordKeys(rel_path.substr(0, slash));
  return keys;
}

namespace {

// A title line: 1..12 words, more than half of them capitalised ("MASTER SERVICES AGREEMENT", "Terms of
// Service"), holding no sentence's end and not ending as a clause's lead-in does.
bool titleLike(std::string_view line) {
  if (line.size() < 3 || line.size() > 100) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || line.find(". ") != std::string_view::npos) return false;
  const ingest::WordCase c = ingest::wordCase(line);
  return c.words >= 1 && c.words <= 12 && c.capitalised * 2 >= c.words + (c.words > 1 ? 1 : 0);
}

}  // namespace

std::string documentTitle(std::string_view recorded_title, std::string_view kind, std::string_view first_chunk_text) {
  if (!recorded_title.empty()) return std::string(recorded_title);
  if (kind == "code") return {};  // a source file opens with a licence or an include, never its title
  size_t start = first_chunk_text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  std::string_view line = first_chunk_text.substr(start, first_chunk_text.find('\n', start) - start);
  while (!line.empty() && line.front() == '#') line.remove_prefix(1);
  while (!line.empty() && (line.front() == ' ' || line.back() == ' ' || line.back() == '\r')) {
    if (line.front() == ' ') line.remove_prefix(1);
    else line.remove_suffix(1);
  }
  return titleLike(line) ? std::string(line) : std::string();
}

void addTitleKeys(PathKeys& keys, std::string_view title) {
  for (auto& k : coverageKeys(title)) keys.name.insert(std::move(k));
}

bool isTestPath(std::string_view rel_path) {
  size_t start = 0;
  for (;;) {
    const size_t slash = rel_path.find('/', start);
    const std::string_view part = rel_path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (slash == std::string_view::npos) {  // the file's name
      const std::string_view stem = part.substr(0, part.find('.'));
      const std::string low = lowerAscii(stem);
      return low.starts_with("test_") || low.ends_with("_test") || low.ends_with("_tests") || low.ends_with("_spec") ||
             part.find(".test.") != std::string_view::npos || part.find(".spec.") != std::string_view::npos ||
             stem.ends_with("Test") || stem.ends_with("Tests");
    }
    const std::string dir = lowerAscii(part);
    if (dir == "test" || dir == "tests" || dir == "testing" || dir == "spec" || dir == "specs" || dir == "__tests__")
      return true;
    start = slash + 1;
  }
}

bool isDataDocument(std::string_view kind, std::string_view language) {
  return kind == "text" && (language == "json" || language == "yaml" || language == "toml");
}

bool asksAboutData(const std::vector<std::string>& question_words) {
  return std::any_of(question_words.begin(), question_words.end(), [](const std::string& w) {
    return w == "json" || w == "yaml" || w == "yml" || w == "toml" || w == "schema" || w == "schemas";
  });
}

bool asksAboutTests(const std::vector<std::string>& question_words) {
  return std::any_of(question_words.begin(), question_words.end(), [](const std::string& w) {
    return w == "test" || w == "tests" || w == "tested" || w == "testing" || w == "spec" || w == "specs";
  });
}

}  // namespace folio::app
