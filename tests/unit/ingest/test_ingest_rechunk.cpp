// Chunker versions: each document records the chunker that made its chunks and that chunker's version,
// and an ordinary ingest re-reads unchanged files whose chunker has changed since (in place, keeping
// unchanged chunks), including every document of a library upgraded from before versions were stored.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/content_hash.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "ingest/library/search.h"
#include "ingest/library/verify.h"
#include "ingest/reader_version.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
using folio::ingest::test::writeText;

namespace {

constexpr const char* kNotes = "Quarterly review of the warehouse contracts.\n";

class RechunkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = dir_.path() / "tree";
    writeText(tree_ / "README.md", "# Shiptrack\n\nTracks parcels across carriers.\n\n## Usage\n\nRun the tracker.\n");
    writeText(tree_ / "notes.txt", kNotes);
    writeText(tree_ / "src/route.py",
              "def shortest_route(graph, start):\n    return dijkstra(graph, start)\n\n\n"
              "class Courier:\n    def deliver(self, parcel):\n        return parcel\n");
    writeText(tree_ / "src/geo.cpp", "double haversine(double a, double b) {\n  return a - b;\n}\n");
    lib_path_ = dir_.path() / "lib.sqlite";
  }

  Library open() {
    auto lib = Library::open(lib_path_);
    EXPECT_TRUE(lib) << lib.error().message;
    return std::move(*lib);
  }

  IngestReport ingest(Library& lib, IngestOptions options = {}) {
    const std::vector<fs::path> roots{tree_};
    auto r = runIngest(lib, roots, options, tokens_);
    EXPECT_TRUE(r) << r.error().message;
    auto ok = verifyLibrary(lib.db());
    EXPECT_TRUE(ok) << ok.error().message;
    return r ? *r : IngestReport{};
  }

  static DocumentRecord document(Library& lib, const std::string& rel) {
    auto docs = lib.documents();
    EXPECT_TRUE(docs);
    auto it = std::find_if(docs->begin(), docs->end(), [&](const DocumentRecord& d) { return d.rel_path == rel; });
    EXPECT_NE(it, docs->end()) << rel;
    return it == docs->end() ? DocumentRecord{} : *it;
  }

  static size_t hits(Library& lib, const std::string& q) {
    SearchOptions o;
    o.fall_back_to_any = false;
    auto r = search(lib.db(), q, o);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->hits.size() : 0;
  }

  TempDir dir_;
  fs::path tree_;
  fs::path lib_path_;
  EstimatingTokenCounter tokens_;
};

}  // namespace

TEST(ChunkerVersion, NamesRoundTripAndOnlyTheCurrentVersionIsUpToDate) {
  for (ChunkerId id : {ChunkerId::Code, ChunkerId::Legal, ChunkerId::Paper, ChunkerId::Generic}) {
    EXPECT_EQ(parseChunkerName(chunkerName(id)), id);
    EXPECT_GE(chunkerVersion(id), 1) << "0 means 'stored before versions were recorded'";
    EXPECT_FALSE(chunksOutdated(chunkerName(id), chunkerVersion(id)));
    EXPECT_TRUE(chunksOutdated(chunkerName(id), chunkerVersion(id) - 1));
    EXPECT_TRUE(chunksOutdated(chunkerName(id), chunkerVersion(id) + 1)) << "a newer Folio's chunks are redone too";
  }
  EXPECT_TRUE(chunksOutdated("", 0));
  EXPECT_TRUE(chunksOutdated("no-such-chunker", 1));
  EXPECT_FALSE(parseChunkerName("").has_value());
}

TEST_F(RechunkTest, EachDocumentRecordsItsChunkerAndVersion) {
  writeText(tree_ / "blob.dat", std::string("\x7f" "ELF\0\0\0binary", 13));
  Library lib = open();
  ingest(lib);
  const DocumentRecord py = document(lib, "src/route.py");
  EXPECT_EQ(py.chunker, "code");
  EXPECT_EQ(py.chunker_version, chunkerVersion(ChunkerId::Code));
  const DocumentRecord md = document(lib, "README.md");
  EXPECT_EQ(md.chunker, "generic");
  EXPECT_EQ(md.chunker_version, chunkerVersion(ChunkerId::Generic));
  const DocumentRecord blob = document(lib, "blob.dat");
  EXPECT_EQ(blob.status, DocumentStatus::Skipped);
  EXPECT_EQ(blob.chunker, "") << "no chunks, no chunker";
}

