// Library write batches: chunks stored in a LibraryTransaction are indexed for search when it commits,
// also when documents of the batch are replaced or removed before that; a rolled-back batch leaves
// nothing behind; the v3 -> v4 migration keeps existing chunks searchable.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "unit/ingest/test_library_util.h"

using namespace folio::ingest;
using folio::ingest::test::makeChunk;
using folio::ingest::test::TempDir;

namespace {

int64_t matches(Database& db, const std::string& term) {
  return *db.queryInt("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '" + term + "'");
}

// FTS5's own check that the index holds exactly the rows of its content table.
void expectIndexMatchesChunks(Database& db) {
  auto st = db.exec("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)");
  EXPECT_TRUE(st) << st.error().message;
}

DocumentRecord document(int64_t collection, const std::string& name) {
  return DocumentRecord{.collection_id = collection, .path = "/b/" + name, .rel_path = name, .kind = "text",
                        .status = DocumentStatus::Ok};
}

}  // namespace

TEST(LibraryBatch, ChunksAreSearchableAfterCommitIncludingReplacedAndRemovedDocuments) {
  TempDir dir;
  auto lib = Library::open(dir.path() / "l.sqlite");
  ASSERT_TRUE(lib);
  const int64_t col = *lib->ensureCollection("c");
  const int64_t kept = *lib->putDocument(document(col, "kept"), std::vector{makeChunk("earlier ledger")});
  {
    auto tx = lib->beginWrite();
    ASSERT_TRUE(tx) << tx.error().message;
    ASSERT_TRUE(lib->putDocument(document(col, "a"), std::vector{makeChunk("alpha one"), makeChunk("alpha two")}));
    const int64_t b = *lib->putDocument(document(col, "b"), std::vector{makeChunk("bravo")});
    // Replace a document stored earlier in this batch, then one committed before it.
    ASSERT_TRUE(lib->putDocument(document(col, "a"), std::vector{makeChunk("anew")}));
    ASSERT_TRUE(lib->putDocument(document(col, "kept"), std::vector{makeChunk("later ledger")}));
    ASSERT_TRUE(lib->putDocument(document(col, "c"), std::vector{makeChunk("charlie"), makeChunk("charlie")}));
    ASSERT_TRUE(lib->removeDocument(b));  // stored in this batch
    ASSERT_TRUE(tx->commit());
  }
  Database& db = lib->db();
  EXPECT_EQ(matches(db, "alpha"), 0);
  EXPECT_EQ(matches(db, "anew"), 1);
  EXPECT_EQ(matches(db, "bravo"), 0);
  EXPECT_EQ(matches(db, "charlie"), 2);
  EXPECT_EQ(matches(db, "earlier"), 0);
  EXPECT_EQ(matches(db, "later"), 1);
  EXPECT_EQ(*db.queryInt("SELECT count(*) FROM chunks"), 4);
  EXPECT_EQ((*lib->chunks(kept)).size(), 1u);
  expectIndexMatchesChunks(db);
}

TEST(LibraryBatch, ARolledBackBatchLeavesNothingAndTheNextOneIndexes) {
  TempDir dir;
  auto lib = Library::open(dir.path() / "l.sqlite");
  ASSERT_TRUE(lib);
  const int64_t col = *lib->ensureCollection("c");
  {
    auto tx = lib->beginWrite();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(lib->putDocument(document(col, "gone"), std::vector{makeChunk("phantom words")}));
    // leaves scope without commit
  }
  EXPECT_FALSE(lib->db().inTransaction());
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM chunks"), 0);
  auto tx = lib->beginWrite();
  ASSERT_TRUE(tx);
  ASSERT_TRUE(lib->putDocument(document(col, "here"), std::vector{makeChunk("present words")}));
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(matches(lib->db(), "phantom"), 0);
  EXPECT_EQ(matches(lib->db(), "present"), 1);
  expectIndexMatchesChunks(lib->db());
}

TEST(LibraryBatch, InTheCallersOwnTransactionChunksAreIndexedRightAway) {
  TempDir dir;
  auto lib = Library::open(dir.path() / "l.sqlite");
  ASSERT_TRUE(lib);
  const int64_t col = *lib->ensureCollection("c");
  auto tx = Transaction::begin(lib->db());
  ASSERT_TRUE(tx);
  ASSERT_TRUE(lib->putDocument(document(col, "x"), std::vector{makeChunk("immediate")}));
  EXPECT_EQ(matches(lib->db(), "immediate"), 1);  // before the commit, in the same transaction
  ASSERT_TRUE(tx->commit());
  expectIndexMatchesChunks(lib->db());
}

