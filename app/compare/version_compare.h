// What changed between two versions of a document — the draft sent and the one that came back, a
// Word file and the signed PDF — as a lawyer reads a comparison: each change in its clause ("5.1
// General Liability Cap: replaced "twelve (12) months" with "six (6) months""), whole clauses added,
// removed or moved, and clauses that only changed their number (a deleted clause renumbers every one
// after it) said once, not as a hundred changes. Compared word by word (version_tokens.h), so line
// breaks, page layout, typographic quotes and the file format do not count; what Folio adds itself
// (tracked-change and comment lists, PDF comments, headers and footers) is not compared.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/compare/version_tokens.h"
#include "engine/common/result.h"

namespace folio::app {

// Where one side of a change stands: its chunk (what citations and the reader open) and page/line.
struct VersionPlace {
  int64_t chunk_id = 0;
  std::string heading;        // the chunk's heading path ("8. Limitation of Liability › 8.1 Liability Caps")
  int page_first = 0, page_last = 0;
  int line = 0;               // 0: not known (a chunk over several pages)
};

enum class ChangeKind {
  Replaced,   // text deleted and other text inserted in its place
  Inserted,
  Deleted,
  ClauseAdded,
  ClauseRemoved,
  Moved,      // a passage of the old version found elsewhere in the new one (its own edits in `inner`)
};
std::string_view changeKindName(ChangeKind kind);

struct VersionChange {
  ChangeKind kind = ChangeKind::Replaced;
  std::string deleted, inserted;  // the text as written (whitespace runs as one space); a clause's whole text
  std::string before, after;      // a few words of unchanged context on each side (the new version's)
  VersionPlace old_place, new_place;  // the side a change lacks (a deletion's new side) is where it was / would be
  std::vector<VersionChange> inner;   // a moved passage's own edits
  // A version was read by OCR and the change is a letter or two, or case or spacing ("say" → "Say",
  // "to a" → "toa"): perhaps a misreading of the scan, to be checked against the page.
  bool maybe_misread = false;
};

struct Renumbering {
  std::string old_number, new_number;
  std::string heading;  // the new version's heading of that clause
};

struct VersionComparison {
  std::vector<VersionChange> changes;     // in the new version's order (removed clauses where they were)
  std::vector<Renumbering> renumbered;    // clause numbers that alone changed
  size_t old_tokens = 0, new_tokens = 0, unchanged_tokens = 0;
};

struct CompareLimits {
  size_t context_tokens = 6;    // words of context each side of a change
  size_t move_min_tokens = 12;  // a shorter deleted passage found elsewhere is not called a move
  double move_similarity = 0.8; // of its words the same, in order
};

VersionComparison compareVersions(const VersionText& old_version, const VersionText& new_version,
                                  const CompareLimits& limits = {});

// The same, for a run someone may stop (about a second for 2,000 pages): `cancel` (may be null) is looked
// at inside the alignment's loops and between the steps after it; once set, the run ends with
// ErrorKind::Cancelled and nothing of the comparison. `progress(done, total)`: the old version's tokens
// aligned so far, as the alignment (most of the time) advances.
using CompareProgressFn = std::function<void(size_t done, size_t total)>;
Result<VersionComparison> compareVersions(const VersionText& old_version, const VersionText& new_version,
                                          const std::atomic<bool>* cancel, const CompareProgressFn& progress = {},
                                          const CompareLimits& limits = {});

}  // namespace folio::app
