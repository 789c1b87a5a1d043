// A size cap kept with a collection (IngestOptions::max_file_bytes, `folio ingest --max-file-mib`): a
// 3 MiB generated C file the default 2 MiB cap skips is read once the collection's cap is raised, and
// stays read by later ingests and re-reads that do not name the cap; 0 goes back to the defaults; the
// cap only raises the defaults; another collection keeps the defaults.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
using folio::ingest::test::writeText;

namespace {

std::string generatedC(size_t bytes) {
  std::string s;
  for (int i = 0; s.size() < bytes; ++i)
    s += "int generated_" + std::to_string(i) + "(int x) { return x * " + std::to_string(i) + " + 1; }\n";
  return s;
}

class IngestSizeCap : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = dir_.path() / "tree";
    writeText(tree_ / "parser.c", generatedC(3u << 20));
    writeText(tree_ / "small.c", generatedC(1536u << 10));  // 1.5 MiB: under the default code cap
    auto lib = Library::open(dir_.path() / "lib.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
  }

  IngestReport ingest(std::optional<uint64_t> cap, const std::string& collection = "src", fs::path root = {}) {
    IngestOptions o;
    o.collection = collection;
    o.max_file_bytes = cap;
    o.worker_threads = 1;
    std::vector<fs::path> roots{root.empty() ? tree_ : root};
    auto r = runIngest(*lib_, roots, o, tokens_);
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_TRUE(verifyLibrary(lib_->db()));
    return r ? *r : IngestReport{};
  }

  DocumentStatus status(const std::string& collection, const std::string& rel) {
    const auto docs = lib_->documents();  // a named result: the range must outlive the loop
    EXPECT_TRUE(docs);
    for (const auto& d : *docs)
      if (d.collection == collection && d.rel_path == rel) return d.status;
    ADD_FAILURE() << rel << " not in " << collection;
    return DocumentStatus::Failed;
  }

  TempDir dir_;
  fs::path tree_;
  EstimatingTokenCounter tokens_;
  std::optional<Library> lib_;
};

}  // namespace

TEST_F(IngestSizeCap, ARaisedCapIsKeptWithTheCollection) {
  auto first = ingest(std::nullopt);
  EXPECT_EQ(first.skipped, 1u);
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Skipped);

  auto raised = ingest(4u << 20);
  EXPECT_EQ(raised.updated + raised.added, 1u);
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Ok);
  EXPECT_EQ(*lib_->collectionMaxFileBytes(*lib_->ensureCollection("src")), 4u << 20);

  // An ordinary ingest, and a re-read of the document, keep it: the collection remembers the cap.
  auto again = ingest(std::nullopt);
  EXPECT_EQ(again.skipped + again.removed, 0u);
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Ok);
  std::vector<int64_t> ids;
  const auto docs = lib_->documents();
  ASSERT_TRUE(docs);
  for (const auto& d : *docs) ids.push_back(d.id);
  auto reread = rereadDocuments(*lib_, ids, {}, tokens_);
  ASSERT_TRUE(reread) << reread.error().message;
  EXPECT_EQ(reread->skipped, 0u);
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Ok);

  // Another collection (another copy of the tree: a file belongs to one collection) has the defaults.
  fs::copy(tree_, dir_.path() / "copy", fs::copy_options::recursive);
  ingest(std::nullopt, "other", dir_.path() / "copy");
  EXPECT_EQ(status("other", "parser.c"), DocumentStatus::Skipped);

  // 0 goes back to the defaults: the file is skipped again.
  ingest(0);
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Skipped);
}

TEST_F(IngestSizeCap, ACapBelowTheDefaultsLowersNothing) {
  ingest(1u << 20);
  EXPECT_EQ(status("src", "small.c"), DocumentStatus::Ok);  // 1.5 MiB, under the 2 MiB default
  EXPECT_EQ(status("src", "parser.c"), DocumentStatus::Skipped);
}
