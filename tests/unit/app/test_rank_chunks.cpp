// Ranking passages for a question (rankChunks): a question's words spread over several passages are
// all found, the passages holding more of them first, and a scope holding few of the library's best
// hits still gets its own.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "ingest/library/library.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app {
namespace {

using ingest::test::makeChunk;
using ingest::test::TempDir;

class RankChunks : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = ingest::Library::open(dir_.path() / "l.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
  }

  void add(const std::string& collection, const std::string& name, const std::vector<std::string>& texts) {
    const int64_t col = *lib_->ensureCollection(collection);
    ingest::DocumentRecord d{.collection_id = col, .path = "/docs/" + name, .rel_path = name, .kind = "text",
                             .status = ingest::DocumentStatus::Ok};
    std::vector<ingest::Chunk> chunks;
    for (const auto& t : texts) chunks.push_back(makeChunk(t));
    auto tx = lib_->beginWrite();  // chunks are indexed for search when the write commits
    ASSERT_TRUE(tx);
    ASSERT_TRUE(lib_->putDocument(d, chunks));
    ASSERT_TRUE(tx->commit());
  }

  std::vector<ingest::DocumentRecord> documents(const std::string& collection = {}) {
    auto all = lib_->documents();
    EXPECT_TRUE(all);
    std::vector<ingest::DocumentRecord> out;
    for (auto& d : *all)
      if (collection.empty() || d.collection == collection) out.push_back(std::move(d));
    return out;
  }

  TempDir dir_;
  std::optional<ingest::Library> lib_;
};

TEST_F(RankChunks, PassagesHoldingSomeOfTheQuestionsWordsAreFoundAfterThoseHoldingMore) {
  add("contracts", "msa.txt",
      {"The notice period for termination is thirty days.",
       "Customer may terminate for convenience on one hundred and twenty days' notice.",
       "The initial period is three years.", "Bananas are yellow."});
  auto r = rankChunks(*lib_, "What is the notice period for termination?", documents(), 10);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> texts;
  for (const auto& c : *r) texts.push_back(c.chunk.text);
  ASSERT_EQ(texts.size(), 3u) << "every passage with a word of the question, not only the one with all";
  EXPECT_EQ(texts[0], "The notice period for termination is thirty days.");
  EXPECT_EQ((*r)[0].coverage, 3);
  EXPECT_EQ((*r)[1].coverage, 2);  // terminate + notice
  EXPECT_EQ(texts[1], "Customer may terminate for convenience on one hundred and twenty days' notice.");
  EXPECT_EQ((*r)[2].coverage, 1);
}

TEST_F(RankChunks, AScopeWithFewOfTheBestHitsStillGetsItsOwn) {
  // 300 strong hits elsewhere in the library outrank the scope's one weak hit.
  std::vector<std::string> strong(300, "Termination notice: termination requires notice. Termination notice.");
  add("archive", "old.txt", strong);
  add("current", "new.txt", {"A letter gives notice of termination, among many other words of this long clause."});
  auto r = rankChunks(*lib_, "termination notice", documents("current"), 10);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].path, "new.txt");
  // The whole library still ranks the strong hits first and stops at the limit.
  auto all = rankChunks(*lib_, "termination notice", documents(), 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ((*all)[0].path, "old.txt");
}

}  // namespace
}  // namespace folio::app
