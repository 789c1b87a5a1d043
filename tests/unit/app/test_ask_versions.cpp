// "What changed?" asked of two documents: the answer reads the comparison of the two versions, one
// evidence item per difference, those touching the question's subject first; other questions over two
// documents, and one document twice, are answered as before; with a model the differences are the
// prompt's passages and its citations map to them.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/pipeline/ask.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/version_question.h"
#include "unit/app/notes_library.h"

namespace fs = std::filesystem;

namespace folio::app {
namespace {

std::string agreement(bool revised) {
  std::string t = "SERVICES AGREEMENT\n\n1. Services\n\n1.1 Scope. The Supplier shall perform the Services described in each "
                  "Statement of Work with reasonable skill and care.\n\n1.2 Staff. The Supplier shall assign suitably qualified staff.\n\n"
                  "2. Fees\n\n2.1 Payment. The Customer shall pay each invoice within ";
  t += revised ? "sixty (60)" : "thirty (30)";
  t += " days of receipt.\n\n2.2 Expenses. Expenses are reimbursed at cost.\n\n3. Indemnity\n\n3.1 Supplier Indemnity. The "
       "Supplier shall indemnify the Customer against third-party claims ";
  t += revised ? "arising from the Supplier's gross negligence." : "arising from the Supplier's negligence or breach of this Agreement.";
  t += "\n\n4. Liability\n\n4.1 Cap. Each party's liability is limited to the fees paid in the twelve months before the claim.\n\n"
       "4.2 Exclusions. Neither party is liable for indirect or consequential loss, loss of profit or loss of data.\n\n"
       "5. Termination\n\n5.1 Convenience. Either party may terminate this Agreement on ninety days' written notice.\n\n"
       "5.2 Breach. Either party may terminate this Agreement if the other commits a material breach and fails to remedy it.\n";
  return t;
}

class AskVersions : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    ASSERT_TRUE(notes_.ingest("v1", {{"msa.txt", agreement(false)}}, "drafts"));
    ASSERT_TRUE(notes_.ingest("v2", {{"msa.txt", agreement(true)}}, "drafts"));
    auto docs = notes_.lib->documents();
    ASSERT_TRUE(docs);
    for (const auto& d : *docs) (d.path.find("/v1/") != std::string::npos ? old_id_ : new_id_) = d.id;
    ASSERT_GT(old_id_, 0);
    ASSERT_GT(new_id_, 0);
  }

  Result<AnswerRecord> ask(const std::string& question, std::vector<int64_t> ids, const ModelRuntime* rt = nullptr) {
    AskOptions opt;
    opt.question = question;
    opt.document_ids = std::move(ids);
    opt.store = false;
    opt.thinking_budget = 8;
    opt.answer_budget = 16;
    return app::ask(*notes_.lib, rt, opt);
  }

  test::NotesLibrary notes_;
  int64_t old_id_ = 0, new_id_ = 0;
};

TEST(VersionQuestion, TellsQuestionsAboutChanges) {
  EXPECT_TRUE(asksWhatChanged("What changed between the drafts?"));
  EXPECT_TRUE(asksWhatChanged("What did opposing counsel change in the indemnity?"));
  EXPECT_TRUE(asksWhatChanged("How do these versions differ?"));
  EXPECT_TRUE(asksWhatChanged("Compare the two agreements"));
  EXPECT_TRUE(asksWhatChanged("What's new in v2?"));
  EXPECT_TRUE(asksWhatChanged("Which clauses were amended?"));
  EXPECT_FALSE(asksWhatChanged("Who pays the expenses?"));
  EXPECT_FALSE(asksWhatChanged("Can either party terminate for convenience?"));
  EXPECT_FALSE(asksWhatChanged("What is the exchange rate?"));  // "exchange" is no change
}

TEST_F(AskVersions, ExtractiveAnswerListsTheDifferencesSubjectFirst) {
  auto a = ask("What did they change in the indemnity?", {old_id_, new_id_});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeCompareVersions);
  ASSERT_EQ(a->evidence.size(), 2u) << a->text;
  EXPECT_EQ(a->evidence[0].heading, "3. Indemnity › 3.1 Supplier Indemnity") << a->text;
  EXPECT_EQ(a->evidence[0].document_id, new_id_);
  EXPECT_NE(a->evidence[0].text.find("[-negligence or breach of this Agreement-]{+gross negligence+}"), std::string::npos)
      << a->evidence[0].text;
  EXPECT_EQ(a->evidence[1].heading, "2. Fees › 2.1 Payment");
  EXPECT_NE(a->text.find("1 of them touch the question's subject"), std::string::npos) << a->text;
  EXPECT_EQ(a->citations.size(), 2u);
}

TEST_F(AskVersions, OrderOfTheDocumentsIsOldThenNew) {
  auto a = ask("What changed?", {new_id_, old_id_});
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->evidence.size(), 2u);
  EXPECT_NE(a->evidence[0].text.find("[-sixty (60)-]{+thirty (30)+}"), std::string::npos) << a->evidence[0].text;
}

TEST_F(AskVersions, OtherQuestionsAndOneDocumentAreAnsweredAsBefore) {
  auto other = ask("Who pays the expenses?", {old_id_, new_id_});
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_NE(other->plan.mode, kModeCompareVersions);
  auto same = ask("What changed?", {old_id_, old_id_});
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_NE(same->plan.mode, kModeCompareVersions);
}

TEST_F(AskVersions, NoDifferencesSaySo) {
  ASSERT_TRUE(notes_.ingest("v3", {{"msa.txt", agreement(false)}}, "drafts"));
  int64_t copy_id = 0;
  for (const auto& d : *notes_.lib->documents()) {
    if (d.path.find("/v3/") != std::string::npos) copy_id = d.id;
  }
  auto a = ask("What changed?", {old_id_, copy_id});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->evidence.empty());
  EXPECT_NE(a->text.find("no differences in the text"), std::string::npos) << a->text;
}

TEST_F(AskVersions, WithAModelTheDifferencesAreThePassages) {
  auto rt = loadModelRuntime(fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls");
  ASSERT_TRUE(rt) << rt.error().message;
  auto a = ask("What changed in the fees?", {old_id_, new_id_}, &*rt);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeCompareVersions);
  ASSERT_EQ(a->evidence.size(), 2u);
  EXPECT_EQ(a->evidence[0].heading, "2. Fees › 2.1 Payment");
  EXPECT_FALSE(a->extractive);
  EXPECT_GT(a->plan.context_tokens, 0);
  const auto* reason = [&]() -> const StageUsage* {
    for (const auto& s : a->usage.stages)
      if (s.stage == "reason") return &s;
    return nullptr;
  }();
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->calls, 1);
}

}  // namespace
}  // namespace folio::app
