#include "app/cli/summary_progress.h"

#include <algorithm>
#include <string>

namespace folio::cli {
namespace {

// 60001 -> "60,001": counts of a large collection read at a glance.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3) digits.insert(i, ",");
  return digits;
}

}  // namespace

std::string stoppedSummaries(const app::SummaryProgress& last) {
  if (last.total == 0) return "stopped before the first summary";
  return "stopped; " + grouped(last.done) + " of " + grouped(last.total) + " summaries kept";
}

void SummaryProgressPrinter::operator()(const app::SummaryProgress& p) {
  std::string line = "summarizing " + std::to_string(p.done) + "/" + std::to_string(p.total) + " (" +
                     std::to_string(p.built) + " built, " + std::to_string(p.reused) + " reused): " + p.current;
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
