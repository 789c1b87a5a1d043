// The ingest job: incremental (unchanged / changed / deleted), skipped and failed files recorded with
// reasons, cancel-then-resume equal to an uninterrupted run, progress, and root errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "ingest/library/verify.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
using folio::ingest::test::writeText;

namespace {

class IngestJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = dir_.path() / "tree";
    writeText(tree_ / "README.md", "# Shiptrack\n\nTracks parcels across carriers.\n\n## Usage\n\nRun the tracker.\n");
    writeText(tree_ / "notes.txt", "Quarterly review of the warehouse contracts.\n");
    writeText(tree_ / "src/route.py",
              "def shortest_route(graph, start):\n    return dijkstra(graph, start)\n\n\n"
              "class Courier:\n    def deliver(self, parcel):\n        return parcel\n");
    writeText(tree_ / "src/geo.cpp", "double haversine(double a, double b) {\n  return a - b;\n}\n");
    lib_ = open(dir_.path() / "lib.sqlite");
  }

  static Library open(const fs::path& path) {
    auto lib = Library::open(path);
    EXPECT_TRUE(lib) << lib.error().message;
    return std::move(*lib);
  }

  IngestReport ingest(Library& lib, std::vector<fs::path> roots, IngestOptions options = {},
                      const std::atomic<bool>* cancel = nullptr, const IngestProgressFn& progress = {}) {
    auto r = runIngest(lib, roots, options, tokens_, progress, cancel);
    EXPECT_TRUE(r) << r.error().message;
    auto ok = verifyLibrary(lib.db());
    EXPECT_TRUE(ok) << ok.error().message;
    return r ? *r : IngestReport{};
  }

  const DocumentRecord* find(const std::vector<DocumentRecord>& docs, const std::string& rel) {
    auto it = std::find_if(docs.begin(), docs.end(), [&](const DocumentRecord& d) { return d.rel_path == rel; });
    return it == docs.end() ? nullptr : &*it;
  }

  size_t hits(const std::string& q) {
    SearchOptions o;
    o.fall_back_to_any = false;
    auto r = search(lib_->db(), q, o);
    EXPECT_TRUE(r);
    return r ? r->hits.size() : 0;
  }

  TempDir dir_;
  fs::path tree_;
  EstimatingTokenCounter tokens_;
  std::optional<Library> lib_;
};

}  // namespace

TEST_F(IngestJobTest, AddsThenLeavesUnchangedFilesAlone) {
  auto first = ingest(*lib_, {tree_});
  EXPECT_EQ(first.added, 4u);
  EXPECT_EQ(first.unchanged + first.updated + first.removed + first.failed + first.skipped, 0u);
  EXPECT_GT(first.chunks, 0);
  EXPECT_FALSE(first.cancelled);
  auto docs = *lib_->documents();
  ASSERT_EQ(docs.size(), 4u);
  const DocumentRecord* py = find(docs, "src/route.py");
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->status, DocumentStatus::Ok);
  EXPECT_EQ(py->kind, "code");
  EXPECT_EQ(py->language, "python");
  EXPECT_EQ(py->content_hash.size(), 16u);
  EXPECT_EQ(py->line_count, 7);
  EXPECT_GT(py->chunk_count, 0);
  EXPECT_EQ(py->path, (tree_ / "src/route.py").string());
  EXPECT_EQ(hits("dijkstra"), 1u);
  const int64_t py_id = py->id;
  const int64_t chunk_id = (*lib_->chunks(py_id))[0].id;

  auto second = ingest(*lib_, {tree_});
  EXPECT_EQ(second.unchanged, 4u);
  EXPECT_EQ(second.added + second.updated + second.removed, 0u);
  EXPECT_EQ(second.chunks, 0);  // nothing re-chunked
  // Same rows: not re-inserted.
  EXPECT_EQ((*lib_->chunks(py_id))[0].id, chunk_id);
}

TEST_F(IngestJobTest, ChangedFileIsReplacedAndDeletedFileRemoved) {
  ingest(*lib_, {tree_});
  writeText(tree_ / "notes.txt", "Annual audit of the shipping invoices.\n");
  fs::remove(tree_ / "src/geo.cpp");
  auto r = ingest(*lib_, {tree_});
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(r.unchanged, 2u);
  EXPECT_EQ(r.added, 0u);
  EXPECT_EQ(hits("warehouse"), 0u);
  EXPECT_EQ(hits("invoices"), 1u);
  EXPECT_EQ(hits("haversine"), 0u);
  auto docs = *lib_->documents();
  EXPECT_EQ(docs.size(), 3u);
  EXPECT_EQ(find(docs, "src/geo.cpp"), nullptr);
}

