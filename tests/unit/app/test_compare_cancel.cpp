// Stopping a version comparison (app/compare/version_compare.h) inside its alignment: a large generated
// pair whose text repeats itself (the slowest path: repeated-sequence anchors), stopped at the first
// progress report, returns Cancelled without a partial report and without aligning the rest; Ctrl-C
// (the SigintScope `folio compare` installs) does the same; a flag never raised changes nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <random>

#include "app/cli/sigint_scope.h"
#include "app/compare/version_compare.h"
#include "app/compare/version_tokens.h"

namespace folio::app {
namespace {

// `copies` copies of the same `clauses` clauses of random words (each word of a 3,000-word vocabulary:
// no word or short sequence is unique), the new version with a word changed in every 7th clause.
struct Pair {
  VersionText old_version, new_version;
};
Pair repeatedPair(int clauses, int copies) {
  std::mt19937 rng(5);
  std::vector<std::string> bodies;
  for (int c = 0; c < clauses; ++c) {
    std::string body;
    for (int w = 0; w < 40; ++w) {
      body += 'w';  // not "w" + …: GCC 12 warns of a false overlap (-Wrestrict)
      body += std::to_string(rng() % 3000) + (w % 13 == 12 ? ". " : " ");
    }
    bodies.push_back(body);
  }
  std::vector<ingest::StoredChunk> a, b;
  int64_t id = 1;
  for (int copy = 0; copy < copies; ++copy) {
    for (int c = 0; c < clauses; ++c) {
      ingest::StoredChunk chunk;
      chunk.heading = "Schedule " + std::to_string(copy + 1) + " › " + std::to_string(c + 1) + ". Item";
      chunk.text = std::to_string(c + 1) + ". Item\n\n" + bodies[c];
      chunk.id = id++;
      a.push_back(chunk);
      if ((copy * clauses + c) % 7 == 3) chunk.text.replace(chunk.text.find(' ', 20), 1, " changed ");
      chunk.id = id++;
      b.push_back(chunk);
    }
  }
  return {tokenizeVersion(std::move(a)), tokenizeVersion(std::move(b))};
}

TEST(CompareCancel, AFlagRaisedDuringTheAlignmentStopsItThere) {
  const Pair p = repeatedPair(400, 12);  // some 200,000 words a side
  std::atomic<bool> cancel{false};
  size_t reports = 0, furthest = 0, total = 0;
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point raised;
  auto c = compareVersions(p.old_version, p.new_version, &cancel, [&](size_t done, size_t all) {
    ++reports;
    furthest = std::max(furthest, done);
    total = all;
    if (!cancel) raised = std::chrono::steady_clock::now();
    cancel = true;
  });
  const auto end = std::chrono::steady_clock::now();
  ASSERT_FALSE(c) << "a cancelled comparison must not report";
  EXPECT_EQ(c.error().kind, ErrorKind::Cancelled);
  ASSERT_GE(reports, 1u) << "the alignment reports its progress";
  ASSERT_GT(total, 100000u);
  // Stopped inside the alignment: it went no further than a few steps past the report that raised it.
  EXPECT_LT(furthest, total / 2) << reports << " reports";
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("cancelled %.1f ms after the flag (%.1f ms in all), %zu reports, %zu of %zu tokens aligned\n",
              ms(end - raised), ms(end - start), reports, furthest, total);
}

TEST(CompareCancel, CtrlCStopsItAsFolioCompareDoes) {
  const Pair p = repeatedPair(200, 6);
  cli::SigintScope sigint;
  auto c = compareVersions(p.old_version, p.new_version, &sigint.interrupted(),
                           [](size_t, size_t) { std::raise(SIGINT); });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::Cancelled);
}

TEST(CompareCancel, AFlagNeverRaisedChangesNothing) {
  const Pair p = repeatedPair(60, 4);
  std::atomic<bool> cancel{false};
  size_t last = 0, total = 0;
  auto c = compareVersions(p.old_version, p.new_version, &cancel, [&](size_t done, size_t all) {
    EXPECT_GE(done, last);  // progress only grows
    last = done;
    total = all;
  });
  ASSERT_TRUE(c) << c.error().message;
  const VersionComparison plain = compareVersions(p.old_version, p.new_version);
  EXPECT_EQ(c->changes.size(), plain.changes.size());
  EXPECT_EQ(c->unchanged_tokens, plain.unchanged_tokens);
  EXPECT_GT(c->changes.size(), 20u);
  EXPECT_EQ(total, p.old_version.tokens.size());
  EXPECT_GT(last, total * 9 / 10);  // reported to (near) the end
  cancel = true;  // raised before it starts: nothing is compared
  auto none = compareVersions(p.old_version, p.new_version, &cancel);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::Cancelled);
}

}  // namespace
}  // namespace folio::app
