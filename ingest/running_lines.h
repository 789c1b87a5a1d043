// Page furniture in PDFs: the running header and footer lines a typeset document repeats on its pages
// ("ACME Master Services Agreement — CONFIDENTIAL", "Page 3 of 40", "- 12 -", a document number).
// Left in, they sit in the middle of every clause that crosses a page, match every question about
// confidentiality, and are quoted as if the clause said them. A line is furniture when it stands in the
// first or last three lines of at least half the pages of five lines or more (4 such pages at least;
// its numbers may differ: "Page 3 of 40", "Page 4 of 40"); it is removed from those places, and page 1
// keeps its top lines (the title a cover page shows above the running header's first use). A shorter
// page is all text ("Page 3 holds clause 30 of the lease.").
#pragma once

#include <cstdint>
#include <vector>

#include "ingest/chunk.h"

namespace folio::ingest {

// Removes the running lines of `doc`'s pages in place (text and page_starts); how many lines it removed.
// `body_ends` (optional, one per page): where each page's own text ends and lines added after it (a
// PDF's comments and form fields) begin; the footer is looked for before them.
size_t removeRunningLines(ExtractedText& doc, const std::vector<int64_t>& body_ends = {});

}  // namespace folio::ingest
