// A collection's summary as a report (`folio report --collection`, the desktop's Summarize collection):
// the stored tree of the summarizer that last summarized the collection, read as stored for a model
// (a report runs no model), built or reused extractively when none is stored.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "app/pipeline/model_runtime.h"
#include "app/pipeline/model_summarizer.h"
#include "app/pipeline/token_counter.h"
#include "app/report/report_builder.h"
#include "unit/app/notes_library.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

const fs::path kTinyModel = fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";

class CollectionReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(notes_.open());
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 3; ++i)
      files.emplace_back("route" + std::to_string(i) + ".md", "# Route " + std::to_string(i) + "\n\nRoute " +
                                                                std::to_string(i) + " runs through depot " +
                                                                std::to_string(i) +
                                                                " twice a day. Late parcels are logged by the driver.\n");
    ASSERT_TRUE(notes_.ingest("docs", files, "kb"));
  }
  int64_t nodes() { return *lib_->db().queryInt("SELECT count(*) FROM summary_nodes"); }

  test::NotesLibrary notes_;
  std::optional<ingest::Library>& lib_ = notes_.lib;
};

TEST_F(CollectionReport, WithoutAStoredTreeAnExtractiveOneIsBuiltThenReused) {
  auto r = collectionSummaryReport(*lib_, "kb");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "Summary of collection kb");
  ASSERT_EQ(r->sections.size(), 1u);
  EXPECT_EQ(r->sections[0].label, "Extractive summary (no model loaded)");
  EXPECT_FALSE(r->sections[0].body.empty());
  EXPECT_EQ(r->sections[0].sources.size(), 3u);
  const int64_t built = nodes();
  EXPECT_EQ(*lib_->db().queryInt("SELECT count(*) FROM summary_nodes WHERE level = 2"), 1);
  ASSERT_TRUE(collectionSummaryReport(*lib_, "kb"));
  EXPECT_EQ(nodes(), built);
}

TEST_F(CollectionReport, AModelsTreeIsReadAsStored) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  ModelSummarizer summarizer(*rt, 2048, 1.0);
  const auto counter = makeTokenCounter(rt->tokenizer.get());
  SummaryTreeBuilder builder(*lib_, summarizer, *counter);
  auto docs = lib_->documents(std::nullopt);
  ASSERT_TRUE(docs);
  auto tree = builder.build(*docs, **lib_->findCollection("kb"));
  ASSERT_TRUE(tree) << tree.error().message;
  const int64_t stored = nodes();
  auto r = collectionSummaryReport(*lib_, "kb");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->sections[0].label.rfind("Collection summary (tiny-f32-h4-ls", 0), 0u) << r->sections[0].label;
  EXPECT_EQ(r->sections[0].body, tree->collection->text);
  EXPECT_EQ(r->sections[0].sources.size(), 3u);
  EXPECT_EQ(nodes(), stored);  // nothing built: no extractive tree beside the model's
}

TEST_F(CollectionReport, AnUnknownCollectionIsNamed) {
  auto r = collectionSummaryReport(*lib_, "nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
  EXPECT_NE(r.error().message.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace folio::app
