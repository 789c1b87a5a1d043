// Splitting generated text into thinking and answer at <think> … </think>.
#include <gtest/gtest.h>

#include "engine/tokenizer/think_split.h"

namespace folio::engine {
namespace {

TEST(ThinkSplit, ClosedThought) {
  const ThinkingSplit s = splitThinking("<think>\nLet me check the clauses.\n</think>\n\nThe answer is 42.");
  EXPECT_TRUE(s.has_thinking);
  EXPECT_FALSE(s.thinking_open);
  EXPECT_EQ(s.thinking, "Let me check the clauses.");
  EXPECT_EQ(s.answer, "The answer is 42.");
}

TEST(ThinkSplit, NoThought) {
  const ThinkingSplit s = splitThinking("Just an answer, a < b.");
  EXPECT_FALSE(s.has_thinking);
  EXPECT_EQ(s.thinking, "");
  EXPECT_EQ(s.answer, "Just an answer, a < b.");
}

TEST(ThinkSplit, UnclosedThoughtWhileStreaming) {
  ThinkingSplit s = splitThinking("<think>\nStill going", false);
  EXPECT_TRUE(s.thinking_open);
  EXPECT_EQ(s.thinking, "Still going");
  EXPECT_EQ(s.answer, "");
  // A close tag that has only partly arrived is held back from the thought.
  s = splitThinking("<think>\nAlmost done</thi", false);
  EXPECT_TRUE(s.thinking_open);
  EXPECT_EQ(s.thinking, "Almost done");
  // Complete text keeps it: generation stopped there.
  s = splitThinking("<think>\nAlmost done</thi", true);
  EXPECT_EQ(s.thinking, "Almost done</thi");
  // An open tag that has only partly arrived is held back from the answer.
  s = splitThinking("<thi", false);
  EXPECT_FALSE(s.has_thinking);
  EXPECT_EQ(s.answer, "");
}

TEST(ThinkSplit, TextBeforeTheThought) {
  const ThinkingSplit s = splitThinking("Preface. <think>reasoning</think> Answer.");
  EXPECT_EQ(s.thinking, "reasoning");
  EXPECT_EQ(s.answer, "Preface.\n\nAnswer.");
  const ThinkingSplit blank = splitThinking("\n\n<think>r</think>A");
  EXPECT_EQ(blank.answer, "A");
}

TEST(ThinkSplit, ThoughtOpenedByThePrompt) {
  const ThinkingSplit s = splitThinking("reasoning only\n</think>\n\nAnswer.");
  EXPECT_TRUE(s.has_thinking);
  EXPECT_FALSE(s.thinking_open);
  EXPECT_EQ(s.thinking, "reasoning only");
  EXPECT_EQ(s.answer, "Answer.");
}

TEST(ThinkSplit, OnlyTheFirstThoughtCounts) {
  const ThinkingSplit s = splitThinking("<think>a</think>B <think>c</think> D");
  EXPECT_EQ(s.thinking, "a");
  EXPECT_EQ(s.answer, "B <think>c</think> D");
}

TEST(ThinkSplit, EmptyThought) {
  const ThinkingSplit s = splitThinking("<think></think>Answer");
  EXPECT_TRUE(s.has_thinking);
  EXPECT_EQ(s.thinking, "");
  EXPECT_EQ(s.answer, "Answer");
}

}  // namespace
}  // namespace folio::engine