TEST_F(IngestJobTest, FilesOutsideTheIngestedRootsAreKept) {
  const fs::path other = dir_.path() / "other";
  writeText(other / "memo.md", "# Memo\n\nThe depot closes in May.\n");
  ingest(*lib_, {tree_});
  ingest(*lib_, {other});  // a second root in the same collection
  EXPECT_EQ(lib_->documents()->size(), 5u);
  fs::remove(tree_ / "notes.txt");
  auto r = ingest(*lib_, {other});  // tree_ is not walked: its documents stay
  EXPECT_EQ(r.removed, 0u);
  EXPECT_EQ(lib_->documents()->size(), 5u);
  r = ingest(*lib_, {tree_, other});
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(r.unchanged, 4u);
}

TEST_F(IngestJobTest, CollectionsAreSeparate) {
  IngestOptions a;
  a.collection = "a";
  IngestOptions b;
  b.collection = "b";
  ingest(*lib_, {tree_}, a);
  auto r = ingest(*lib_, {tree_ / "src"}, b);
  EXPECT_EQ(r.added, 2u);
  EXPECT_EQ(r.removed, 0u);
  EXPECT_EQ(lib_->documents()->size(), 6u);
  EXPECT_EQ(lib_->documents(lib_->findCollection("b")->value())->size(), 2u);
}

TEST_F(IngestJobTest, SkippedAndFailedFilesAreRecordedWithReasons) {
  writeText(tree_ / "blob.dat", std::string("\x7f" "ELF\0\0\0binary", 13));
  writeText(tree_ / "broken.pdf", "%PDF-1.4\nthis is not really a pdf\n");
  auto r = ingest(*lib_, {tree_});
  EXPECT_EQ(r.added, 4u);
  ASSERT_EQ(r.skipped, 1u);
  ASSERT_EQ(r.failed, 1u);
  EXPECT_NE(r.skipped_files[0].path.find("blob.dat"), std::string::npos);
  EXPECT_NE(r.skipped_files[0].reason.find("binary"), std::string::npos) << r.skipped_files[0].reason;
  EXPECT_NE(r.failed_files[0].path.find("broken.pdf"), std::string::npos);
  EXPECT_FALSE(r.failed_files[0].reason.empty());
  auto docs = *lib_->documents();
  const DocumentRecord* blob = find(docs, "blob.dat");
  const DocumentRecord* pdf = find(docs, "broken.pdf");
  ASSERT_NE(blob, nullptr);
  ASSERT_NE(pdf, nullptr);
  EXPECT_EQ(blob->status, DocumentStatus::Skipped);
  EXPECT_EQ(blob->error, r.skipped_files[0].reason);
  EXPECT_EQ(pdf->status, DocumentStatus::Failed);
  EXPECT_EQ(pdf->error, r.failed_files[0].reason);
  EXPECT_EQ(pdf->chunk_count, 0);
  EXPECT_EQ(pdf->content_hash.size(), 16u);

  // Unchanged, they are reported again but not re-extracted or rewritten.
  const int64_t stamp = pdf->ingested_at;
  auto again = ingest(*lib_, {tree_});
  EXPECT_EQ(again.skipped, 1u);
  EXPECT_EQ(again.failed, 1u);
  EXPECT_EQ(again.unchanged, 4u);
  EXPECT_EQ(find(*lib_->documents(), "broken.pdf")->ingested_at, stamp);

  // Fixed, the failed document becomes ok.
  fs::remove(tree_ / "broken.pdf");
  writeText(tree_ / "broken.txt", "now plain text\n");
  auto fixed = ingest(*lib_, {tree_});
  EXPECT_EQ(fixed.failed, 0u);
  EXPECT_EQ(fixed.removed, 1u);
  EXPECT_EQ(fixed.added, 1u);
}

