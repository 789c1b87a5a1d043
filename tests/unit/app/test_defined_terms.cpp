// A cited clause is read with the definitions of the terms it turns on ("the General Cap Amount"),
// taken from its own contract, in the order it uses them; not the terms every clause uses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/defined_terms.h"
#include "unit/app/rank_test_library.h"

namespace folio::app {
namespace {

TEST(DefinedTerms, ADefinitionsHeadingNamesItsTerm) {
  EXPECT_EQ(definedTermOf("13. Definitions \xE2\x80\xBA 13.27 \xE2\x80\x9CProhibited Data\xE2\x80\x9D"), "Prohibited Data");
  EXPECT_EQ(definedTermOf("1. Definitions \xE2\x80\xBA 1.2 \"Customer Data\""), "Customer Data");
  EXPECT_EQ(definedTermOf("1.4 \xE2\x80\x9CHHS\xE2\x80\x9D"), "HHS");
  EXPECT_EQ(definedTermOf("8. Limitation of Liability \xE2\x80\xBA 8.1 Liability Caps"), "");
  EXPECT_EQ(definedTermOf("13. Definitions \xE2\x80\xBA 13.2"), "");
  EXPECT_EQ(definedTermOf("\xE2\x80\x9C\xE2\x80\x9D"), "");
}

TEST(DefinedTerms, ADefinitionsSectionsTextNamesTheTermsItDefines) {
  const std::string text =
      "Section 1.01 Defined Terms. As used in this Agreement:\n"
      "\xE2\x80\x9C" "Applicable Rate\xE2\x80\x9D means 2.5% per annum.\n"
      "  \"Business Day\" shall mean any day banks in New York are open.\n"
      "\xE2\x80\x9CLoan\xE2\x80\x9D or \xE2\x80\x9CLoans\xE2\x80\x9D means the loans made under Section 2.01.\n"
      "\xE2\x80\x9CLender\xE2\x80\x9D has the meaning given in the preamble.\n"
      "\"Quoted\" words in a sentence are no definition.\n"
      "The \xE2\x80\x9C" "Borrower\xE2\x80\x9D means Acme Corp, though not at a line's start.\n";
  EXPECT_EQ(termsDefinedIn(text),
            (std::vector<std::string>{"Applicable Rate", "Business Day", "Loan", "Lender"}));
}

TEST(DefinedTerms, ATermIsUsedAsAWholeWordAsWritten) {
  EXPECT_TRUE(usesTerm("will not be more than the General Cap Amount.", "General Cap Amount"));
  EXPECT_TRUE(usesTerm("Fees", "Fees"));
  EXPECT_FALSE(usesTerm("the general cap amount", "General Cap Amount"));
  EXPECT_FALSE(usesTerm("the Services and Serviced items", "Service"));
  EXPECT_FALSE(usesTerm("anything", ""));
}

ingest::Chunk chunk(const std::string& text, std::vector<std::string> heading, ingest::ChunkKind kind) {
  ingest::Chunk c = ingest::test::makeChunk(text, std::move(heading));
  c.kind = kind;
  return c;
}

TEST(DefinedTerms, TheDefinitionsAClauseUsesComeFromItsOwnContractInItsOrder) {
  test::RankTestLibrary lib;
  const auto clause = ingest::ChunkKind::Clause;
  const auto definition = ingest::ChunkKind::Definitions;
  std::vector<ingest::Chunk> csa = {
      chunk("Each party's liability under this Agreement will not be more than the General Cap Amount, except for "
            "Increased Claims.",
            {"8. Limitation of Liability", "8.1 Liability Caps"}, clause)};
  for (int i = 0; i < 8; ++i)
    csa.push_back(chunk("This Agreement binds the parties, clause " + std::to_string(i) + ".", {"12. General Terms"}, clause));
  csa.push_back(chunk("\xE2\x80\x9C" "Agreement\xE2\x80\x9D means these terms.",
                      {"13. Definitions", "13.1 \xE2\x80\x9C" "Agreement\xE2\x80\x9D"}, definition));
  csa.push_back(chunk("\xE2\x80\x9CIncreased Claims\xE2\x80\x9D means claims for breach of confidentiality.",
                      {"13. Definitions", "13.2 \xE2\x80\x9CIncreased Claims\xE2\x80\x9D"}, definition));
  csa.push_back(chunk("\xE2\x80\x9CGeneral Cap Amount\xE2\x80\x9D means the fees paid in the prior 12 months.",
                      {"13. Definitions", "13.3 \xE2\x80\x9CGeneral Cap Amount\xE2\x80\x9D"}, definition));
  lib.add("CSA.pdf", "pdf", csa);
  lib.add("Other.pdf", "pdf",
          {chunk("\xE2\x80\x9CGeneral Cap Amount\xE2\x80\x9D means USD 1.",
                 {"1. Definitions", "1.1 \xE2\x80\x9CGeneral Cap Amount\xE2\x80\x9D"}, definition)});
  auto docs = lib.lib->documents();
  ASSERT_TRUE(docs);
  auto chunks = lib.lib->chunks(ingest::test::documentAt(*docs, "CSA.pdf")->id);
  ASSERT_TRUE(chunks);
  RankedChunk caps;
  caps.chunk = chunks->front();
  caps.path = "CSA.pdf";
  auto used = definitionsUsed(*lib.lib, {caps}, 4);
  ASSERT_TRUE(used) << used.error().message;
  ASSERT_EQ(used->size(), 2u);  // not "Agreement": every clause uses it
  EXPECT_EQ(used->at(0).chunk.heading, "13. Definitions \xE2\x80\xBA 13.3 \xE2\x80\x9CGeneral Cap Amount\xE2\x80\x9D");
  EXPECT_EQ(used->at(0).path, "CSA.pdf");
  EXPECT_EQ(used->at(1).chunk.heading, "13. Definitions \xE2\x80\xBA 13.2 \xE2\x80\x9CIncreased Claims\xE2\x80\x9D");
  auto one = definitionsUsed(*lib.lib, {caps}, 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);
}

// A US credit agreement defines its terms in the text of "Section 1.01 Defined Terms", many to a chunk.
TEST(DefinedTerms, TermsDefinedInASectionsTextAreFoundToo) {
  test::RankTestLibrary lib;
  std::vector<ingest::Chunk> credit = {
      chunk("\xE2\x80\x9C" "Applicable Margin\xE2\x80\x9D means 2.5% per annum.\n"
            "\xE2\x80\x9C" "Business Day\xE2\x80\x9D means a day banks in New York are open.\n",
            {"ARTICLE I DEFINITIONS", "Section 1.01 Defined Terms"}, ingest::ChunkKind::Definitions),
      chunk("Each Loan bears interest at the base rate plus the Applicable Margin, payable on each Business Day.",
            {"ARTICLE II THE LOANS", "Section 2.08 Interest"}, ingest::ChunkKind::Clause)};
  lib.add("credit.pdf", "pdf", credit);
  auto docs = lib.lib->documents();
  ASSERT_TRUE(docs);
  auto chunks = lib.lib->chunks(ingest::test::documentAt(*docs, "credit.pdf")->id);
  ASSERT_TRUE(chunks);
  RankedChunk interest;
  interest.chunk = chunks->at(1);
  interest.path = "credit.pdf";
  EXPECT_EQ(termsDefinedIn(chunks->at(0).text), (std::vector<std::string>{"Applicable Margin", "Business Day"}));
  auto used = definitionsUsed(*lib.lib, {interest}, 4);
  ASSERT_TRUE(used) << used.error().message;
  ASSERT_EQ(used->size(), 1u);  // one chunk defines both
  EXPECT_EQ(used->at(0).chunk.heading, "ARTICLE I DEFINITIONS \xE2\x80\xBA Section 1.01 Defined Terms");
  EXPECT_EQ(used->at(0).defined_term, "Applicable Margin");  // the first the clause uses
  EXPECT_EQ(definitionOf(used->at(0).chunk.text, "Business Day"),
            "\xE2\x80\x9C" "Business Day\xE2\x80\x9D means a day banks in New York are open.\n");
  EXPECT_EQ(definitionOf(used->at(0).chunk.text, "Applicable Margin"),
            "\xE2\x80\x9C" "Applicable Margin\xE2\x80\x9D means 2.5% per annum.\n");
  EXPECT_EQ(definitionOf(used->at(0).chunk.text, "Borrower"), "");
}

}  // namespace
}  // namespace folio::app
