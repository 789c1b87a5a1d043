// The v4 -> v5 migration: chunks_fts is recreated with prefix indexes and every chunk re-indexed, in
// batches that report progress, in one transaction; prefix (and word) searches return the same hits,
// scores and snippets as on the v4 library; a cancelled migration leaves the v4 library as it was.
// (Opening the library also runs the v6 step, which re-indexes again with the CJK tokenizer; its
// progress is test_library_cjk_migration's.)
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "support/v4_library.h"
#include "unit/ingest/test_library_util.h"
#include "unit/ingest/test_prefix_corpus.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;

namespace {

constexpr int kChunks = 21000;  // more than one re-index batch

std::vector<SearchResult> searchAll(Database& db);
std::string ftsTableSql(Database& db);

// A library at schema version 4 (support/v4_library.h) of the prefix corpus. `hits` gets what the
// queries find in it.
void createV4Library(const fs::path& path, std::vector<SearchResult>& hits) {
  const auto chunks = test::prefixCorpus(kChunks, 17);
  auto made = folio::test::createV4Library(path, chunks, 1000);
  ASSERT_TRUE(made) << made.error().message;
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_EQ(ftsTableSql(*db).find("prefix"), std::string::npos) << ftsTableSql(*db);
  hits = searchAll(*db);
}

std::string ftsTableSql(Database& db) {
  auto s = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'chunks_fts'");
  return s && s->step().value() ? s->columnText(0) : std::string();
}

// Every prefix query of the corpus, some words, and a query mixing both.
std::vector<std::string> queries() {
  std::vector<std::string> q = test::prefixQueries();
  for (const char* more : {"sandor", "termination", "indemnity kaka", "ka ter*", "\"contract term\""})
    q.push_back(more);
  return q;
}

std::vector<SearchResult> searchAll(Database& db) {
  std::vector<SearchResult> results;
  for (const std::string& q : queries()) {
    SearchOptions options;
    options.limit = 40;
    auto r = search(db, q, options);
    EXPECT_TRUE(r) << q << ": " << r.error().message;
    results.push_back(r ? *r : SearchResult{});
  }
  return results;
}

void expectSameHits(const std::vector<SearchResult>& before, const std::vector<SearchResult>& after) {
  const auto q = queries();
  ASSERT_EQ(before.size(), after.size());
  size_t hits = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    const auto& b = before[i].hits;
    const auto& a = after[i].hits;
    ASSERT_EQ(a.size(), b.size()) << q[i];
    hits += b.size();
    for (size_t h = 0; h < b.size(); ++h) {
      EXPECT_EQ(a[h].chunk_id, b[h].chunk_id) << q[i] << " hit " << h;
      EXPECT_EQ(a[h].score, b[h].score) << q[i] << " hit " << h;
      EXPECT_EQ(a[h].snippet, b[h].snippet) << q[i] << " hit " << h;
      EXPECT_EQ(a[h].heading, b[h].heading) << q[i] << " hit " << h;
      EXPECT_EQ(a[h].rel_path, b[h].rel_path) << q[i] << " hit " << h;
    }
  }
  EXPECT_GT(hits, 20 * q.size());  // the queries find plenty, so the comparison means something
}

void expectIndexIntact(Database& db) {
  auto st = db.exec("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)");
  EXPECT_TRUE(st) << st.error().message;
}

}  // namespace

TEST(LibraryPrefixMigration, RebuildsTheIndexWithPrefixesAndKeepsEveryHit) {
  TempDir dir;
  const fs::path path = dir.path() / "v4.sqlite";
  std::vector<SearchResult> before;
  createV4Library(path, before);
  std::vector<MigrationProgress> progress;
  auto lib = Library::open(path, {}, [&](const MigrationProgress& p) {
    progress.push_back(p);
    return true;
  });
  ASSERT_TRUE(lib) << lib.error().message;
  Database& db = lib->db();
  EXPECT_EQ(*schemaVersion(db), kSchemaVersion);
  // The table as the newest migration declares it (the constants search relies on).
  std::string lengths;
  for (int n : kChunkPrefixLengths) {
    if (!lengths.empty()) lengths += ' ';
    lengths += std::to_string(n);
  }
  const std::string sql = ftsTableSql(db);
  EXPECT_NE(sql.find("prefix='" + lengths + "'"), std::string::npos) << sql;
  EXPECT_NE(sql.find("tokenize='" + std::string(kChunkTokenizer) + "'"), std::string::npos) << sql;
  EXPECT_EQ(*db.queryInt("SELECT count(*) FROM chunks_fts_config WHERE k = 'rank' AND v = 'bm25(1.0, 4.0)'"),
            1);
  expectIndexIntact(db);
  // Progress: from 0 to every chunk, one report per batch, once: steps 5, 6 and 10 each rebuild the
  // index, so they and the steps between run as one, re-indexing for the last (reported as v4 -> v10).
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(progress.front().done, 0);
  EXPECT_EQ(progress[1].done, 20000);
  EXPECT_EQ(progress.back().done, kChunks);
  for (const auto& p : progress) {
    EXPECT_EQ(p.version, 10);  // v5, v6 and v10 re-index once, reported by v10
    EXPECT_EQ(p.from_version, 4);
    EXPECT_EQ(p.total, kChunks);
    EXPECT_FALSE(p.summary.empty());
  }
  expectSameHits(before, searchAll(db));
  // The triggers still keep the recreated table in sync.
  ASSERT_TRUE(db.exec("DELETE FROM chunks WHERE id % 3 = 0"));
  expectIndexIntact(db);
}

