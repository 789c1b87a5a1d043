// Durability of ingest (label durability): `folio ingest` runs in a child process that is killed with
// SIGKILL at random moments (fixed seed), at least 20 times, while the tree keeps changing between
// runs. After every kill the library passes PRAGMA integrity_check, its FTS index matches the chunks,
// and no document is visible without its chunks. A final run then gives exactly the content (digest
// of documents + chunks) of an uninterrupted ingest of the same tree into a fresh library.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/library/database.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"
#include "support/child_process.h"
#include "support/run_process.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFiles = 3000;
constexpr int kKills = 20;

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A small document of one of three kinds; `version` changes its content.
std::string fileText(int i, int version, const std::string& ext) {
  const std::string n = std::to_string(i), v = std::to_string(version);
  if (ext == ".py") {
    return "\"\"\"Module " + n + ".\"\"\"\n\n\ndef handler_" + n + "(event):\n    return event + " + v +
           "\n\n\nclass Worker" + n + ":\n    def run(self):\n        return \"shipment " + n + " v" + v + "\"\n";
  }
  if (ext == ".md") {
    return "# Note " + n + "\n\nRevision " + v + " of the carrier agreement for depot " + n +
           ".\n\n## Terms\n\nNotice of termination is due " + std::to_string(30 + i % 60) + " days ahead.\n";
  }
  return "Ledger " + n + " revision " + v + ": parcel " + std::to_string(i * 13) + " delivered.\n\nSecond paragraph " +
         "about invoices and routes for item " + n + ".\n";
}

fs::path filePath(const fs::path& root, int i) {
  static const char* kExt[] = {".txt", ".md", ".py"};
  const std::string ext = kExt[i % 3];
  return root / ("d" + std::to_string(i % 37)) / ("s" + std::to_string(i % 5)) / ("f" + std::to_string(i) + ext);
}

std::vector<std::string> ingestArgs(const fs::path& lib, const fs::path& tree) {
  return {FOLIO_BINARY, "ingest", "--quiet", "--library", lib.string(), "--collection", "crash", tree.string()};
}

// kFiles small documents and the two sample PDFs under dir/tree (dir is emptied first).
fs::path makeTree(const fs::path& dir) {
  fs::remove_all(dir);
  const fs::path tree = dir / "tree";
  for (int i = 0; i < kFiles; ++i) {
    const fs::path p = filePath(tree, i);
    writeText(p, fileText(i, 0, p.extension().string()));
  }
  for (const char* pdf : {"contracts/services-agreement.pdf", "papers/decay-gated-retrieval.pdf"}) {
    fs::create_directories(tree / "pdf");
    fs::copy_file(fs::path(FOLIO_RESOURCES_DIR) / "samples" / pdf, tree / "pdf" / fs::path(pdf).filename());
  }
  return tree;
}

// Re-runs ingest on `lib_path` to completion and ingests `tree` uninterrupted into `reference`: both
// libraries must be consistent and hold the same content (documents + chunks digest).
void expectResumeMatchesAFreshIngest(const fs::path& lib_path, const fs::path& tree, const fs::path& reference) {
  auto resume = folio::test::runProcess(ingestArgs(lib_path, tree));
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  auto fresh_run = folio::test::runProcess(ingestArgs(reference, tree));
  ASSERT_EQ(fresh_run.exit_code, 0) << fresh_run.err;
  auto resumed = Library::open(lib_path);
  auto fresh = Library::open(reference);
  ASSERT_TRUE(resumed && fresh);
  auto ok = verifyLibrary(resumed->db());
  ASSERT_TRUE(ok) << ok.error().message;
  const int64_t docs = *fresh->db().queryInt("SELECT count(*) FROM documents");
  EXPECT_GE(docs, kFiles);
  EXPECT_EQ(*resumed->db().queryInt("SELECT count(*) FROM documents"), docs);
  EXPECT_EQ(*resumed->db().queryInt("SELECT count(*) FROM chunks"), *fresh->db().queryInt("SELECT count(*) FROM chunks"));
  EXPECT_EQ(*resumed->db().queryInt("SELECT count(*) FROM documents WHERE kind = 'pdf' AND status = 'ok'"), 2);
  EXPECT_EQ(contentDigest(resumed->db()).value(), contentDigest(fresh->db()).value());
}

}  // namespace

