// A question asked of each document (AskOptions::each_document): over 40 contracts, 16 of which allow
// termination for convenience, the answer cites exactly those 16, one passage each, though an ordinary
// question over that scope reads at most max_documents of them; a window too small for all of them
// keeps the strongest matches and names the rest; nothing matching is a clear error; with a model each
// matching document is asked on its own.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/pipeline/ask.h"
#include "app/pipeline/each_document.h"
#include "app/pipeline/each_document_review.h"
#include "app/pipeline/model_runtime.h"
#include "unit/app/notes_library.h"

namespace fs = std::filesystem;

namespace folio::app {
namespace {

const fs::path kTinyModel = fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";
constexpr const char* kQuestion = "Which contracts allow termination for convenience?";

// Contract i: clause 5 allows termination for convenience when i % 5 < 2, else only for breach. Long
// enough (about 1,900 tokens each) that 40 of them overflow the default window, so an ordinary
// question is narrowed.
std::vector<std::pair<std::string, std::string>> contracts(int n) {
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < n; ++i) {
    std::string t = "SERVICES AGREEMENT " + std::to_string(i) + "\n\n";
    for (int k = 1; k <= 4; ++k) {
      t += std::to_string(k) + ". Obligations " + std::to_string(k) + "\n\n";
      for (int j = 1; j <= 12; ++j)
        t += std::to_string(k) + "." + std::to_string(j) +
             " The Supplier shall perform the Services diligently, keep records of the work and report on it "
             "monthly to the Customer's representative, who shall review each report within ten days.\n\n";
    }
    t += "5. Termination\n\n5.1 ";
    t += i % 5 == 0   ? "Either party may terminate this Agreement for convenience on ninety days' notice."
         : i % 5 == 1 ? "The Customer may terminate this Agreement at any time for convenience by written notice."
                      : "Either party may terminate this Agreement if the other commits a material breach.";
    t += "\n";
    out.push_back({"msa_" + std::to_string(100 + i) + ".txt", t});
  }
  return out;
}

class AskEachDocument : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    ASSERT_TRUE(notes_.ingest("contracts", contracts(40), "contracts"));
  }

  Result<AnswerRecord> ask(AskOptions opt, const ModelRuntime* rt = nullptr) {
    opt.question = opt.question.empty() ? kQuestion : opt.question;
    opt.collection = "contracts";
    opt.store = false;
    return app::ask(*notes_.lib, rt, opt);
  }

  // The cited documents' numbers (msa_1NN.txt -> NN).
  static std::set<int> cited(const AnswerRecord& a) {
    std::set<int> out;
    for (const auto& c : a.citations) out.insert(std::stoi(c.source.path.substr(4, 3)) - 100);
    return out;
  }

  static std::set<int> allowingConvenience() {
    std::set<int> out;
    for (int i = 0; i < 40; ++i)
      if (i % 5 < 2) out.insert(i);
    return out;
  }

  test::NotesLibrary notes_;
};

TEST_F(AskEachDocument, CitesEveryMatchingDocumentOnce) {
  AskOptions opt;
  opt.each_document = true;
  auto a = ask(opt);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeEachDocument);
  EXPECT_EQ(cited(*a), allowingConvenience());
  EXPECT_EQ(a->citations.size(), 16u);  // one passage per document
  for (const auto& c : a->citations) EXPECT_NE(c.source.text.find("for convenience"), std::string::npos) << c.source.text;
  ASSERT_FALSE(a->plan.left_out.empty());
  EXPECT_EQ(a->plan.left_out[0].what, "24 of the 40 documents in scope");
  EXPECT_NE(a->text.find("for 16 of the 40 documents in scope"), std::string::npos) << a->text;
  EXPECT_TRUE(a->usage.stages.size() == 1 && a->usage.stages[0].stage == "reason");  // no summaries built

  // The ordinary question over the same scope is narrowed: it reads 12 documents at most.
  auto narrowed = ask(AskOptions{});
  ASSERT_TRUE(narrowed) << narrowed.error().message;
  EXPECT_NE(narrowed->plan.mode, kModeEachDocument);
  ASSERT_FALSE(narrowed->plan.left_out.empty());
  EXPECT_EQ(narrowed->plan.left_out[0].what, "28 other documents of the 40 in scope");
  EXPECT_NE(narrowed->plan.left_out[0].why.find("ask it of each document"), std::string::npos);
  EXPECT_LE(cited(*narrowed).size(), 3u);
}

