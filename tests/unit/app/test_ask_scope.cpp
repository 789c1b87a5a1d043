// A question over a scope too large for the context window reads (inline) or summarizes only the
// documents whose passages best match it, at most AskOptions::max_documents; the rest are named in the
// plan's left-out list. Before, every document in scope was summarized first (53 s extractive over
// 20,000 small notes, days with a model) and the plan listed every document.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "app/pipeline/ask.h"
#include "unit/app/notes_library.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

constexpr int kDocuments = 30;
constexpr int kSpecial = 17;  // the one note that holds the fee

std::string note(int i) {
  std::string s = "# Depot " + std::to_string(i) + "\n\n";
  for (int part = 1; part <= 3; ++part) {
    s += "## Part " + std::to_string(part) + "\n\n";
    for (int k = 0; k < 6; ++k)
      s += "Shipments of depot " + std::to_string(i) + " need notice " + std::to_string(part * 10 + k) +
           " days ahead of each carrier handover. ";
    s += "\n\n";
  }
  if (i == kSpecial) s += "## Moorings\n\nThe zeppelin mooring fee is 4410 dollars per night.\n";
  return s;
}

class AskScope : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < kDocuments; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "depot%02d.md", i);
      files.emplace_back(name, note(i));
    }
    ASSERT_TRUE(notes_.ingest("docs", files, "kb"));
    auto docs = lib_->documents(std::nullopt);
    ASSERT_TRUE(docs);
    for (const auto& d : *docs)
      if (d.rel_path == "depot17.md") special_id_ = d.id;
    ASSERT_NE(special_id_, 0);
  }
  int64_t count(const std::string& sql) { return *lib_->db().queryInt(sql); }
  static AskOptions question(int64_t window, int max_documents = 3) {
    AskOptions o;
    o.question = "How much notice do shipments need, and what is the zeppelin mooring fee?";
    o.collection = "kb";
    o.context_window = window;
    o.thinking_budget = 8;
    o.answer_budget = 24;
    o.max_documents = max_documents;
    return o;
  }
  static bool cites(const AnswerRecord& a, int64_t document_id) {
    for (const auto& c : a.citations)
      if (c.source.document_id == document_id) return true;
    return false;
  }

  test::NotesLibrary notes_;
  std::optional<ingest::Library>& lib_ = notes_.lib;
  int64_t special_id_ = 0;
};

TEST_F(AskScope, ALargeScopeSummarizesOnlyTheBestMatchingDocuments) {
  auto a = ask(*lib_, nullptr, question(700));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeSummarize);
  ASSERT_EQ(a->plan.documents.size(), 3u);
  EXPECT_EQ(a->plan.documents.front().id, special_id_);  // the note covering most of the question first
  ASSERT_FALSE(a->plan.left_out.empty());
  EXPECT_EQ(a->plan.left_out.front().what, "27 other documents of the 30 in scope");
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes WHERE level = 1"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes WHERE level = 2"), 0);  // no collection node of 3 documents
  EXPECT_TRUE(cites(*a, special_id_));
}

TEST_F(AskScope, ANarrowedQuestionUsesTheStoredCollectionSummaryAndLeavesIt) {
  auto whole = ask(*lib_, nullptr, question(700, /*max_documents=*/0));
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->plan.documents.size(), static_cast<size_t>(kDocuments));
  ASSERT_EQ(count("SELECT count(*) FROM summary_nodes WHERE level = 2"), 1);
  const int64_t collection_node = count("SELECT id FROM summary_nodes WHERE level = 2");
  const int64_t nodes = count("SELECT count(*) FROM summary_nodes");

  auto a = ask(*lib_, nullptr, question(700));
  ASSERT_TRUE(a) << a.error().message;
  bool has_collection = false;
  for (const auto& e : a->evidence)
    if (e.kind == "collection summary") has_collection = e.node_id && *e.node_id == collection_node;
  EXPECT_TRUE(has_collection);
  EXPECT_EQ(count("SELECT id FROM summary_nodes WHERE level = 2"), collection_node);
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes"), nodes);
  EXPECT_EQ(a->usage.stage("map").calls + a->usage.stage("reduce").calls, 0);  // all reused
}

TEST_F(AskScope, NarrowedDocumentsReadInlineComeWithTheStoredCollectionSummary) {
  ASSERT_TRUE(ask(*lib_, nullptr, question(700, /*max_documents=*/0)));  // builds the collection node
  const int64_t collection_node = count("SELECT id FROM summary_nodes WHERE level = 2");
  auto a = ask(*lib_, nullptr, question(4096));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeInline);
  ASSERT_FALSE(a->evidence.empty());
  const auto& last = a->evidence.back();
  EXPECT_EQ(last.kind, "collection summary");
  EXPECT_EQ(last.node_id.value_or(0), collection_node);
  EXPECT_EQ(last.n, static_cast<int>(a->evidence.size()));
  EXPECT_LE(a->plan.context_tokens, a->plan.available_tokens);
}