TEST_F(RechunkTest, AnOlderChunkerVersionIsRechunkedInPlaceByAnOrdinaryIngest) {
  Library lib = open();
  ingest(lib);
  const DocumentRecord py = document(lib, "src/route.py");
  const auto before = lib.chunks(py.id).value();
  ASSERT_GE(before.size(), 2u);
  // What an older chunker left: a chunk the current one makes differently, recorded at an older version.
  const StoredChunk& old = before.back();
  ASSERT_TRUE(lib.db().exec("UPDATE chunks SET text = 'superseded outline' WHERE id = " + std::to_string(old.id)));
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET chunker_version = chunker_version - 1 WHERE id = " +
                            std::to_string(py.id)));
  ASSERT_EQ(hits(lib, "superseded"), 1u);

  const IngestReport r = ingest(lib);
  EXPECT_EQ(r.rechunked, 1u);
  EXPECT_EQ(r.unchanged, 3u) << "documents of the current chunker version are still skipped";
  EXPECT_EQ(r.updated + r.added + r.removed + r.failed, 0u);
  EXPECT_EQ(r.chunks, static_cast<int64_t>(before.size()));

  const DocumentRecord after = document(lib, "src/route.py");
  EXPECT_EQ(after.id, py.id);
  EXPECT_EQ(after.chunker_version, chunkerVersion(ChunkerId::Code));
  const auto chunks = lib.chunks(py.id).value();
  ASSERT_EQ(chunks.size(), before.size());
  EXPECT_EQ(chunks.front().id, before.front().id) << "an unchanged chunk keeps its row";
  EXPECT_EQ(chunks.back().text, old.text);
  EXPECT_EQ(hits(lib, "superseded"), 0u);

  const IngestReport again = ingest(lib);
  EXPECT_EQ(again.unchanged, 4u);
  EXPECT_EQ(again.rechunked, 0u);
  EXPECT_EQ(again.chunks, 0);
}

// A file Folio now classifies differently (a .rb file was unknown text before Ruby was code) is read
// again by an ordinary ingest, though its chunker's version is current: another chunker applies.
TEST_F(RechunkTest, AFileClassifiedDifferentlyNowIsRechunkedInPlace) {
  writeText(tree_ / "lib/courier.rb", "class Courier\n  def deliver(parcel)\n    parcel\n  end\nend\n");
  Library lib = open();
  ingest(lib);
  const DocumentRecord rb = document(lib, "lib/courier.rb");
  ASSERT_EQ(rb.kind, "code");
  ASSERT_EQ(rb.language, "ruby");
  // What an older Folio stored: unknown text, chunked by the generic chunker of today's version.
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET kind = 'text', language = '', chunker = 'generic', "
                            "chunker_version = " + std::to_string(chunkerVersion(ChunkerId::Generic)) +
                            " WHERE id = " + std::to_string(rb.id)));
  const IngestReport r = ingest(lib);
  EXPECT_EQ(r.rechunked, 1u);
  EXPECT_EQ(r.unchanged, 4u);
  const DocumentRecord after = document(lib, "lib/courier.rb");
  EXPECT_EQ(after.id, rb.id);
  EXPECT_EQ(after.kind, "code");
  EXPECT_EQ(after.language, "ruby");
  EXPECT_EQ(after.chunker, "code");
  EXPECT_EQ(ingest(lib).rechunked, 0u);
}

// A reader of one kind changed since a document was read (documents.reader_version): an ordinary ingest
// reads that kind's documents again, in place, and no others.
TEST_F(RechunkTest, AChangedReaderRereadsOnlyItsKind) {
  writeText(tree_ / "mail/hello.eml", "From: a@example.com\nSubject: Hello\n\nThe parcels left the depot.\n");
  Library lib = open();
  ingest(lib);
  const DocumentRecord mail = document(lib, "mail/hello.eml");
  ASSERT_EQ(mail.kind, "email");
  EXPECT_EQ(mail.reader_version, readerVersion(SourceKind::Email));
  EXPECT_EQ(document(lib, "notes.txt").reader_version, readerVersion(SourceKind::PlainText));
  // What an older Folio stored: every document read by version 1 of its reader (schema v14 and before).
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET reader_version = 1"));
  const IngestReport r = ingest(lib);
  EXPECT_EQ(r.rechunked, readerVersion(SourceKind::Email) > 1 ? 1u : 0u);  // the e-mail; text and code unchanged
  EXPECT_EQ(r.unchanged, readerVersion(SourceKind::Email) > 1 ? 4u : 5u);
  const DocumentRecord after = document(lib, "mail/hello.eml");
  EXPECT_EQ(after.id, mail.id);
  EXPECT_EQ(after.reader_version, readerVersion(SourceKind::Email));
  EXPECT_EQ(ingest(lib).rechunked, 0u);
}

