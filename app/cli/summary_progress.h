// Progress of a summary tree build on stderr for `folio summarize` and `folio ask`: one line redrawn in
// place on a terminal; otherwise about ten lines in all (and the last), not one per node — a
// collection of 20,000 files has 60,000 nodes.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "app/pipeline/summary_tree.h"

namespace folio::cli {

// What a cancelled build leaves, from its last progress report: "stopped; 1,094 of 60,001 summaries
// kept" (every node reported was stored), or "stopped before the first summary".
std::string stoppedSummaries(const app::SummaryProgress& last);

class SummaryProgressPrinter {
 public:
  SummaryProgressPrinter(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  ~SummaryProgressPrinter() { finish(); }
  SummaryProgressPrinter(const SummaryProgressPrinter&) = delete;
  SummaryProgressPrinter& operator=(const SummaryProgressPrinter&) = delete;

  void operator()(const app::SummaryProgress& p);
  // Ends the redrawn line on a terminal (before other output).
  void finish();

 private:
  std::ostream& out_;
  bool terminal_;
  bool drawn_ = false;
  int64_t next_ = 0;  // plain lines: the next `done` that prints
};

}  // namespace folio::cli
