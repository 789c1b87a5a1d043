// "What changed between the draft and the signed version?" asked of two documents (`folio ask --doc OLD
// --doc NEW`, two documents chosen in the desktop's scope): the answer reads the comparison of the two
// versions (app/compare/version_compare.h), one evidence item per difference — where it stands and the
// words around it, marked — not passages retrieved by the question's words, which in two versions of one
// contract are the same passages twice. A question naming a subject ("What did they change in the
// indemnity?") puts the differences touching it first.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline/evidence.h"
#include "app/pipeline/planner.h"
#include "ingest/library/library.h"

namespace folio::app {

inline constexpr const char* kModeCompareVersions = "compare versions";

// A question about what differs between versions: change(d/s), differ(ence), compare(d), redline,
// revised, amended, edited, "what's new" …
bool asksWhatChanged(std::string_view question);

struct VersionEvidence {
  std::vector<Evidence> evidence;  // one per difference, numbered from 1; those touching the subject first
  std::string old_name, new_name;
  std::string summary;             // comparisonSummary, with the renumbering
  size_t differences = 0;          // all of them, listed or not
  size_t on_subject = 0;           // differences touching the question's own words (0: it names none, or none do)
  std::vector<LeftOut> left_out;
};

// Evidence blocks (formatEvidenceBlock) while they fit `available_tokens` as counted by `count`.
Result<VersionEvidence> versionEvidence(ingest::Library& lib, int64_t old_id, int64_t new_id, const std::string& question,
                                        const std::function<int64_t(const std::string&)>& count, int64_t available_tokens);

// Without a model: the summary and the differences, each with its citation.
std::string versionAnswer(const VersionEvidence& v);

}  // namespace folio::app
