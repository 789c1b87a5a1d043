// The heading-driven part shared by the legal and paper chunkers: lines are classified by a
// chunker-specific detector; each heading opens a unit that runs to the next heading; a heading
// directly followed by a deeper heading (no body of its own) is folded into that next unit.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ingest/chunk_util.h"

namespace folio::ingest {

struct Heading {
  int level = 1;          // 0 = outermost (article, schedule); deeper numbers nest inside
  std::string entry;      // the heading path entry, e.g. "10. Term and Termination" or "10.2"
  ChunkKind kind = ChunkKind::Section;
  bool inherit_kind = false;  // take the kind of the enclosing heading (clauses of a Definitions section)
  bool body_on_line = false;  // the heading line carries body text ("10.2 Either Party may ...")
  // The line is the title of the heading just above it ("THE LOANS" under "ARTICLE II"): it is added to
  // that heading's entry, with this kind, when no body came between them; else it is body text.
  bool title_of_previous = false;
};

using HeadingDetector = std::function<std::optional<Heading>(size_t line_index, std::string_view line)>;

// Units for the whole text; text before the first heading becomes a unit of `preamble_kind` with
// `preamble_path`.
std::vector<Unit> sectionUnits(const TextIndex& index, const HeadingDetector& detect, ChunkKind preamble_kind,
                               const std::vector<std::string>& preamble_path);

}  // namespace folio::ingest
