// A question naming a clause ("clause 184.5", "section 7", "5.5") ranks the chunk holding that number
// first among chunks of look-alike numbers; number-only and stop-word-only questions still rank.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "ingest/library/library.h"
#include "unit/app/rank_test_library.h"

namespace folio::app {
namespace {

class RankClauseNumbers : public ::testing::Test {
 protected:
  // One document of these chunks; all of the library's documents.
  std::vector<ingest::DocumentRecord> contract(const std::vector<std::string>& texts) {
    std::vector<ingest::Chunk> chunks;
    for (const auto& t : texts) chunks.push_back(ingest::test::makeChunk(t));
    rank_.add("msa.txt", "text", chunks);
    return *rank_.lib->documents();
  }

  std::string first(const std::string& question, const std::vector<ingest::DocumentRecord>& docs) {
    auto r = rankChunks(*rank_.lib, question, docs, 10);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front().chunk.text : std::string();
  }

  test::RankTestLibrary rank_;
};

TEST_F(RankClauseNumbers, AClauseOfALongContractRanksFirstAmongLookAlikes) {
  // Look-alikes say "clause" and "184" more often (BM25 favours them); only one holds 184.5.
  const std::string target =
      "184.5 The Customer shall pay each undisputed invoice within thirty (30) days of receipt, by bank transfer "
      "to the account the Supplier names in writing, without set-off or deduction of any kind.";
  std::vector<std::string> texts;
  for (int i = 1; i <= 60; ++i) {
    const std::string n = "184." + std::to_string(i == 5 ? 55 : i);
    texts.push_back(n + " Clause " + n + " of clause 184 applies as amended.");
  }
  texts.push_back("1845.5 Clause 1845 applies; see clause 184.");
  texts.push_back("5.5 Clause 5.5 of clause 184 applies.");
  texts.push_back(target);
  const auto docs = contract(texts);
  EXPECT_EQ(first("What does clause 184.5 say?", docs), target);
  EXPECT_EQ(first("184.5", docs), target);
}

TEST_F(RankClauseNumbers, OneDigitNumbersAndDottedClausesCount) {
  const std::string five_five = "5.5 Under this clause the Supplier shall maintain insurance with a reputable insurer.";
  const std::string seven = "Section 7. Each party retains the intellectual property it owned before the Effective Date.";
  const auto docs = contract({"5.4 Clause: the Supplier shall keep records for a clause period.",
                              "4.5 Clause: the Customer shall give notice under this clause.",
                              "55 clauses of this clause schedule apply.", five_five,
                              "Section 17: section headings are for convenience only in this section.", seven});
  EXPECT_EQ(first("What does clause 5.5 say?", docs), five_five);
  EXPECT_EQ(first("section 7", docs), seven);
  auto r = rankChunks(*rank_.lib, "What does clause 5.5 say?", docs, 10);
  ASSERT_TRUE(r && !r->empty());
  EXPECT_EQ(r->front().coverage, 2);  // clause + 5.5
  // Questions of stop words or a bare number do not fail.
  EXPECT_TRUE(rankChunks(*rank_.lib, "What is it?", docs, 10));
  EXPECT_TRUE(rankChunks(*rank_.lib, "?", docs, 10));
  EXPECT_EQ(first("7", docs), seven);
}

// "Schedule C" names its schedule by the letter: before, the letter was dropped as a short word and
// the question ranked whichever schedule BM25 liked ("What does Schedule C say?" quoted Schedule B).
TEST_F(RankClauseNumbers, ALetterNamesItsScheduleOrExhibit) {
  const std::vector<std::string> texts = {
      "1.1 The Services are (a) as set out in the Schedules and (b) as varied in writing, and (c) priced per the "
      "Schedules.",
      "SCHEDULE A - SERVICE LEVELS\n\nThe Supplier answers support calls within four hours. The parties may amend "
      "this Schedule A in writing.",
      "SCHEDULE B - PRICING\n\nThe monthly fee is 12,000 euros. The parties may amend this Schedule B in writing.",
      "SCHEDULE C - PERSONNEL\n\nThe account manager is named by the Supplier. The parties may amend it.",
      "EXHIBIT A - FORM OF ORDER\n\nEach order names the Services."};
  const auto docs = contract(texts);
  EXPECT_EQ(first("What does Schedule C say?", docs), texts[3]);
  EXPECT_EQ(first("What is in Schedule A?", docs), texts[1]);
  EXPECT_EQ(first("What does schedule b say?", docs), texts[2]);
  EXPECT_EQ(first("What is Exhibit A?", docs), texts[4]);
  // A letter elsewhere is still no word: "(c)" in a clause does not pull it up.
  EXPECT_EQ(rankingWords("items (a) and (c) of a list"), (std::vector<std::string>{"items", "list"}));
}

}  // namespace
}  // namespace folio::app