TEST(LibraryPrefixMigration, ACancelledMigrationLeavesTheV4LibraryAsItWas) {
  TempDir dir;
  const fs::path path = dir.path() / "v4.sqlite";
  std::vector<SearchResult> before;
  createV4Library(path, before);
  int calls = 0;
  auto lib = Library::open(path, {}, [&](const MigrationProgress& p) { return ++calls < 2 || p.done == 0; });
  ASSERT_FALSE(lib);
  EXPECT_EQ(lib.error().kind, folio::ErrorKind::Cancelled);
  EXPECT_NE(lib.error().message.find("v4.sqlite"), std::string::npos) << lib.error().message;
  EXPECT_NE(lib.error().message.find("schema version 4"), std::string::npos) << lib.error().message;
  EXPECT_EQ(calls, 2);
  auto db = Database::open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(*schemaVersion(*db), 4);
  EXPECT_EQ(ftsTableSql(*db).find("prefix"), std::string::npos);
  expectIndexIntact(*db);
  expectSameHits(before, searchAll(*db));
}

// A small v4 library whose write lock another connection (another Folio process) holds, and a second
// connection to upgrade it.
struct LockedV4Library {
  TempDir dir;
  std::optional<Database> other, db;
  LockedV4Library() {
    const fs::path path = dir.path() / "v4.sqlite";
    auto made = folio::test::createV4Library(path, test::prefixCorpus(300, 5), 100);
    EXPECT_TRUE(made) << made.error().message;
    auto a = Database::open(path), b = Database::open(path);
    EXPECT_TRUE(a && b);
    other.emplace(std::move(*a));
    db.emplace(std::move(*b));
    EXPECT_TRUE(other->exec("BEGIN IMMEDIATE"));
  }
};

// With an observer, migrate reports `waiting` in short rounds instead of failing with "database is
// locked" after the 10 s busy timeout, then upgrades once the lock is released.
TEST(LibraryPrefixMigration, WaitsForAnotherWriterAndSaysSo) {
  LockedV4Library lib;
  int waits = 0;
  std::vector<MigrationProgress> work;
  auto done = migrate(*lib.db, kSchemaVersion, [&](const MigrationProgress& p) {
    if (p.waiting) {
      EXPECT_EQ(p.version, 5);
      if (++waits == 3) EXPECT_TRUE(lib.other->exec("ROLLBACK"));  // the other writer finishes
    } else {
      work.push_back(p);
    }
    return true;
  });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(waits, 3);
  ASSERT_FALSE(work.empty());
  EXPECT_EQ(work.back().done, 300);
  EXPECT_EQ(schemaVersion(*lib.db).value(), kSchemaVersion);
}

TEST(LibraryPrefixMigration, CancelWhileWaitingLeavesTheLibraryAtV4) {
  LockedV4Library lib;
  int waits = 0;
  auto done = migrate(*lib.db, kSchemaVersion, [&](const MigrationProgress& p) {
    EXPECT_TRUE(p.waiting);
    return ++waits < 2;
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, folio::ErrorKind::Cancelled);
  EXPECT_NE(done.error().message.find("stays at schema version 4"), std::string::npos) << done.error().message;
  ASSERT_TRUE(lib.other->exec("ROLLBACK"));
  EXPECT_EQ(schemaVersion(*lib.db).value(), 4);

  // Without an observer a held lock is an error after the busy timeout, as for any other writer.
  ASSERT_TRUE(lib.other->exec("BEGIN IMMEDIATE"));
  lib.db->setBusyTimeout(50);
  auto plain = migrate(*lib.db);
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().message.find("locked"), std::string::npos) << plain.error().message;
  ASSERT_TRUE(lib.other->exec("ROLLBACK"));
}
