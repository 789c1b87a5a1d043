// A section's heading on a line of its own ("4. Definitions"), found in both versions of a document:
// where that section starts in each, so that the comparison (version_compare.h) aligns around it and a
// clause that leaves the head of its section is found as moved, not the heading as deleted and added.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "app/compare/token_alignment.h"
#include "app/compare/version_tokens.h"

namespace folio::app {

// The heading line starting at token `first`: a clause number opening the line and a title without a
// sentence in it ("4. Definitions", "12.3 Fees and Costs"), not a clause ("2.1 Partner will pay …."). Its
// token range [first, last), or {first, first} when that line is none.
std::pair<size_t, size_t> headingLineAt(const VersionText& v, size_t first);

// Headings that stand once in each version (by their words: "3. Term" renumbered "2. Term" is the same
// heading, its number keyed by the word after it), those in the same order whose sections hold the most
// words: of two sections that changed places the shorter is left out, to be found as moved.
std::vector<MatchedRun> sectionHeadingsInBoth(const VersionText& old_version, const VersionText& new_version);

}  // namespace folio::app
