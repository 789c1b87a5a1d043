// The sentences extractive summaries choose from: Markdown markup stripped, headings, tables, code and
// fragments marked weak, plain prose as splitSentences gives it.
#include <gtest/gtest.h>

#include "app/pipeline/extractive_sentences.h"

namespace folio::app {
namespace {

std::vector<std::string> texts(const std::vector<Sentence>& sentences, SentenceTier tier) {
  std::vector<std::string> out;
  for (const auto& s : sentences)
    if (s.tier == tier) out.push_back(s.text);
  return out;
}

constexpr auto kProse = SentenceTier::Prose;
constexpr auto kWeak = SentenceTier::Weak;

TEST(ExtractiveSentences, StripsMarkdownMarkup) {
  EXPECT_EQ(stripMarkdown("- [x] **Fast** _search_ with `folio search`, see [the docs](a.md) or <https://x.org>."),
            "Fast search with folio search, see the docs or https://x.org.");
  EXPECT_EQ(stripMarkdown("> ![Folio logo](logo.png) ~~old~~ new __bold *inner*__ \\*literal\\*"),
            "Folio logo old new bold inner *literal*");
  EXPECT_EQ(stripMarkdown("* a list item with ``code ` tick`` and [text][ref]"), "a list item with code ` tick and text");
}

// Prose without markup keeps every character: arithmetic stars, identifiers, citations, dashes.
TEST(ExtractiveSentences, PlainProseIsUntouched) {
  const std::string text =
      "The ratio a * b is 3.5 percent of max_tokens [1]. Pay 5 * 3 = 15 units - then stop!\n"
      "See [2][3] and the __cplusplus macro (in C++20). Use snake_case_names with *args here? Price* excludes all sales tax.";
  const auto sentences = summarySentences(text);
  std::vector<std::string> all;
  for (const auto& s : sentences) all.push_back(s.text);
  EXPECT_EQ(all, splitSentences(text));
  EXPECT_TRUE(texts(sentences, kWeak).empty());
}

TEST(ExtractiveSentences, HeadingsTablesCodeAndFragmentsAreWeak) {
  const auto s = summarySentences(
      "MASTER SUPPLY AGREEMENT\n"
      "ARTICLE 6. CONFIDENTIALITY\n"
      "6.1 Confidential Information\n"
      "The Recipient shall keep the Confidential Information secret.\n"
      "10.2 Either Party may terminate this Agreement by giving\n"
      "notice in writing to the other Party.\n"
      "ARTICLE 7.\n\n"
      "## Setup\n\n| Flag | Meaning |\n|---|---|\n| `-v` | verbose |\n\n```\nmake all\n```\n");
  EXPECT_EQ(texts(s, kProse), (std::vector<std::string>{
                                 "The Recipient shall keep the Confidential Information secret.",
                                 "10.2 Either Party may terminate this Agreement by giving notice in writing to the other Party."}));
  EXPECT_EQ(texts(s, kWeak), (std::vector<std::string>{"MASTER SUPPLY AGREEMENT", "ARTICLE 6. CONFIDENTIALITY",
                                                       "6.1 Confidential Information", "ARTICLE 7.", "Setup",
                                                       "Flag, Meaning", "-v, verbose"}));
  EXPECT_EQ(texts(s, SentenceTier::Code), std::vector<std::string>{"make all"});
}

// A wrapped line that starts with capitalised defined terms in the middle of a sentence is no heading.
TEST(ExtractiveSentences, CapitalisedWrappedLineIsNotAHeading) {
  const auto s = summarySentences(
      "The Services are provided by the\n"
      "Supplier To The Customer\n"
      "under the terms of this Agreement.\n");
  EXPECT_EQ(texts(s, kProse),
            (std::vector<std::string>{"The Services are provided by the Supplier To The Customer under the terms of this Agreement."}));
}

// A PDF page ends with a blank line, even inside a sentence: "... under clause 27.5" / "is 27005
// dollars." was cut into two fragments.
TEST(ExtractiveSentences, SentenceGoesOnOverAPageBreak) {
  const auto s = summarySentences(
      "Payment is due within thirty days. The liquidated damages amount under clause 27.5\n\n"
      "is 27005 dollars.\n\nA new paragraph starts here with a capital letter.");
  EXPECT_EQ(texts(s, kProse), (std::vector<std::string>{"Payment is due within thirty days.",
                                                       "The liquidated damages amount under clause 27.5 is 27005 dollars.",
                                                       "A new paragraph starts here with a capital letter."}));
}

// A chunk that starts in the middle of a sentence (chunks overlap by whole lines) begins with its tail.
TEST(ExtractiveSentences, TailOfASentenceCutByTheChunkerIsWeak) {
  const auto s = summarySentences("random stream as the CPU sampler, so each token reads back one id.\n"
                                  "The next sentence is whole.");
  EXPECT_EQ(texts(s, kWeak), std::vector<std::string>{"random stream as the CPU sampler, so each token reads back one id."});
  EXPECT_EQ(texts(s, kProse), std::vector<std::string>{"The next sentence is whole."});
}

}  // namespace
}  // namespace folio::app
