// A client's everyday words find the clause that says it in contract words: "walk away" the termination
// clause, "who owns" the ownership clause, "out of business" the insolvency ground, while a question in
// the contract's own words, and questions over code, rank as before.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/each_document.h"
#include "app/pipeline/everyday_words.h"
#include "app/pipeline/evidence.h"
#include "ingest/library/library.h"
#include "unit/app/rank_test_library.h"

namespace folio::app {
namespace {

std::vector<std::string> saysOf(const std::string& question) {
  std::vector<std::string> out;
  for (const auto& m : everydayMeanings(question, distinctRankingWords(question))) out.push_back(m.says);
  return out;
}

TEST(EverydayWords, WordsAndPhrasesAreFoundOnceEach) {
  EXPECT_EQ(saysOf("Can we walk away from the deal?"), (std::vector<std::string>{"walk away"}));
  EXPECT_EQ(saysOf("Who owns the output?"), (std::vector<std::string>{"owns"}));
  // One meaning per entry: "cancel" and "quit" stand for the same words.
  EXPECT_EQ(saysOf("Can we cancel or quit early?").size(), 1u);
  // A phrase wins over a word of the same entry, wherever it stands.
  EXPECT_EQ(saysOf("Can we end it, or get out of it?"), (std::vector<std::string>{"get out"}));
  // "doesn’t work" (a typographic apostrophe) and "doesn't work" both read as "… t work".
  EXPECT_EQ(saysOf("What if the software doesn\xE2\x80\x99t work?"), (std::vector<std::string>{"t work"}));
  EXPECT_EQ(saysOf("What if the software doesn't work?"), (std::vector<std::string>{"t work"}));
  // A stop word alone stands for nothing ("over" in "over 30 days"); a question in contract words has none.
  EXPECT_TRUE(saysOf("Is notice required over 30 days before termination?").empty());
  EXPECT_TRUE(saysOf("What are the indemnification obligations?").empty());
  EXPECT_EQ(saysOf("What happens when the agreement is over?"), (std::vector<std::string>{"is over"}));
}

TEST(EverydayWords, TermsMatchWholeWordsStemsAndPhrases) {
  const auto meanings = everydayMeanings("Can we walk away?", distinctRankingWords("Can we walk away?"));
  ASSERT_EQ(meanings.size(), 1u);
  const ContractTerm& terminate = meanings[0].terms.front();
  EXPECT_EQ(terminate.search, "termination");
  EXPECT_TRUE(holdsTerm(terminate, wordsInOrder("Either party may terminate this Agreement.")));
  EXPECT_TRUE(holdsTerm(terminate, wordsInOrder("5.3 TERMINATION")));
  EXPECT_FALSE(holdsTerm(terminate, wordsInOrder("The Term is one year.")));
  const auto hook = everydayMeanings("Are we on the hook?", distinctRankingWords("Are we on the hook?"));
  ASSERT_EQ(hook.size(), 1u);
  EXPECT_TRUE(hook[0].phrase);
  const auto term = everydayMeanings("How long does it last?", distinctRankingWords("How long does it last?"));
  ASSERT_EQ(term.size(), 1u);
  const ContractTerm& whole = term[0].terms.front();  // "term": a whole word, not a stem of "terminate"
  EXPECT_TRUE(holdsTerm(whole, wordsInOrder("6.1 Term. This Agreement starts on the Effective Date")));
  EXPECT_FALSE(holdsTerm(whole, wordsInOrder("Either party may terminate")));
  const auto hack = everydayMeanings("What if we are hacked?", distinctRankingWords("What if we are hacked?"));
  ASSERT_EQ(hack.size(), 1u);
  EXPECT_EQ(hack[0].terms.front().search, "\"security incidents\"");
  EXPECT_TRUE(holdsTerm(hack[0].terms.front(), wordsInOrder("notify Customer of any Security Incidents")));
  EXPECT_FALSE(holdsTerm(hack[0].terms.front(), wordsInOrder("incident to security")));
}

class RankEverydayWords : public ::testing::Test {
 protected:
  // A document of (heading, text) chunks of one kind; all of the library's documents.
  std::vector<ingest::DocumentRecord> add(const std::string& name, ingest::ChunkKind kind,
                                          const std::vector<std::pair<std::string, std::string>>& parts) {
    std::vector<ingest::Chunk> chunks;
    for (const auto& [heading, text] : parts) {
      chunks.push_back(ingest::test::makeChunk(text, {heading}));
      chunks.back().kind = kind;
    }
    rank_.add(name, "text", chunks);
    return *rank_.lib->documents();
  }

  std::string first(const std::string& question, const std::vector<ingest::DocumentRecord>& docs) {
    auto r = rankChunks(*rank_.lib, question, docs, 10);
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front().chunk.heading : std::string();
  }

