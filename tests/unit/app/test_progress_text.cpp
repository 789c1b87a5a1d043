// How a summary build's progress reads: counts grouped by thousands and, once the pace is known, the
// time left at that pace.
#include <gtest/gtest.h>

#include "app/pipeline/progress_text.h"

namespace folio::app {
namespace {

SummaryProgress at(int64_t done, int64_t total, double elapsed_s, int64_t built = 0, int64_t reused = 0) {
  SummaryProgress p;
  p.done = done;
  p.total = total;
  p.built = built;
  p.reused = reused;
  p.elapsed_s = elapsed_s;
  return p;
}

TEST(ProgressText, CountsAreGroupedByThousands) {
  EXPECT_EQ(groupedCount(0), "0");
  EXPECT_EQ(groupedCount(999), "999");
  EXPECT_EQ(groupedCount(1000), "1,000");
  EXPECT_EQ(groupedCount(60001), "60,001");
  EXPECT_EQ(groupedCount(1234567), "1,234,567");
  EXPECT_EQ(groupedCount(-1500), "-1,500");
}

TEST(ProgressText, TimeLeftAtThePaceSoFar) {
  EXPECT_EQ(timeLeft(at(100, 300, 20)), "about 40 s left");    // 0.2 s a node, 200 to go
  EXPECT_EQ(timeLeft(at(100, 101, 20)), "about 5 s left");     // never "0 s"
  EXPECT_EQ(timeLeft(at(10, 370, 20)), "about 12 min left");   // 720 s
  EXPECT_EQ(timeLeft(at(1283, 60001, 900)), "about 11 h 27 min left");
}

TEST(ProgressText, NoTimeLeftBeforeThePaceIsKnownOrAfterTheEnd) {
  EXPECT_EQ(timeLeft(at(0, 100, 30)), "");
  EXPECT_EQ(timeLeft(at(50, 100, 1)), "");  // the first seconds
  EXPECT_EQ(timeLeft(at(100, 100, 30)), "");
}

TEST(ProgressText, DescribesCountsAndTimeLeft) {
  EXPECT_EQ(describeSummaryProgress(at(1283, 60001, 900, 1200, 83)),
            "1,283/60,001 (1,200 built, 83 reused, about 11 h 27 min left)");
  EXPECT_EQ(describeSummaryProgress(at(2, 10, 0.5, 2, 0)), "2/10 (2 built, 0 reused)");
}

}  // namespace
}  // namespace folio::app
