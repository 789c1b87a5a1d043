// Generation pieces that need no model: stop strings across piece boundaries and the think tracker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/generation/stop_matcher.h"
#include "engine/generation/think_tracker.h"

using folio::engine::StopMatcher;
using folio::engine::ThinkTracker;

namespace {
// Pushes the pieces; returns everything emitted (plus the flush when no stop matched) and whether it stopped.
std::pair<std::string, bool> runStops(std::vector<std::string> stops, const std::vector<std::string>& pieces) {
  auto m = StopMatcher::create(std::move(stops));
  EXPECT_TRUE(m.ok());
  std::string out;
  for (const auto& p : pieces) {
    auto step = m->push(p);
    out += step.emit;
    if (step.stopped) return {out, true};
  }
  return {out + m->flush(), false};
}
}  // namespace

TEST(StopMatcher, StopInsideOnePiece) {
  EXPECT_EQ(runStops({"END"}, {"hello ", "wEND there"}), std::make_pair(std::string("hello w"), true));
}

TEST(StopMatcher, StopSpanningSeveralPieces) {
  EXPECT_EQ(runStops({"<|stop|>"}, {"ab<", "|s", "t", "op", "|>tail"}), std::make_pair(std::string("ab"), true));
}

TEST(StopMatcher, HeldBackTextIsReleasedWhenItStopsMatching) {
  auto m = StopMatcher::create({"xyz"});
  ASSERT_TRUE(m.ok());
  auto a = m->push("abx");
  EXPECT_EQ(a.emit, "ab");  // "x" could begin "xyz"
  EXPECT_EQ(m->heldBytes(), 1u);
  auto b = m->push("y!");
  EXPECT_EQ(b.emit, "xy!");
  EXPECT_FALSE(b.stopped);
  auto c = m->push("xy");
  EXPECT_EQ(c.emit, "");
  EXPECT_EQ(m->flush(), "xy");  // the stream ended: the held text is output
}

TEST(StopMatcher, EarliestOfSeveralStopsWins) {
  EXPECT_EQ(runStops({"cd", "b"}, {"abcd"}), std::make_pair(std::string("a"), true));
  EXPECT_EQ(runStops({"bcd", "cx"}, {"ab", "c", "d"}), std::make_pair(std::string("a"), true));
}

TEST(StopMatcher, NoStopsPassesEverythingThrough) {
  EXPECT_EQ(runStops({}, {"a", "b", ""}), std::make_pair(std::string("ab"), false));
}

TEST(StopMatcher, EmptyStopStringIsRefusedByName) {
  auto m = StopMatcher::create({"ok", ""});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("stop[1]"), std::string::npos);
}

TEST(ThinkTracker, PromptStateFromTheLastTag) {
  ThinkTracker t(-1, -1);
  t.resetFromText("user asks<think>");
  EXPECT_TRUE(t.inside());
  t.resetFromText("<think>a</think>answer");
  EXPECT_FALSE(t.inside());
  t.resetFromText("<think>a</think>b<think>c");
  EXPECT_TRUE(t.inside());
  t.resetFromText("no tags");
  EXPECT_FALSE(t.inside());
}

TEST(ThinkTracker, SpecialIdsAndSpelledTagsAcrossPieces) {
  ThinkTracker t(310, 311);
  EXPECT_FALSE(t.observe(5, "hi"));
  EXPECT_TRUE(t.observe(310, "<think>"));  // the opening tag belongs to the thought
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(7, "hmm"));
  EXPECT_TRUE(t.observe(311, "</think>"));  // so does the closing one
  EXPECT_FALSE(t.inside());
  EXPECT_FALSE(t.observe(9, "\nanswer"));
  // Tags spelled out in ordinary text, split over pieces.
  EXPECT_FALSE(t.observe(1, "<th"));
  EXPECT_TRUE(t.observe(2, "ink>x"));
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(3, "y</"));
  EXPECT_TRUE(t.observe(4, "think"));
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(5, ">z"));
  EXPECT_FALSE(t.inside());
  EXPECT_FALSE(t.observe(6, "tail"));
}
