// Pre-tokenization: the MiniMax (cl100k-style) Split pattern, GPT-2's ByteLevel regex with a prefix
// space, the Split behaviours, and streaming cuts. Expected pieces come from Python's `regex` module
// (tools/reference/bpe.py pretokenize) and the Hugging Face behaviour definitions.
#include <gtest/gtest.h>

#include "engine/tokenizer/pre_tokenizer.h"
#include "test_tokenizer_support.h"

namespace folio::engine {
namespace {

using Pieces = std::vector<std::string>;

Pieces preTokenize(const PreTokenizer& pre, std::string_view text) {
  PreTokenizer::Scratch scratch(pre);
  Pieces pieces;
  pre.run(text, false, false, scratch, [&](std::string_view p) { pieces.emplace_back(p); });
  return pieces;
}

const PreTokenizer& miniMax() {
  static const PreTokenizer pre = PreTokenizer::create(test::miniMaxPreTokenizer()).value();
  return pre;
}

PreTokenizer splitOnly(std::string pattern, SplitBehavior behavior, bool invert = false, bool regex = true) {
  PreTokenizerStep split;
  split.pattern = std::move(pattern);
  split.pattern_is_regex = regex;
  split.behavior = behavior;
  split.invert = invert;
  PreTokenizerStep byte_level;
  byte_level.kind = PreTokenizerStep::Kind::ByteLevel;
  byte_level.add_prefix_space = false;
  byte_level.use_regex = false;
  auto pre = PreTokenizer::create({{split, byte_level}});
  EXPECT_TRUE(pre.ok()) << pre.error().message;
  return std::move(pre).value();
}

TEST(PreTokenize, Contractions) {
  EXPECT_EQ(preTokenize(miniMax(), "don't I'LL we've she'd they're it'S"),
            (Pieces{"don", "'t", " I", "'LL", " we", "'ve", " she", "'d", " they", "'re", " it", "'S"}));
}

TEST(PreTokenize, NumbersInGroupsOfThree) {
  EXPECT_EQ(preTokenize(miniMax(), "12345 678 3.14159 1,000"),
            (Pieces{"123", "45", " ", "678", " ", "3", ".", "141", "59", " ", "1", ",", "000"}));
}

TEST(PreTokenize, WhitespaceRuns) {
  EXPECT_EQ(preTokenize(miniMax(), "a   b\n\n  c\t\td  "),
            (Pieces{"a", "  ", " b", "\n\n", " ", " c", "\t", "\td", "  "}));
  EXPECT_EQ(preTokenize(miniMax(), " x\r\n\r\n y"), (Pieces{" x", "\r\n\r\n", " y"}));
  EXPECT_EQ(preTokenize(miniMax(), "end.\n\nNext"), (Pieces{"end", ".\n\n", "Next"}));
}

TEST(PreTokenize, UnicodeLettersAndSymbols) {
  EXPECT_EQ(preTokenize(miniMax(), "naïve café 日本語 🎉🙂!!"), (Pieces{"naïve", " café", " 日本語", " 🎉🙂!!"}));
}

TEST(PreTokenize, InvalidUtf8BecomesItsOwnPiece) {
  // Invalid bytes never match (PCRE2_MATCH_INVALID_UTF): they are the gaps between matches.
  EXPECT_EQ(preTokenize(miniMax(), "ab\xff\xfe cd"), (Pieces{"ab", "\xff\xfe", " cd"}));
  EXPECT_EQ(preTokenize(miniMax(), "\xe2\x82"), (Pieces{"\xe2\x82"}));
}

TEST(PreTokenize, Gpt2ByteLevelWithPrefixSpace) {
  PreTokenizerStep byte_level;
  byte_level.kind = PreTokenizerStep::Kind::ByteLevel;  // defaults: add_prefix_space, use_regex
  const PreTokenizer pre = PreTokenizer::create({{byte_level}}).value();
  EXPECT_EQ(preTokenize(pre, "Hello world"), (Pieces{" Hello", " world"}));
  EXPECT_EQ(preTokenize(pre, "I've 123 apples!  ok"), (Pieces{" I", "'ve", " 123", " apples", "!", " ", " ok"}));
  EXPECT_EQ(preTokenize(pre, " already spaced"), (Pieces{" already", " spaced"}));
}

TEST(PreTokenize, SplitBehaviours) {
  const std::string text = "a--b-c";
  EXPECT_EQ(preTokenize(splitOnly("-", SplitBehavior::Removed), text), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(preTokenize(splitOnly("-", SplitBehavior::Isolated), text), (Pieces{"a", "-", "-", "b", "-", "c"}));
  EXPECT_EQ(preTokenize(splitOnly("-", SplitBehavior::MergedWithPrevious), text), (Pieces{"a-", "-", "b-", "c"}));
  EXPECT_EQ(preTokenize(splitOnly("-", SplitBehavior::MergedWithNext), text), (Pieces{"a", "-", "-b", "-c"}));
  EXPECT_EQ(preTokenize(splitOnly("-", SplitBehavior::Contiguous), text), (Pieces{"a", "--", "b", "-", "c"}));
  // invert: the matches are the pieces and what lies between them the delimiters.
  EXPECT_EQ(preTokenize(splitOnly("[a-z]", SplitBehavior::Removed, true), text), (Pieces{"a", "b", "c"}));
  // A String pattern is literal, regex characters included.
  EXPECT_EQ(preTokenize(splitOnly(".", SplitBehavior::Removed, false, false), "a.b.c"), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(preTokenize(splitOnly("\\E.", SplitBehavior::Isolated, false, false), "x\\E.y"),
            (Pieces{"x", "\\E.", "y"}));
}

// Streaming cuts at every position give the same pieces as the whole text, for every behaviour.
TEST(PreTokenize, StreamingCutsAreInvisible) {
  std::vector<std::pair<std::string, PreTokenizer>> cases;
  cases.emplace_back("minimax", PreTokenizer::create(test::miniMaxPreTokenizer()).value());
  for (auto behavior : {SplitBehavior::Removed, SplitBehavior::Isolated, SplitBehavior::MergedWithPrevious,
                        SplitBehavior::MergedWithNext, SplitBehavior::Contiguous}) {
    for (bool invert : {false, true}) {
      cases.emplace_back("split " + std::to_string(static_cast<int>(behavior)) + (invert ? " inverted" : ""),
                         splitOnly("\\s+|-", behavior, invert));
    }
  }
  PreTokenizerStep gpt2;
  gpt2.kind = PreTokenizerStep::Kind::ByteLevel;
  cases.emplace_back("gpt2 prefix", PreTokenizer::create({{gpt2}}).value());

  const std::string text = "Hello  world--it's 12345\n\n  x-y -- z\t\n end  ";
  for (const auto& [name, pre] : cases) {
    const Pieces whole = preTokenize(pre, text);
    for (size_t feed = 1; feed <= text.size(); ++feed) {
      // Feed the first `feed` bytes as "more follows", then the rest as complete text.
      PreTokenizer::Scratch scratch(pre);
      Pieces pieces;
      const auto emit = [&](std::string_view p) { pieces.emplace_back(p); };
      const size_t done = pre.run(std::string_view(text).substr(0, feed), true, false, scratch, emit);
      ASSERT_LE(done, feed);
      pre.run(std::string_view(text).substr(done), false, done > 0, scratch, emit);
      EXPECT_EQ(pieces, whole) << name << ", cut after " << feed << " bytes";
    }
  }
}

TEST(PreTokenize, RefusesUnsupportedConfigurations) {
  PreTokenizerStep bad;
  bad.pattern = "(unclosed";
  PreTokenizerStep byte_level;
  byte_level.kind = PreTokenizerStep::Kind::ByteLevel;
  auto r = PreTokenizer::create({{bad, byte_level}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not compile at offset"), std::string::npos) << r.error().message;

  auto no_byte_level = PreTokenizer::create({{PreTokenizerStep{}}});
  ASSERT_FALSE(no_byte_level.ok());
  EXPECT_NE(no_byte_level.error().message.find("ByteLevel"), std::string::npos);

  PreTokenizerStep split;
  split.pattern = "x";
  auto after = PreTokenizer::create({{byte_level, split}});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().kind, ErrorKind::Unsupported);
}

}  // namespace
}  // namespace folio::engine