TEST_F(AskEachDocument, AWindowTooSmallKeepsTheStrongestMatchesAndNamesTheRest) {
  AskOptions opt;
  opt.each_document = true;
  opt.context_window = 1200;
  opt.thinking_budget = 0;
  auto a = ask(opt);
  ASSERT_TRUE(a) << a.error().message;
  const auto got = cited(*a);
  ASSERT_GT(got.size(), 2u);
  ASSERT_LT(got.size(), 16u);
  for (int i : got) EXPECT_LT(i % 5, 2) << i;
  ASSERT_EQ(a->plan.left_out.size(), 2u);
  EXPECT_EQ(a->plan.left_out[1].what,
            std::to_string(16 - got.size()) + " more matching documents (the weakest matches)");
  EXPECT_LE(a->plan.context_tokens, a->plan.available_tokens);
}

TEST_F(AskEachDocument, NothingMatchingIsAnErrorNamingTheScope) {
  AskOptions opt;
  opt.each_document = true;
  opt.question = "Which contracts mention arbitration in Geneva?";
  auto a = ask(opt);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::NotFound);
  EXPECT_NE(a.error().message.find("40 documents in scope"), std::string::npos) << a.error().message;
}

// With a model, each matching document is asked on its own: 16 short calls, one per contract that
// allows termination for convenience, even in a window far too small to read all 16 passages at once;
// the answer lists each with its own answer and citation, streamed document by document.
TEST_F(AskEachDocument, AModelAnswersEachMatchingDocumentOnItsOwn) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  AskOptions opt;
  opt.each_document = true;
  opt.thinking_budget = 0;
  opt.answer_budget = 4;
  opt.context_window = 1200;
  std::string streamed;
  opt.on_stream = [&](const ThinkingStreamSplitter::Delta& d) { streamed += d.answer; };
  std::vector<SummaryProgress> progress;
  opt.question = kQuestion;
  opt.collection = "contracts";
  opt.store = false;
  auto a = app::ask(*notes_.lib, &*rt, opt, [&](const SummaryProgress& p) { progress.push_back(p); });
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeEachDocument);
  EXPECT_EQ(cited(*a), allowingConvenience());
  ASSERT_EQ(a->evidence.size(), 16u);
  std::set<std::string> paths;
  for (const auto& e : a->evidence) {
    EXPECT_TRUE(paths.insert(e.path).second) << e.path;  // each document once
    EXPECT_LE(e.text.size(), kEachDocumentPassageBytes);
    // One paragraph per document: its path, the model's answer, its citation.
    EXPECT_NE(a->text.find(e.path), std::string::npos) << e.path;
    EXPECT_NE(a->text.find(" [" + std::to_string(e.n) + "]\n"), std::string::npos) << e.n;
  }
  ASSERT_EQ(a->plan.left_out.size(), 1u);  // the documents without a match; none left out for room
  EXPECT_EQ(a->usage.stages.back().calls, 16);
  // The plan tells of one call: its prompt and budgets fit the window, the 16 prompts together do not.
  EXPECT_GT(a->plan.prompt_tokens, 0);
  EXPECT_LE(a->plan.prompt_tokens + a->plan.budgets.thinking_budget + a->plan.budgets.answer_budget, 1200);
  EXPECT_GT(a->usage.stages.back().prompt_tokens, 1200);
  EXPECT_EQ(streamed, a->text);
  ASSERT_EQ(progress.size(), 16u);
  EXPECT_EQ(progress.back().total, 16);
  EXPECT_EQ(progress.back().done, 15);
}

