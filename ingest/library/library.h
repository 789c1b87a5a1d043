// The document library: collections, documents and their chunks in one SQLite file (see schema.h).
// A Library owns one connection and its prepared statements; use one Library per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/ocr_texts.h"
#include "ingest/library/database.h"
#include "ingest/library/schema.h"

namespace folio::ingest {

enum class DocumentStatus { Ok, Skipped, Failed, Pending };
std::string_view documentStatusName(DocumentStatus status);
std::optional<DocumentStatus> parseDocumentStatus(std::string_view name);

// A heading path as stored in chunks.heading: the parts joined with " › ".
std::string joinHeadingPath(std::span<const std::string> parts);
std::vector<std::string> splitHeadingPath(std::string_view heading);

struct DocumentRecord {
  int64_t id = 0;              // 0 until stored
  int64_t collection_id = 0;
  std::string collection;      // the collection's name (filled when read back)
  std::string path;            // absolute path as walked
  std::string rel_path;        // relative to the ingested root
  std::string kind;            // sourceKindName()
  std::string language;
  std::string content_hash;    // contentHashHex(); "" when the file was not read
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string title;
  int page_count = 0;
  int line_count = 0;
  int chunk_count = 0;         // set by putDocument from the chunks it stores
  std::string chunker;         // chunkerName() of what made the chunks; "" for none or before schema v9
  int chunker_version = 0;     // chunkerVersion() then; 0 before schema v9
  int ocr_pages = 0;           // pages whose text was read by OCR (schema v12)
  int reader_version = 1;      // readerVersion() of its kind when its text was extracted (schema v15)
  DocumentStatus status = DocumentStatus::Pending;
  std::string error;           // why skipped or failed
  int64_t ingested_at = 0;     // unix seconds; putDocument stamps the current time
};

struct StoredChunk {
  int64_t id = 0;
  int64_t document_id = 0;
  int ordinal = 0;
  std::string kind;            // chunkKindName()
  std::string heading;         // joinHeadingPath()
  int page_first = 0, page_last = 0;
  int line_first = 0, line_last = 0;
  int64_t byte_begin = 0, byte_end = 0;
  std::string text;
  int token_count = 0;
};

class Library;

// A write transaction on the library (BEGIN IMMEDIATE ... COMMIT) in which putDocument defers indexing
// chunks for search to commit(): one INSERT INTO chunks_fts ... SELECT for the whole batch. FTS5 writes
// its pending terms out as a new index segment at the end of every statement that changes it, so
// indexing chunk by chunk (an AFTER INSERT trigger) cost ~4x the CPU of the batch (segments to write
// and merge). Rolled back, with the pending index work, unless committed. One at a time per Library.
class LibraryTransaction {
 public:
  LibraryTransaction(LibraryTransaction&& other) noexcept;
  LibraryTransaction& operator=(LibraryTransaction&& other) noexcept;
  LibraryTransaction(const LibraryTransaction&) = delete;
  LibraryTransaction& operator=(const LibraryTransaction&) = delete;
  ~LibraryTransaction();

  // Indexes the batch's chunks, then commits; on failure everything is rolled back.
  Status commit();
  void rollback();

 private:
  friend class Library;
  LibraryTransaction(Library& library, Transaction tx) : lib_(&library), tx_(std::move(tx)) {}
  Library* lib_ = nullptr;
  Transaction tx_;
};

class Library {
 public:
  // Opens (creating when needed) and migrates the library at `path`; the parent directory must exist.
  // `on_migration` hears how a long migration step goes and may cancel it (schema.h).
  static Result<Library> open(const std::filesystem::path& path, const DatabaseOptions& options = {},
                              const MigrationObserver& on_migration = {});

  Database& db() { return db_; }

  Result<int64_t> ensureCollection(std::string_view name);
  Result<std::optional<int64_t>> findCollection(std::string_view name);
  // The size cap kept with a collection (IngestOptions::max_file_bytes); 0: the default caps.
  Result<uint64_t> collectionMaxFileBytes(int64_t collection_id);
  Status setCollectionMaxFileBytes(int64_t collection_id, uint64_t bytes);
  // The OCR languages kept with a collection (IngestOptions::ocr_languages); "" for the default (English).
  Result<std::string> collectionOcrLanguages(int64_t collection_id);
  Status setCollectionOcrLanguages(int64_t collection_id, std::string_view languages);

