// The words a summary build's progress is shown in, the same on the command line and in the window:
// "1,283/60,001 (1,200 built, 83 reused, about 12 min left)". A first summary of a large collection
// with a model takes hours; how long is left is what a person watching it wants to know.
#pragma once

#include <cstdint>
#include <string>

#include "app/pipeline/summary_tree.h"

namespace folio::app {

// 60001 -> "60,001".
std::string groupedCount(int64_t n);

// At the pace so far: "about 40 s left", "about 12 min left", "about 3 h 5 min left"; "" until a few
// seconds and one node have passed, and once everything is done.
std::string timeLeft(const SummaryProgress& p);

// "1,283/60,001 (1,200 built, 83 reused, about 12 min left)" — without what is being summarized; for
// documents answered one by one, or a review's cells, "12/120 (about 3 min left)".
std::string describeSummaryProgress(const SummaryProgress& p);

}  // namespace folio::app