  // Clauses of a supply agreement where the everyday words of the questions below never appear.
  std::vector<ingest::DocumentRecord> supplyAgreement() {
    return add("supply.txt", ingest::ChunkKind::Clause,
               {{"1.2 Program", "The Supplier runs the partner program and the Customer takes part in the program."},
                {"3.1 Term", "This Agreement starts on the Effective Date and continues for two years."},
                {"3.2 Termination",
                 "Either party may terminate this Agreement on 30 days notice, or at once if the other party "
                 "becomes insolvent, dissolves or stops conducting business."},
                {"4.1 Ownership", "The Customer owns all Deliverables and the Supplier assigns to it all rights in them."},
                {"5.1 Warranties", "The Supplier warrants that the Products conform to the Specification."},
                {"7.3 Governing Law and Chosen Courts",
                 "The laws of New York govern this Agreement; the courts of New York County have exclusive "
                 "jurisdiction over any proceeding."},
                {"9.4 Program Fees", "The Customer pays the program fees for the partner program monthly."}});
  }

  test::RankTestLibrary rank_;
};

TEST_F(RankEverydayWords, EverydayQuestionsFindTheClauseThatAnswers) {
  const auto docs = supplyAgreement();
  EXPECT_EQ(first("Can the customer walk away from the deal?", docs), "3.2 Termination");
  EXPECT_EQ(first("Can we get out if the supplier goes out of business?", docs), "3.2 Termination");
  EXPECT_EQ(first("Who owns what the supplier makes for us?", docs), "4.1 Ownership");
  EXPECT_EQ(first("Does the supplier promise the products are any good?", docs), "5.1 Warranties");
  EXPECT_EQ(first("Where do we sue the supplier?", docs), "7.3 Governing Law and Chosen Courts");
  EXPECT_EQ(first("How long does the deal last?", docs), "3.1 Term");
}

TEST_F(RankEverydayWords, TheContractsOwnWordsRankAsBefore) {
  const auto docs = supplyAgreement();
  EXPECT_EQ(first("What fees does the customer pay for the partner program?", docs), "9.4 Program Fees");
  auto r = rankChunks(*rank_.lib, "Which notice period applies to termination?", docs, 10);
  ASSERT_TRUE(r && !r->empty());
  EXPECT_EQ(r->front().chunk.heading, "3.2 Termination");
}

TEST_F(RankEverydayWords, EachDocumentFindsTheAgreementsThatSayItInContractWords) {
  supplyAgreement();
  const auto docs = add("lease.txt", ingest::ChunkKind::Clause,
                        {{"1.1 Premises", "The Landlord lets the Premises to the Tenant for the Rent."},
                         {"2.1 Rent", "The Tenant pays the Rent monthly in advance."}});
  // No passage holds "walk" or "away": before, no agreement matched; now the one that can be terminated.
  auto r = bestPassagePerDocument(*rank_.lib, "Which agreements can we walk away from?", docs, nullptr);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().path, "supply.txt");
  EXPECT_EQ(r->front().chunk.heading, "3.2 Termination");
}

// Who does what: the two indemnities hold the same words; the question's subject picks the one by it.
TEST_F(RankEverydayWords, TheClauseTitledWithTheQuestionsSubjectRanksFirst) {
  const auto docs = add("csa.txt", ingest::ChunkKind::Clause,
                        {{"9.1 Protection by Provider",
                          "Provider will defend Customer from any claim that the Product infringes a patent, and "
                          "indemnify Customer against the damages awarded."},
                         {"9.2 Protection by Customer",
                          "Customer will defend Provider from any claim that Customer Content infringes a patent, "
                          "and indemnify Provider against the damages awarded."}});
  EXPECT_EQ(first("Does the provider defend the customer against patent claims?", docs), "9.1 Protection by Provider");
  EXPECT_EQ(first("Must the customer defend the provider against patent claims?", docs), "9.2 Protection by Customer");
}

TEST_F(RankEverydayWords, CodeIsNotReadAsAContract) {
  // In code "end" and "stop" mean themselves: a function that terminates a connection is not what "where
  // does the event loop end?" asks for, and a passage holding no word of the question is not found.
  const auto docs = add("ae.c", ingest::ChunkKind::Function,
                        {{"aeMain", "void aeMain(aeEventLoop *eventLoop) { while (!eventLoop->stop) aeProcessEvents(); "
                                    "} /* the loop ends when stop is set */"},
                         {"terminateConnection", "void terminateConnection(conn *c) { close(c->fd); }"}});
  auto r = rankChunks(*rank_.lib, "Where does the event loop end?", docs, 10);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().chunk.heading, "aeMain");
}

}  // namespace
}  // namespace folio::app