  // All documents (of one collection when given), ordered by collection and path.
  Result<std::vector<DocumentRecord>> documents(std::optional<int64_t> collection_id = {});
  // One document by id; none when there is no such document.
  Result<std::optional<DocumentRecord>> document(int64_t document_id);
  // The documents a person names by their file: the absolute path as walked, the path relative to its
  // ingested root, or the end of either after a '/' ("v2/MSA.docx", "MSA.docx"), in every collection.
  Result<std::vector<DocumentRecord>> documentsNamed(std::string_view name);
  // The documents whose file lies in `folder` (an absolute path, as walked) or below it, by path.
  Result<std::vector<DocumentRecord>> documentsUnder(std::string_view folder);
  // The ids of the documents of a collection that have chunks: what a search of it can find
  // (SearchOptions::documents), without reading whole records.
  Result<std::vector<int64_t>> documentIdsWithChunks(int64_t collection_id);

  // Begins a write batch (see LibraryTransaction); the connection must not be in a transaction.
  Result<LibraryTransaction> beginWrite();

  // Inserts the document, or replaces the one with the same collection and path, together with its
  // chunks and their search index entries: the old chunks go, the new ones come, in the caller's
  // transaction (or in a transaction of its own when none is open), so no reader ever sees a document
  // without its chunks. In a LibraryTransaction the chunks are indexed when it commits; in any other
  // transaction, right away. `ocr_texts` are the OCR readings behind the document's text (schema v14;
  // one per PDF read): kept with it, replacing those it kept of other bytes, languages or OCR version
  // (none: all go).
  // Returns the id.
  Result<int64_t> putDocument(const DocumentRecord& doc, std::span<const Chunk> chunks,
                              std::span<const OcrPageTexts> ocr_texts = {});
  // Records a new size/mtime for a document whose content is unchanged.
  Status updateFileStat(int64_t document_id, uint64_t size, int64_t mtime_ns);
  // Removes a document and (by cascade) its chunks and OCR readings.
  Status removeDocument(int64_t document_id);

  Result<std::vector<StoredChunk>> chunks(int64_t document_id);
  // One chunk by id; none when no such chunk is stored.
  Result<std::optional<StoredChunk>> chunk(int64_t chunk_id);

 private:
  friend class LibraryTransaction;
  explicit Library(Database db) : db_(std::move(db)) {}
  Result<int64_t> putDocumentLocked(const DocumentRecord& doc, std::span<const Chunk> chunks,
                                    std::span<const OcrPageTexts> ocr_texts);
  Status putOcrTexts(int64_t document_id, std::span<const OcrPageTexts> ocr_texts);
  Result<Statement*> cached(std::optional<Statement>& slot, std::string_view sql);
  // Adds the chunks stored but not yet in chunks_fts to the index, in one statement.
  Status indexPendingChunks();
  // Before chunks of `document_id` are deleted: the delete trigger must only see indexed rows.
  Status indexPendingChunksOf(int64_t document_id);
  // Takes chunks of a replaced document out of the way of its new ones. In a batch they are only
  // retired (ordinal = -id) and deleted at commit, all in one statement: FTS5 writes an index segment of
  // delete markers per statement, and a DELETE per replaced document made re-reading every file of a
  // tree ~4x slower than a fresh ingest (docs/perf.md, "Re-reading unchanged files").
  Status retireChunks(std::span<const int64_t> chunk_ids);
  Status deleteChunks(std::span<const int64_t> chunk_ids);

  Database db_;
  std::optional<Statement> upsert_doc_, delete_chunks_, insert_chunk_, update_stat_, remove_doc_, index_chunks_,
      retire_chunks_, update_spans_, select_chunks_, select_chunk_, kept_readings_, drop_reading_, put_ocr_text_;
  bool batch_open_ = false;  // a LibraryTransaction is open
  // Chunks stored since the last indexPendingChunks, as ranges of ids (first, last): new rows get ids
  // above every existing one and no chunk is deleted in between without indexing first, so the ranges
  // hold exactly these rows (normally one range).
  std::vector<std::pair<int64_t, int64_t>> pending_ranges_;
  int64_t pending_count_ = 0;
  std::unordered_set<int64_t> pending_documents_;
  std::vector<int64_t> retired_chunks_;  // chunk ids retireChunks set aside in the open batch
};

}  // namespace folio::ingest