TEST_F(IngestJobTest, CancelThenResumeEqualsAnUninterruptedRun) {
  for (int i = 0; i < 400; ++i) {
    writeText(tree_ / ("gen/d" + std::to_string(i / 50)) / ("f" + std::to_string(i) + ".txt"),
              "File " + std::to_string(i) + " mentions parcel " + std::to_string(i * 7) + ".\n\nSecond paragraph.\n");
  }
  IngestOptions small;
  small.batch_files = 10;
  small.worker_threads = 2;
  std::atomic<bool> cancel{false};
  IngestProgress last;
  auto r1 = ingest(*lib_, {tree_}, small, &cancel, [&](const IngestProgress& p) {
    last = p;
    if (p.files_done >= 30) cancel = true;
  });
  EXPECT_TRUE(r1.cancelled);
  const size_t stored = lib_->documents()->size();
  EXPECT_GE(stored, 30u);
  EXPECT_LT(stored, 404u);
  EXPECT_GE(last.files_done, 30u);

  cancel = false;
  auto r2 = ingest(*lib_, {tree_}, small, &cancel);
  EXPECT_FALSE(r2.cancelled);
  EXPECT_EQ(r2.unchanged, r1.added);
  EXPECT_EQ(r2.added + r2.unchanged, 404u);

  auto ref = open(dir_.path() / "ref.sqlite");
  auto full = ingest(ref, {tree_});
  EXPECT_EQ(full.added, 404u);
  EXPECT_EQ(contentDigest(lib_->db()).value(), contentDigest(ref.db()).value());
}

TEST_F(IngestJobTest, ProgressIsMonotonicAndEndsComplete) {
  std::vector<IngestProgress> seen;
  ingest(*lib_, {tree_}, {}, nullptr, [&](const IngestProgress& p) { seen.push_back(p); });
  ASSERT_FALSE(seen.empty());
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].files_done, seen[i - 1].files_done);
  EXPECT_EQ(seen.back().files_done, 4u);
  EXPECT_EQ(seen.back().files_total, 4u);
  EXPECT_GT(seen.back().chunks, 0);
  EXPECT_GT(seen.back().bytes_done, 0u);
  EXPECT_EQ(seen.back().bytes_done, seen.back().bytes_total);
}

TEST_F(IngestJobTest, MissingRootIsAnErrorAndWritesNothing) {
  std::vector<fs::path> roots{tree_, dir_.path() / "nope"};
  auto r = runIngest(*lib_, roots, {}, tokens_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nope"), std::string::npos) << r.error().message;
  EXPECT_EQ(lib_->documents()->size(), 0u);
}

TEST_F(IngestJobTest, SingleFileRoot) {
  auto r = ingest(*lib_, {tree_ / "README.md"});
  EXPECT_EQ(r.added, 1u);
  auto docs = *lib_->documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].rel_path, "README.md");
  EXPECT_EQ(docs[0].kind, "markdown");
  // Re-ingesting the directory later keeps the same document.
  auto dir = ingest(*lib_, {tree_});
  EXPECT_EQ(dir.unchanged, 1u);
  EXPECT_EQ(dir.added, 3u);
}

TEST_F(IngestJobTest, SamplePdfGetsPagesAndTitle) {
  const fs::path pdf = fs::path(FOLIO_RESOURCES_DIR) / "samples/contracts/services-agreement.pdf";
  auto r = ingest(*lib_, {pdf});
  ASSERT_EQ(r.added, 1u) << (r.failed_files.empty() ? "" : r.failed_files[0].reason);
  EXPECT_EQ(r.pages, 6);
  auto docs = *lib_->documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].page_count, 6);
  EXPECT_EQ(docs[0].kind, "pdf");
  SearchOptions o;
  auto hit = search(lib_->db(), "terminate", o);
  ASSERT_TRUE(hit);
  ASSERT_FALSE(hit->hits.empty());
  EXPECT_GE(hit->hits[0].page_first, 1);
  EXPECT_LE(hit->hits[0].page_last, 6);
}

// ---- rereadDocuments: the GUI's Re-index --------------------------------------------------------------

