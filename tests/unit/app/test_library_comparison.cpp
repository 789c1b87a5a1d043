// Two library documents compared for the desktop app (app/compare/library_comparison.h): the file saved
// first is the old version, errors name the side and the document, a set cancel flag stops the run,
// a swap compares the other way round, and each listed difference points at the chunk that shows it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "app/compare/library_comparison.h"
#include "ingest/ingest_job.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

const char* kOld =
    "SUPPLY AGREEMENT\n\n1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within thirty (30) days of receipt.\n\n"
    "2. Insurance\n\n2.1 Cover. The Supplier shall maintain professional indemnity insurance of at least EUR 1,000,000.\n\n"
    "3. Term\n\n3.1 Duration. This agreement runs for two years from the Effective Date.\n";
const char* kNew =
    "SUPPLY AGREEMENT\n\n1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within sixty (60) days of receipt.\n\n"
    "2. Term\n\n2.1 Duration. This agreement runs for two years from the Effective Date.\n";

TEST(LibraryComparison, TheFileSavedFirstIsTheOldVersion) {
  ingest::DocumentRecord a, b;
  a.id = 1;
  b.id = 2;
  a.mtime_ns = 2'000;  // stored first, saved later
  b.mtime_ns = 1'000;
  EXPECT_TRUE(isOlderVersion(b, a));
  EXPECT_FALSE(isOlderVersion(a, b));
  b.mtime_ns = a.mtime_ns;  // saved together: ingested first, then stored first
  a.ingested_at = 50;
  b.ingested_at = 40;
  EXPECT_TRUE(isOlderVersion(b, a));
  b.ingested_at = a.ingested_at;
  EXPECT_TRUE(isOlderVersion(a, b));
  EXPECT_FALSE(isOlderVersion(a, a));
}

class LibraryComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-library-comparison-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "deal" / "v1");
    fs::create_directories(dir_ / "deal" / "v2");
    std::ofstream(dir_ / "deal" / "v1" / "supply.txt") << kOld;
    std::ofstream(dir_ / "deal" / "v2" / "supply.txt") << kNew;
    std::ofstream(dir_ / "deal" / "blob.bin", std::ios::binary)
        << std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + std::string(4000, '\0');
    auto lib = ingest::Library::open(dir_ / "lib.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    ingest::IngestOptions opt;
    opt.collection = "deal";
    opt.worker_threads = 1;
    std::vector<fs::path> roots{dir_ / "deal"};
    ingest::EstimatingTokenCounter counter;
    auto rep = ingest::runIngest(*lib_, roots, opt, counter);
    ASSERT_TRUE(rep) << rep.error().message;
    auto docs = lib_->documents();
    ASSERT_TRUE(docs);
    for (const auto& d : *docs) {
      if (d.rel_path == "v1/supply.txt") old_id_ = d.id;
      if (d.rel_path == "v2/supply.txt") new_id_ = d.id;
      if (d.rel_path == "blob.bin") blob_id_ = d.id;
    }
    ASSERT_TRUE(old_id_ && new_id_ && blob_id_);
  }
  void TearDown() override {
    lib_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  std::optional<ingest::Library> lib_;
  int64_t old_id_ = 0, new_id_ = 0, blob_id_ = 0;
};

TEST_F(LibraryComparisonTest, ListedChangesPointAtTheChunkThatShowsThem) {
  auto c = compareLibraryDocuments(*lib_, old_id_, new_id_);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->old_doc->document_id, old_id_);
  EXPECT_EQ(c->new_doc->name, "v2/supply.txt");
  const auto listed = listedChanges(c->comparison);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].change->kind, ChangeKind::Replaced);
  EXPECT_FALSE(listed[0].in_old);
  const ingest::StoredChunk* fees = comparedChunk(*c->new_doc, listed[0].chunk_id);
  ASSERT_NE(fees, nullptr);
  EXPECT_NE(fees->text.find("sixty (60)"), std::string::npos);
  EXPECT_EQ(listed[1].change->kind, ChangeKind::ClauseRemoved);
  EXPECT_TRUE(listed[1].in_old);  // the new version lacks it
  const ingest::StoredChunk* insurance = comparedChunk(*c->old_doc, listed[1].chunk_id);
  ASSERT_NE(insurance, nullptr);
  EXPECT_NE(insurance->text.find("Insurance"), std::string::npos);
  EXPECT_EQ(comparedChunk(*c->new_doc, listed[1].chunk_id), nullptr);

  auto swapped_or = swappedComparison(*c);
  ASSERT_TRUE(swapped_or) << swapped_or.error().message;
  const LibraryComparison& swapped = *swapped_or;
  EXPECT_EQ(swapped.old_doc->document_id, new_id_);
  const auto back = listedChanges(swapped.comparison);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].change->kind, ChangeKind::ClauseAdded);
  EXPECT_FALSE(back[1].in_old);
  EXPECT_NE(comparedChunk(*swapped.new_doc, back[1].chunk_id), nullptr);
}

TEST_F(LibraryComparisonTest, ErrorsNameTheSideAndTheDocument) {
  auto blob = compareLibraryDocuments(*lib_, old_id_, blob_id_);
  ASSERT_FALSE(blob);
  EXPECT_EQ(blob.error().message.rfind("the new version: document " + std::to_string(blob_id_) + " (blob.bin) has no text", 0), 0u)
      << blob.error().message;
  auto gone = compareLibraryDocuments(*lib_, 999, new_id_);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().message.rfind("the old version: no document 999", 0), 0u) << gone.error().message;
  const std::atomic<bool> cancel{true};
  auto stopped = compareLibraryDocuments(*lib_, old_id_, new_id_, &cancel);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().kind, ErrorKind::Cancelled);
  size_t reported = 0;  // the comparison's progress comes through, over the old version's tokens
  auto fine = compareLibraryDocuments(*lib_, old_id_, new_id_, nullptr, [&reported](size_t, size_t total) { reported = total; });
  ASSERT_TRUE(fine);
  EXPECT_EQ(reported, fine->comparison.old_tokens);
  auto swap_stopped = swappedComparison(*fine, &cancel);  // the swap's comparison looks at the flag too
  ASSERT_FALSE(swap_stopped);
  EXPECT_EQ(swap_stopped.error().kind, ErrorKind::Cancelled);
}

}  // namespace
}  // namespace folio::app
