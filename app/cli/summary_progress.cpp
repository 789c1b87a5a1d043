#include "app/cli/summary_progress.h"

#include <algorithm>
#include <string>

#include "app/pipeline/progress_text.h"

namespace folio::cli {
std::string stoppedSummaries(const app::SummaryProgress& last) {
  if (last.work == app::SummaryProgress::Work::DocumentAnswers)
    return "stopped after " + app::groupedCount(last.done) + " of " + app::groupedCount(last.total) +
           " documents";
  if (last.work == app::SummaryProgress::Work::ReviewCells)
    return "stopped after " + app::groupedCount(last.done) + " of " + app::groupedCount(last.total) + " cells";
  if (last.total == 0) return "stopped before the first summary";
  return "stopped; " + app::groupedCount(last.done) + " of " + app::groupedCount(last.total) + " summaries kept";
}

void SummaryProgressPrinter::operator()(const app::SummaryProgress& p) {
  const char* what = p.work == app::SummaryProgress::Work::DocumentAnswers ? "asking each document "
                     : p.work == app::SummaryProgress::Work::ReviewCells   ? "reviewing "
                                                                           : "summarizing ";
  std::string line = what + app::describeSummaryProgress(p) + ": " + p.current;
  if (terminal_) {
    if (line.size() > 100) line = line.substr(0, 97) + "...";  // bytes; a cut UTF-8 tail is only cosmetic
    out_ << "\r" << line << std::string(100 - std::min<size_t>(100, line.size()), ' ') << std::flush;
    drawn_ = true;
    return;
  }
  if (p.done < next_ && p.done < p.total) return;
  next_ = p.done + std::max<int64_t>(1, p.total / 10);
  out_ << line << "\n";
}

void SummaryProgressPrinter::finish() {
  if (terminal_ && drawn_) out_ << "\r" << std::string(100, ' ') << "\r" << std::flush;
  drawn_ = false;
}

}  // namespace folio::cli
