#include "app/pipeline/progress_text.h"

#include <cmath>

namespace folio::app {

std::string groupedCount(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3) digits.insert(i, ",");
  return digits;
}

std::string timeLeft(const SummaryProgress& p) {
  constexpr double kSettleSeconds = 3;  // the first nodes' pace (reused ones, a cold cache) misleads
  if (p.done <= 0 || p.done >= p.total || p.elapsed_s < kSettleSeconds) return {};
  const double left = p.elapsed_s / static_cast<double>(p.done) * static_cast<double>(p.total - p.done);
  if (left < 60) return "about " + std::to_string(std::max(5, static_cast<int>(std::ceil(left / 5)) * 5)) + " s left";
  const int64_t minutes = static_cast<int64_t>(std::ceil(left / 60));
  if (minutes < 90) return "about " + std::to_string(minutes) + " min left";
  return "about " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min left";
}

std::string describeSummaryProgress(const SummaryProgress& p) {
  if (p.work != SummaryProgress::Work::Summaries) {
    const std::string left = timeLeft(p);
    return groupedCount(p.done) + "/" + groupedCount(p.total) + (left.empty() ? "" : " (" + left + ")");
  }
  std::string s = groupedCount(p.done) + "/" + groupedCount(p.total) + " (" + groupedCount(p.built) + " built, " +
                  groupedCount(p.reused) + " reused";
  if (auto left = timeLeft(p); !left.empty()) s += ", " + left;
  return s + ")";
}

}  // namespace folio::app
