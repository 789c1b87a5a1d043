// A lawyer names a contract by its title ("the cloud service agreement"), not its file's name (CSA.pdf),
// and a clause by its title ("the liability caps"): a question ranks the clause of the document it
// names, and the clause titled with its words, above the same clause of the other agreements.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "app/pipeline/passage_signals.h"
#include "ingest/library/library.h"
#include "unit/app/rank_test_library.h"

namespace folio::app {
namespace {

TEST(RankTitles, ADocumentsTitleIsItsRecordedTitleElseATitleLikeFirstLine) {
  EXPECT_EQ(documentTitle("Master Agreement", "pdf", "Cloud Service Agreement\n1. Service"), "Master Agreement");
  EXPECT_EQ(documentTitle("", "pdf", "Cloud Service Agreement\n1. Service"), "Cloud Service Agreement");
  EXPECT_EQ(documentTitle("", "word", "# Pilot Agreement\n\n1. Pilot Access"), "Pilot Agreement");
  EXPECT_EQ(documentTitle("", "pdf", "  MASTER SERVICES AGREEMENT  \n"), "MASTER SERVICES AGREEMENT");
  EXPECT_EQ(documentTitle("", "pdf", "This Agreement is made between the parties named below\n"), "");
  EXPECT_EQ(documentTitle("", "pdf", "1.1 Access and Use. During the Term\n"), "");
  EXPECT_EQ(documentTitle("", "pdf", "The parties agree as follows:\n"), "");
  EXPECT_EQ(documentTitle("", "code", "Redis Cluster Implementation\n"), "");  // a code file's first line
  EXPECT_EQ(documentTitle("", "pdf", ""), "");
}

// A matter: contracts, each its title line and its clauses.
struct Matter : test::RankTestLibrary {
  void add(const std::string& rel_path, const std::string& title,
           const std::vector<std::pair<std::vector<std::string>, std::string>>& clauses) {
    std::vector<ingest::Chunk> chunks{ingest::test::makeChunk(title, {"Preamble"})};
    for (const auto& [heading, text] : clauses) {
      chunks.push_back(ingest::test::makeChunk(text, heading));
      chunks.back().kind = ingest::ChunkKind::Clause;
    }
    RankTestLibrary::add(rel_path, "pdf", chunks);
  }
};

const std::string kCaps =
    "Each party's total cumulative liability for all claims arising out of or relating to this Agreement "
    "will not be more than the General Cap Amount.";

void addAgreements(Matter& m) {
  m.add("PSA.pdf", "Professional Services Agreement",
        {{{"8. Limitation of Liability", "8.1 Liability Caps"}, kCaps},
         {{"2. Intellectual Property", "2.1 Deliverables"},
          "Provider assigns all right, title, and interest in the Deliverables to Customer."},
         {{"6. Warranties", "6.3 From Provider"},
          "Provider warrants that it will perform the Services in a professional manner, and that the "
          "Deliverables created for Customer will conform to the SOW and infringe no one's rights."}});
  m.add("CSA.pdf", "Cloud Service Agreement", {{{"8. Limitation of Liability", "8.1 Liability Caps"}, kCaps}});
  m.add("Partnership.pdf", "Partnership Agreement", {{{"9. Limitation of Liability", "9.1 Liability Caps"}, kCaps}});
  // Other agreements, so that the question's words are as rare as in a real matter.
  for (int i = 0; i < 20; ++i)
    m.add("NDA " + std::to_string(i) + ".pdf", "Mutual Non-Disclosure Agreement",
          {{{"1. Confidentiality"}, "The Receiving Party will protect the Confidential Information created by "
                                        "party " + std::to_string(i) + "."}});
}

TEST(RankTitles, TheAgreementNamedByItsTitleRanksFirst) {
  Matter m;
  addAgreements(m);
  EXPECT_EQ(m.first("What is the cap on each party's liability in the cloud service agreement?"),
            "CSA.pdf 8. Limitation of Liability \xE2\x80\xBA 8.1 Liability Caps");
  EXPECT_EQ(m.first("What is the liability cap under the partnership agreement?"),
            "Partnership.pdf 9. Limitation of Liability \xE2\x80\xBA 9.1 Liability Caps");
}

TEST(RankTitles, TheClauseTitledWithTheQuestionsWordRanksAboveOnesMentioningIt) {
  Matter m;
  addAgreements(m);
  // 6.3 holds more of the question's words ("created", "professional", "services"); 2.1 is about them.
  EXPECT_EQ(m.first("Who owns the deliverables created under the professional services agreement?"),
            "PSA.pdf 2. Intellectual Property \xE2\x80\xBA 2.1 Deliverables");
}

}  // namespace
}  // namespace folio::app