TEST_F(IngestJobTest, RereadReadsTheDocumentsAgainInPlaceAndWalksNothingElse) {
  ingest(*lib_, {tree_});
  auto before = *lib_->documents();
  const DocumentRecord py = *find(before, "src/route.py");
  const DocumentRecord notes = *find(before, "notes.txt");
  const int64_t old_chunk = (*lib_->chunks(py.id))[0].id;
  const size_t geo_hits = hits("haversine");
  writeText(tree_ / "notes.txt", "Annual audit of the shipping invoices.\n");
  writeText(tree_ / "src/new.py", "def added_later():\n    pass\n");  // not asked for: stays out

  const std::vector<int64_t> ids{py.id, notes.id};
  auto r = rereadDocuments(*lib_, ids, {}, tokens_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 2u);  // read again even though route.py's hash is the same
  EXPECT_EQ(r->files_seen, 2u);
  EXPECT_EQ(r->added + r->removed + r->unchanged + r->skipped + r->failed, 0u);
  EXPECT_TRUE(verifyLibrary(lib_->db()));

  auto after = *lib_->documents();
  ASSERT_EQ(after.size(), 4u);
  const DocumentRecord* py_after = find(after, "src/route.py");  // not "route.py": the path it had
  ASSERT_NE(py_after, nullptr);
  EXPECT_EQ(py_after->id, py.id);
  EXPECT_EQ(py_after->collection, py.collection);
  EXPECT_EQ((*lib_->chunks(py.id))[0].id, old_chunk);  // same text again: the chunk keeps its row and id
  EXPECT_EQ(find(after, "notes.txt")->id, notes.id);
  EXPECT_EQ(hits("warehouse"), 0u);
  EXPECT_EQ(hits("invoices"), 1u);
  EXPECT_EQ(hits("haversine"), geo_hits);  // geo.cpp was not asked for and is untouched
}

TEST_F(IngestJobTest, RereadRemovesGoneFilesAndRecordsFilesThatBecameBinary) {
  ingest(*lib_, {tree_});
  auto docs = *lib_->documents();
  const int64_t geo = find(docs, "src/geo.cpp")->id, notes = find(docs, "notes.txt")->id,
                readme = find(docs, "README.md")->id;
  fs::remove(tree_ / "src/geo.cpp");
  fs::remove(tree_ / "README.md");
  fs::create_directories(tree_ / "README.md");  // a folder where the file was: not walked, removed
  writeText(tree_ / "README.md/inside.md", "# Inside\n");
  writeText(tree_ / "notes.txt", std::string("binary\0now", 10));

  const std::vector<int64_t> ids{geo, notes, readme, 987654};  // an unknown id is ignored
  auto r = rereadDocuments(*lib_, ids, {}, tokens_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->removed, 2u);
  EXPECT_EQ(r->skipped, 1u);
  EXPECT_EQ(r->added, 0u);
  EXPECT_TRUE(verifyLibrary(lib_->db()));
  auto after = *lib_->documents();
  ASSERT_EQ(after.size(), 2u);
  const DocumentRecord* skipped = find(after, "notes.txt");
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->status, DocumentStatus::Skipped);
  EXPECT_NE(skipped->error.find("binary"), std::string::npos) << skipped->error;
  EXPECT_EQ(hits("warehouse"), 0u);
  EXPECT_NE(find(after, "src/route.py"), nullptr);
}

TEST_F(IngestJobTest, RereadKeepsEachDocumentInItsCollection) {
  const fs::path other = dir_.path() / "other";
  writeText(other / "memo.md", "# Memo\n\nThe depot closes in May.\n");
  ingest(*lib_, {tree_});
  IngestOptions o;
  o.collection = "memos";
  ingest(*lib_, {other}, o);
  auto docs = *lib_->documents();
  const int64_t memo = find(docs, "memo.md")->id, notes = find(docs, "notes.txt")->id;
  writeText(other / "memo.md", "# Memo\n\nThe depot closes in June.\n");

  const std::vector<int64_t> ids{memo, notes};
  auto r = rereadDocuments(*lib_, ids, o, tokens_);  // options.collection is not where they go
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 2u);
  EXPECT_EQ(r->collection, "default, memos");
  auto after = *lib_->documents();
  EXPECT_EQ(after.size(), 5u);
  EXPECT_EQ(find(after, "memo.md")->collection, "memos");
  EXPECT_EQ(find(after, "notes.txt")->collection, "default");
  EXPECT_EQ(hits("June"), 1u);
}

TEST_F(IngestJobTest, CancelledRereadLeavesTheDocumentsAsTheyWere) {
  ingest(*lib_, {tree_});
  auto docs = *lib_->documents();
  const int64_t notes = find(docs, "notes.txt")->id;
  writeText(tree_ / "notes.txt", "Annual audit of the shipping invoices.\n");
  std::atomic<bool> cancel{true};
  const std::vector<int64_t> ids{notes};
  auto r = rereadDocuments(*lib_, ids, {}, tokens_, {}, &cancel);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(r->updated + r->removed, 0u);
  EXPECT_EQ(hits("warehouse"), 1u);
  EXPECT_EQ(lib_->documents()->size(), 4u);
}