// Asked side by side (their decode steps batched), the documents get the same answers, bit for bit on
// the CPU, in the same order, and the streamed text is the answer.
TEST_F(AskEachDocument, DocumentsAskedSideBySideAnswerAsOneAfterTheOther) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  const auto counter = [&](const std::string& s) { return static_cast<int64_t>(rt->tokenizer->encode(s).size()); };
  auto docs = notes_.lib->documents();
  ASSERT_TRUE(docs);
  auto each = eachDocumentEvidence(*notes_.lib, kQuestion, *docs, counter, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(each) << each.error().message;
  ASSERT_EQ(each->evidence.size(), 16u);
  EachDocumentCalls calls;
  calls.context_window = 4096;
  calls.thinking_budget = 6;
  calls.answer_budget = 6;
  calls.concurrent = 1;
  StageUsage alone_usage, together_usage;
  auto alone = answerEachDocument(*rt, each->evidence, kQuestion, calls, alone_usage, nullptr);
  ASSERT_TRUE(alone) << alone.error().message;
  calls.concurrent = 5;
  std::string streamed_answer, streamed_thought;
  calls.on_stream = [&](const ThinkingStreamSplitter::Delta& d) {
    streamed_answer += d.answer;
    streamed_thought += d.thinking;
  };
  auto together = answerEachDocument(*rt, each->evidence, kQuestion, calls, together_usage, nullptr);
  ASSERT_TRUE(together) << together.error().message;
  EXPECT_EQ(together->text, alone->text);
  EXPECT_EQ(together->thinking, alone->thinking);
  EXPECT_EQ(together->answer_tokens.size(), alone->answer_tokens.size());
  EXPECT_EQ(together_usage.calls, 16);
  EXPECT_EQ(together_usage.answer_tokens + together_usage.thinking_tokens,
            alone_usage.answer_tokens + alone_usage.thinking_tokens);
  EXPECT_EQ(streamed_answer, together->text);
  EXPECT_EQ(streamed_thought, together->thinking);
  // A stop asked for before the first token: Cancelled, and every call's thread has ended on return.
  const std::atomic<bool> stop{true};
  StageUsage stopped;
  auto cancelled = answerEachDocument(*rt, each->evidence, kQuestion, calls, stopped, &stop);
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().kind, ErrorKind::Cancelled);
}

TEST(EachDocumentReview, AnAnswerLineCitesItsOwnPassageOnly) {
  EXPECT_EQ(documentAnswerLine("Yes. Clause 5.1 allows it [1].\nSee also [2, 3].", 7),
            "Yes. Clause 5.1 allows it. See also. [7]");
  EXPECT_EQ(documentAnswerLine("  ", 3), "(no answer) [3]");
}

TEST_F(AskEachDocument, AStopAskedForEndsTheScreening) {
  AskOptions opt;
  opt.question = kQuestion;
  opt.collection = "contracts";
  opt.each_document = true;
  const std::atomic<bool> stop{true};
  auto a = app::ask(*notes_.lib, nullptr, opt, {}, &stop);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::Cancelled);
  auto screened = bestPassagePerDocument(*notes_.lib, kQuestion, *notes_.lib->documents(), &stop);
  ASSERT_FALSE(screened);
  EXPECT_EQ(screened.error().kind, ErrorKind::Cancelled);
}

// Every contract holds "agreement" and "required"; only some hold "insurance". Counting words, a clause
// with the first two matched "Which agreements require insurance?" (2 of 3); weighing them by rarity
// it does not.
TEST(EachDocumentCoverage, TheCoveredWordsMustHoldHalfTheQuestionsWeight) {
  test::NotesLibrary notes;
  ASSERT_TRUE(notes.open());
  std::vector<std::pair<std::string, std::string>> files;
  for (int i = 0; i < 12; ++i) {
    std::string t = "SUPPLY AGREEMENT " + std::to_string(i) + "\n\n1. Records\n\n1.1 The Supplier shall keep the "
                    "records this Agreement requires for six years.\n\n";
    if (i % 4 == 0)
      t += "2. Insurance\n\n2.1 The Supplier shall maintain insurance of at least USD 2 million.\n";
    files.push_back({"supply_" + std::to_string(100 + i) + ".txt", t});
  }
  ASSERT_TRUE(notes.ingest("supply", files, "supply"));
  auto passages = bestPassagePerDocument(*notes.lib, "Which agreements require insurance?", *notes.lib->documents());
  ASSERT_TRUE(passages) << passages.error().message;
  std::set<std::string> matched;
  for (const auto& p : *passages) matched.insert(p.path);
  EXPECT_EQ(matched, (std::set<std::string>{"supply_100.txt", "supply_104.txt", "supply_108.txt"}));
}

TEST(EachDocumentCoverage, HalfOfTheQuestionsWordsRoundedUp) {
  EXPECT_EQ(minimumCoverage("termination"), 1);
  EXPECT_EQ(minimumCoverage("termination convenience"), 2);
  EXPECT_EQ(minimumCoverage("Which contracts allow termination for convenience?"), 2);
  EXPECT_EQ(minimumCoverage("Which files open a socket and retry on timeout?"), 3);
}

}  // namespace
}  // namespace folio::app
