// Ctrl-C during a question, in process: SIGINT raised while a SigintScope is installed (as `folio ask`
// does) sets the flag ask() polls. The summary build stops between nodes, the generation between
// tokens; no answer is recorded either way, and the summaries built so far are reused next time.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "app/cli/sigint_scope.h"
#include "app/pipeline/ask.h"
#include "unit/app/notes_library.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

const fs::path kTinyModel = fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";

std::string note(int i) {
  std::string s = "# Depot " + std::to_string(i) + "\n\n";
  for (int part = 1; part <= 3; ++part) {
    s += "## Part " + std::to_string(part) + "\n\n";
    for (int k = 0; k < 4; ++k)
      s += "Shipments of depot " + std::to_string(i) + " need notice " + std::to_string(part * 10 + k) +
           " days ahead of each carrier handover. ";
    s += "\n\n";
  }
  return s;
}

class AskCancel : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 6; ++i) files.emplace_back("depot" + std::to_string(i) + ".md", note(i));
    ASSERT_TRUE(notes_.ingest("docs", files, "kb"));
  }
  int64_t rows(const std::string& table) { return *lib_->db().queryInt("SELECT count(*) FROM " + table); }
  static AskOptions question(int64_t window) {
    AskOptions o;
    o.question = "How much notice do shipments need?";
    o.collection = "kb";
    o.context_window = window;
    o.thinking_budget = 8;
    o.answer_budget = 24;
    return o;
  }

  test::NotesLibrary notes_;
  std::optional<ingest::Library>& lib_ = notes_.lib;
};

TEST_F(AskCancel, CtrlCDuringTheSummaryBuildKeepsItsNodesAndRecordsNoAnswer) {
  {
    cli::SigintScope sigint;
    // 700 tokens cannot hold the six documents: the question goes through the summary tree.
    auto a = ask(*lib_, nullptr, question(700), [](const SummaryProgress& p) {
      if (p.done == 2) std::raise(SIGINT);
    }, &sigint.interrupted());
    ASSERT_FALSE(a) << "the question should have stopped";
    EXPECT_EQ(a.error().kind, ErrorKind::Cancelled);
  }
  EXPECT_EQ(rows("summary_nodes"), 2);
  EXPECT_EQ(rows("answers"), 0);
  auto again = ask(*lib_, nullptr, question(700));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->usage.stage("map").reused + again->usage.stage("reduce").reused, 2);
  EXPECT_EQ(rows("answers"), 1);
}

TEST_F(AskCancel, CtrlCDuringGenerationStopsBetweenTokensAndRecordsNoAnswer) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  AskOptions o = question(4096);  // the documents fit: straight to the answering call
  int64_t generated = 0;
  o.on_progress = [&generated](const AnswerProgress& p) {
    generated = p.tokens.thinking_tokens + p.tokens.answer_tokens;
    if (generated == 1) std::raise(SIGINT);
  };
  {
    cli::SigintScope sigint;
    auto a = ask(*lib_, &*rt, o, {}, &sigint.interrupted());
    ASSERT_FALSE(a) << "the answer should have stopped; tokens generated: " << generated;
    EXPECT_EQ(a.error().kind, ErrorKind::Cancelled);
  }
  EXPECT_EQ(generated, 1);  // no token after the one during which Ctrl-C came
  EXPECT_EQ(rows("answers"), 0);
}

}  // namespace
}  // namespace folio::app