TEST(LibraryBatch, MigrationToV4KeepsIndexedChunksAndIndexesNewOnes) {
  TempDir dir;
  const auto path = dir.path() / "v3.sqlite";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, 3));
    ASSERT_TRUE(db->exec(
        "INSERT INTO collections(name, created_at) VALUES ('old', 1);"
        "INSERT INTO documents(collection_id, path, rel_path, kind, status, ingested_at, chunk_count) "
        "VALUES (1, '/x/a.txt', 'a.txt', 'text', 'ok', 1, 1);"
        "INSERT INTO chunks(document_id, ordinal, kind, text) VALUES (1, 0, 'paragraph', 'indexed by trigger');"));
    EXPECT_EQ(*db->queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'chunks_ai'"), 1);
  }
  auto lib = Library::open(path);
  ASSERT_TRUE(lib) << lib.error().message;
  Database& db = lib->db();
  EXPECT_EQ(*schemaVersion(db), kSchemaVersion);
  EXPECT_EQ(*db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'chunks_ai'"), 0);
  EXPECT_EQ(matches(db, "trigger"), 1);
  ASSERT_TRUE(lib->putDocument(document(1, "new"), std::vector{makeChunk("indexed by the library")}));
  EXPECT_EQ(matches(db, "library"), 1);
  // Replacing the migrated document removes its old index entries through the delete trigger.
  DocumentRecord old = document(1, "a.txt");
  old.path = "/x/a.txt";
  ASSERT_TRUE(lib->putDocument(old, std::vector{makeChunk("replaced text")}));
  EXPECT_EQ(matches(db, "trigger"), 0);
  EXPECT_EQ(matches(db, "replaced"), 1);
  expectIndexMatchesChunks(db);
}

// A re-read of an unchanged file stores the same chunks again: those keep their rows (ids that
// citations point at) and their index entries; only chunks whose text or heading changed are replaced.
TEST(LibraryBatch, ReplacingADocumentKeepsTheRowsOfChunksWhoseTextAndHeadingAreUnchanged) {
  TempDir dir;
  auto lib = Library::open(dir.path() / "l.sqlite");
  ASSERT_TRUE(lib);
  const int64_t col = *lib->ensureCollection("c");
  const int64_t doc = *lib->putDocument(
      document(col, "d"), std::vector{makeChunk("alpha"), makeChunk("bravo"), makeChunk("charlie", {"H"})});
  const auto before = *lib->chunks(doc);
  ASSERT_EQ(before.size(), 3u);

  Chunk moved = makeChunk("alpha");
  moved.line_first = moved.line_last = 7;
  {
    auto tx = lib->beginWrite();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(lib->putDocument(document(col, "d"), std::vector{moved, makeChunk("bravissimo"),
                                                                 makeChunk("charlie", {"H2"}), makeChunk("delta")}));
    ASSERT_TRUE(tx->commit());
  }
  const auto after = *lib->chunks(doc);
  ASSERT_EQ(after.size(), 4u);
  EXPECT_EQ(after[0].id, before[0].id);
  EXPECT_EQ(after[0].line_first, 7);  // spans follow the new chunk
  EXPECT_NE(after[1].id, before[1].id);
  EXPECT_NE(after[2].id, before[2].id);  // same text, other heading
  EXPECT_EQ(after[2].heading, "H2");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(after[static_cast<size_t>(i)].ordinal, i);
  Database& db = lib->db();
  EXPECT_EQ(*db.queryInt("SELECT count(*) FROM chunks"), 4);
  EXPECT_EQ(matches(db, "alpha"), 1);
  EXPECT_EQ(matches(db, "bravo"), 0);
  EXPECT_EQ(matches(db, "bravissimo"), 1);
  EXPECT_EQ(matches(db, "heading:H2"), 1);
  expectIndexMatchesChunks(db);

  // Shorter again, twice in one batch, and outside a batch.
  {
    auto tx = lib->beginWrite();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(lib->putDocument(document(col, "d"), std::vector{makeChunk("alpha"), makeChunk("echo")}));
    ASSERT_TRUE(lib->putDocument(document(col, "d"), std::vector{makeChunk("alpha"), makeChunk("foxtrot")}));
    ASSERT_TRUE(tx->commit());
  }
  ASSERT_TRUE(lib->putDocument(document(col, "d"), std::vector{makeChunk("alpha")}));
  const auto last = *lib->chunks(doc);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].id, before[0].id);
  EXPECT_EQ(*db.queryInt("SELECT count(*) FROM chunks"), 1);
  EXPECT_EQ(matches(db, "echo OR foxtrot OR delta"), 0);
  expectIndexMatchesChunks(db);
}