TEST(IngestCrash, SigkillAtRandomMomentsLeavesAConsistentLibraryAndResumes) {
  const fs::path dir = fs::temp_directory_path() / ("folio-crash-" + std::to_string(getpid()));
  const fs::path tree = makeTree(dir);

  // An uninterrupted run gives the time scale for the kill moments.
  const auto t0 = Clock::now();
  auto first = folio::test::runProcess(ingestArgs(dir / "timing.sqlite", tree));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const double full_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

  std::mt19937 rng(20240606);
  const fs::path lib_path = dir / "crash.sqlite";
  int kills = 0, attempts = 0, next_new = kFiles;
  double window_ms = full_ms;
  while (kills < kKills && attempts < 4 * kKills) {
    ++attempts;
    // Change the tree so every run has work: rewrite some files, delete a few, add a few.
    for (int k = 0; k < 150; ++k) {
      const int i = static_cast<int>(rng() % kFiles);
      const fs::path p = filePath(tree, i);
      writeText(p, fileText(i, attempts, p.extension().string()));
    }
    for (int k = 0; k < 5; ++k) fs::remove(filePath(tree, static_cast<int>(rng() % kFiles)));
    for (int k = 0; k < 10; ++k, ++next_new) {
      const fs::path p = filePath(tree, next_new);
      writeText(p, fileText(next_new, attempts, p.extension().string()));
    }

    const auto delay = std::chrono::duration<double, std::milli>(
        std::uniform_real_distribution<double>(0.05, 1.0)(rng) * window_ms);
    folio::test::ChildProcess child(ingestArgs(lib_path, tree));
    std::this_thread::sleep_for(delay);
    if (child.kill()) {
      ++kills;
    } else {
      window_ms *= 0.7;  // the run had finished: aim earlier next time
    }

    if (!fs::exists(lib_path)) continue;  // killed before the library was created
    auto lib = Library::open(lib_path);
    ASSERT_TRUE(lib) << "after attempt " << attempts << ": " << lib.error().message;
    auto ok = verifyLibrary(lib->db());
    ASSERT_TRUE(ok) << "after attempt " << attempts << ": " << ok.error().message;
    auto bare = lib->db().queryInt("SELECT count(*) FROM documents WHERE status = 'ok' AND chunk_count = 0");
    ASSERT_TRUE(bare);
    EXPECT_EQ(*bare, 0) << "after attempt " << attempts << ": ok documents without chunks";
  }
  EXPECT_GE(kills, kKills) << "only " << kills << " of " << attempts << " runs were still running when killed";

  // Resume to the end, and compare with a fresh uninterrupted ingest of the final tree.
  expectResumeMatchesAFreshIngest(lib_path, tree, dir / "reference.sqlite");
  fs::remove_all(dir);
}

// Ctrl-C: SIGINT once the first batch is committed; the run stops after its current batch with exit
// code 130, the library is consistent and holds part of the tree, and a re-run completes it.
TEST(IngestCrash, SigintCancelsCleanlyAndTheNextRunCompletes) {
  const fs::path dir = fs::temp_directory_path() / ("folio-sigint-" + std::to_string(getpid()));
  const fs::path tree = makeTree(dir);
  const fs::path lib_path = dir / "lib.sqlite";
  folio::test::ChildProcess child(ingestArgs(lib_path, tree));
  // Poll until some documents are committed (read-only peeks), then interrupt.
  int64_t committed = 0;
  for (int i = 0; i < 6000 && committed == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!fs::exists(lib_path)) continue;
    DatabaseOptions ro;
    ro.read_only = true;
    auto peek = Database::open(lib_path, ro);
    if (!peek) continue;
    auto n = peek->queryInt("SELECT count(*) FROM documents");
    if (n) committed = *n;
  }
  ASSERT_GT(committed, 0);
  child.signal(SIGINT);
  const int code = child.wait();
  ASSERT_EQ(code, 130) << "the run should stop early on SIGINT (0 means it had already finished)";
  {
    auto lib = Library::open(lib_path);
    ASSERT_TRUE(lib) << lib.error().message;
    ASSERT_TRUE(verifyLibrary(lib->db()));
    const int64_t docs = *lib->db().queryInt("SELECT count(*) FROM documents");
    EXPECT_GE(docs, committed);
    EXPECT_LT(docs, kFiles + 2);
  }
  expectResumeMatchesAFreshIngest(lib_path, tree, dir / "reference.sqlite");
  fs::remove_all(dir);
}