// A document its reader failed on is tried again once that reader changes (a file it may read now):
// only a new reading stores the reader's version.
TEST_F(RechunkTest, AChangedReaderTriesItsFailedDocumentsAgain) {
  writeText(tree_ / "contract.docx", "not a zip archive at all");
  Library lib = open();
  EXPECT_EQ(ingest(lib).failed, 1u);
  ASSERT_EQ(document(lib, "contract.docx").status, DocumentStatus::Failed);
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET reader_version = 0, error = 'old reason' WHERE rel_path = 'contract.docx'"));
  ingest(lib);
  const DocumentRecord tried = document(lib, "contract.docx");
  EXPECT_EQ(tried.reader_version, readerVersion(SourceKind::Word));  // read again: still not a Word file
  EXPECT_NE(tried.error, "old reason");
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET error = 'kept reason' WHERE rel_path = 'contract.docx'"));
  ingest(lib);
  EXPECT_EQ(document(lib, "contract.docx").error, "kept reason");  // the same reader: not read again
}

TEST_F(RechunkTest, RereadCountsOutdatedDocumentsAsUpdated) {
  Library lib = open();
  ingest(lib);
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET chunker_version = 0"));
  IngestOptions o;
  o.reread_unchanged = true;
  const IngestReport r = ingest(lib, o);
  EXPECT_EQ(r.updated, 4u);
  EXPECT_EQ(r.rechunked, 0u);
}

TEST_F(RechunkTest, AFailedDocumentIsNotRetriedForAChunkerChange) {
  writeText(tree_ / "broken.pdf", "%PDF-1.4\nthis is not really a pdf\n");
  Library lib = open();
  ASSERT_EQ(ingest(lib).failed, 1u);
  ASSERT_TRUE(lib.db().exec("UPDATE documents SET chunker_version = 0 WHERE status = 'failed'"));
  const IngestReport r = ingest(lib);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.rechunked, 0u);
  EXPECT_EQ(r.unchanged, 4u);
}

// A library last written by a Folio before chunker versions (schema v8), holding notes.txt with a chunk
// its chunker made then, indexed for search as v8 did.
void createV8Library(const fs::path& path, const fs::path& notes) {
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(migrate(*db, 8));
  ASSERT_TRUE(db->exec("INSERT INTO collections(id, name, created_at) VALUES(1, 'default', 1700000000)"));
  auto doc = db->prepare(
      "INSERT INTO documents(id, collection_id, path, rel_path, kind, content_hash, size, line_count, chunk_count, "
      "status, ingested_at) VALUES(7, 1, ?1, 'notes.txt', 'text', ?2, ?3, 1, 1, 'ok', 1700000000)");
  ASSERT_TRUE(doc);
  doc->bind(1, notes.string()).bind(2, contentHashHex(kNotes)).bind(3, static_cast<int64_t>(std::string(kNotes).size()));
  ASSERT_TRUE(doc->run());
  ASSERT_TRUE(db->exec("INSERT INTO chunks(id, document_id, ordinal, kind, text, token_count) "
                       "VALUES(70, 7, 0, 'paragraph', 'Quarterly review, as the obsolete chunker cut it', 9)"));
  ASSERT_TRUE(db->exec("INSERT INTO chunks_fts(rowid, text, heading) SELECT id, text, heading FROM chunks"));
}

TEST_F(RechunkTest, UpgradingAV8LibraryRechunksItsDocumentsOnTheNextIngest) {
  createV8Library(lib_path_, tree_ / "notes.txt");
  if (HasFatalFailure()) return;
  Library lib = open();
  EXPECT_EQ(schemaVersion(lib.db()).value(), kSchemaVersion);
  const DocumentRecord upgraded = document(lib, "notes.txt");
  EXPECT_EQ(upgraded.id, 7);
  EXPECT_EQ(upgraded.chunker, "");
  EXPECT_EQ(upgraded.chunker_version, 0);
  ASSERT_EQ(hits(lib, "obsolete"), 1u);

  const IngestReport r = ingest(lib);
  EXPECT_EQ(r.rechunked, 1u);
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.unchanged + r.updated, 0u);
  const DocumentRecord notes = document(lib, "notes.txt");
  EXPECT_EQ(notes.id, 7);
  EXPECT_EQ(notes.chunker, "generic");
  EXPECT_EQ(notes.chunker_version, chunkerVersion(ChunkerId::Generic));
  EXPECT_EQ(hits(lib, "obsolete"), 0u);
  EXPECT_EQ(hits(lib, "warehouse"), 1u);
  EXPECT_EQ(ingest(lib).unchanged, 4u);
}