TEST_F(AskScope, NarrowedDocumentsThatFitAreReadInline) {
  auto a = ask(*lib_, nullptr, question(4096));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeInline);
  ASSERT_EQ(a->plan.documents.size(), 3u);
  EXPECT_EQ(a->plan.left_out.front().what, "27 other documents of the 30 in scope");
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes"), 0);
  EXPECT_TRUE(cites(*a, special_id_));
}

TEST_F(AskScope, AScopeThatFitsIsNotNarrowed) {
  auto a = ask(*lib_, nullptr, question(32768));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.mode, kModeInline);
  EXPECT_EQ(a->plan.documents.size(), static_cast<size_t>(kDocuments));
  EXPECT_TRUE(a->plan.left_out.empty());
}

TEST_F(AskScope, DocumentsNamedOneByOneAreAllRead) {
  auto docs = lib_->documents(std::nullopt);
  ASSERT_TRUE(docs);
  AskOptions o = question(700);
  o.collection.reset();
  for (int i = 0; i < 5; ++i) o.document_ids.push_back((*docs)[static_cast<size_t>(i)].id);
  auto a = ask(*lib_, nullptr, o);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->plan.documents.size(), 5u);
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes WHERE level = 1"), 5);
}

TEST_F(AskScope, ALargeScopeWithNoMatchingPassageIsAClearError) {
  AskOptions o = question(700);
  o.question = "Where are the quasars?";
  auto a = ask(*lib_, nullptr, o);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::NotFound);
  EXPECT_NE(a.error().message.find("no passage of the 30 documents in scope matches the question"), std::string::npos)
      << a.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM summary_nodes"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM answers"), 0);
}

// "What is this about?" over a large collection matches no passage; once the collection is summarized,
// its stored summary answers rather than an error.
TEST_F(AskScope, WithNoMatchingPassageTheStoredCollectionSummaryAnswers) {
  ASSERT_TRUE(ask(*lib_, nullptr, question(700, /*max_documents=*/0)));  // builds the collection node
  const int64_t collection_node = count("SELECT id FROM summary_nodes WHERE level = 2");
  AskOptions o = question(700);
  o.question = "Where are the quasars?";
  auto a = ask(*lib_, nullptr, o);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->evidence.size(), 1u);
  EXPECT_EQ(a->evidence[0].kind, "collection summary");
  EXPECT_EQ(a->evidence[0].node_id.value_or(0), collection_node);
  ASSERT_EQ(a->citations.size(), 1u);
  EXPECT_EQ(a->citations[0].n, 1);
  EXPECT_NE(a->text.find("No passage of the documents matches the question. The collection's summary:"),
            std::string::npos) << a->text;
  EXPECT_NE(a->text.find("[1] collection summary"), std::string::npos) << a->text;
  EXPECT_EQ(a->plan.documents.size(), 0u);
}

// Over the whole library (the desktop's default scope) each collection's stored summary serves, each
// named by its collection.
TEST_F(AskScope, OverTheWholeLibraryEachCollectionsStoredSummaryServes) {
  std::vector<std::pair<std::string, std::string>> ops;
  for (int i = 0; i < 15; ++i) ops.emplace_back("ops" + std::to_string(i) + ".md", note(100 + i));
  ASSERT_TRUE(notes_.ingest("ops", ops, "ops"));
  for (const char* c : {"kb", "ops"}) {
    AskOptions whole = question(700, /*max_documents=*/0);
    whole.collection = c;
    ASSERT_TRUE(ask(*lib_, nullptr, whole));  // builds the collection's node
  }
  ASSERT_EQ(count("SELECT count(*) FROM summary_nodes WHERE level = 2"), 2);
  AskOptions o = question(4096);  // room for both summaries (up to 480 tokens each)
  o.collection.reset();
  o.question = "Where are the quasars?";
  auto a = ask(*lib_, nullptr, o);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->evidence.size(), 2u);
  EXPECT_EQ(a->evidence[0].kind, "collection summary");
  EXPECT_EQ(a->evidence[0].heading, "kb");
  EXPECT_EQ(a->evidence[1].heading, "ops");
  // A question that matches reads its best documents and still gets both summaries.
  o.question = question(4096).question;
  auto b = ask(*lib_, nullptr, o);
  ASSERT_TRUE(b) << b.error().message;
  int summaries = 0;
  for (const auto& e : b->evidence) summaries += e.kind == "collection summary";
  EXPECT_EQ(summaries, 2);
}

}  // namespace
}  // namespace folio::app
