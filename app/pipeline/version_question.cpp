#include "app/pipeline/version_question.h"

#include <algorithm>
#include <regex>
#include <unordered_set>

#include "app/compare/compared_document.h"
#include "app/compare/comparison_format.h"
#include "app/pipeline/answer.h"

namespace folio::app {
namespace {

// Words that say "the versions" or "changed", not what the question is about (by coverageKey).
const std::unordered_set<std::string>& versionWords() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> keys;
    for (const char* w : {"change", "changed", "changes", "differ", "different", "difference", "compare", "comparison",
                          "version", "versions", "draft", "drafts", "redline", "revised", "revision", "amended",
                          "amendment", "edited", "edits", "modified", "updated", "new", "newer", "old", "older",
                          "first", "second", "latest", "earlier", "later", "previous", "original", "final", "signed",
                          "between", "document", "documents", "agreement", "contract", "side", "counsel", "opposing",
                          "counterparty", "made", "make"}) {
      keys.insert(coverageKey(w));
    }
    return keys;
  }();
  return words;
}

std::string placeText(const VersionChange& c) {
  return c.old_place.heading + " " + c.new_place.heading + " " + c.deleted + " " + c.inserted + " " + c.before + " " + c.after;
}

}  // namespace

bool asksWhatChanged(std::string_view question) {
  static const std::regex kChanged(
      R"(\b(chang(e|ed|es|ing)|differ(s|ed|ent|ence|ences)?|compar(e|ed|ing|ison)|redlin(e|ed|es)|revis(ed|ion|ions)|amend(ed|ments?)|edit(ed|s)|modif(y|ied|ications?)|what'?s new|new in)\b)",
      std::regex::icase);
  return std::regex_search(question.begin(), question.end(), kChanged);
}

Result<VersionEvidence> versionEvidence(ingest::Library& lib, int64_t old_id, int64_t new_id, const std::string& question,
                                        const std::function<int64_t(const std::string&)>& count, int64_t available_tokens) {
  auto old_doc = findLibraryDocument(lib, old_id);
  if (!old_doc) return old_doc.error();
  auto new_doc = findLibraryDocument(lib, new_id);
  if (!new_doc) return new_doc.error();
  const VersionComparison comparison = compareVersions(old_doc->text, new_doc->text);
  VersionEvidence out;
  out.old_name = old_doc->name;
  out.new_name = new_doc->name;
  out.summary = comparisonSummary(comparison);
  out.differences = comparison.changes.size();
  // The question's own subject: its words that are not about versions.
  std::vector<std::string> subject;
  for (const auto& w : distinctRankingWords(question)) {
    if (!versionWords().count(coverageKey(w))) subject.push_back(w);
  }
  std::vector<size_t> order(comparison.changes.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  if (!subject.empty()) {
    std::vector<int> covered(order.size());
    for (size_t k = 0; k < order.size(); ++k) covered[k] = questionCoverage(subject, placeText(comparison.changes[k]));
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return covered[x] > covered[y]; });
    out.on_subject = static_cast<size_t>(std::count_if(covered.begin(), covered.end(), [](int c) { return c > 0; }));
  }
  int64_t used = 0;
  size_t unfit = 0;
  for (const size_t k : order) {
    const VersionChange& c = comparison.changes[k];
    const bool old_side = c.kind == ChangeKind::ClauseRemoved;
    const ComparedDocument& doc = old_side ? *old_doc : *new_doc;
    const VersionPlace& place = old_side ? c.old_place : c.new_place;
    Evidence e;
    e.n = static_cast<int>(out.evidence.size()) + 1;
    e.kind = "difference";
    e.document_id = doc.document_id;
    if (place.chunk_id) e.chunk_id = place.chunk_id;
    e.path = doc.name;
    e.heading = place.heading;
    e.page_first = place.page_first;
    e.page_last = place.page_last;
    e.line_first = e.line_last = place.line;
    e.text = changeLine(c);
    const int64_t t = count(formatEvidenceBlock(e));
    if (used + t > available_tokens) {
      ++unfit;
      continue;
    }
    used += t;
    out.evidence.push_back(std::move(e));
  }
  if (unfit > 0) {
    out.left_out.push_back({std::to_string(unfit) + (unfit == 1 ? " difference" : " differences"),
                            "beyond the evidence budget of " + std::to_string(available_tokens) + " tokens"});
  }
  if (!comparison.renumbered.empty()) {
    out.summary += " (" + std::to_string(comparison.renumbered.size()) + " renumbered clauses not listed)";
  }
  return out;
}

std::string versionAnswer(const VersionEvidence& v) {
  std::string text = std::string(kExtractiveLabel) + "\n\nComparing " + v.old_name + " (old) with " + v.new_name +
                     " (new): " + v.summary + ".\n";
  if (v.on_subject > 0) {
    text += std::to_string(v.on_subject) + " of them touch the question's subject; they come first.\n";
  }
  for (const Evidence& e : v.evidence) text += "\n[" + std::to_string(e.n) + "] " + e.text + "\n";
  return text;
}

}  // namespace folio::app
