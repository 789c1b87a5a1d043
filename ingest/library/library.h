// The document library: collections, documents and their chunks in one SQLite file (see schema.h).
// A Library owns one connection and its prepared statements; use one Library per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/library/database.h"

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

class Library {
 public:
  // Opens (creating when needed) and migrates the library at `path`; the parent directory must exist.
  static Result<Library> open(const std::filesystem::path& path, const DatabaseOptions& options = {});

  Database& db() { return db_; }

  Result<int64_t> ensureCollection(std::string_view name);
  Result<std::optional<int64_t>> findCollection(std::string_view name);

  // All documents (of one collection when given), ordered by collection and path.
  Result<std::vector<DocumentRecord>> documents(std::optional<int64_t> collection_id = {});

  // Inserts the document, or replaces the one with the same collection and path, together with its
  // chunks: the old chunks go, the new ones come, in the caller's transaction (or in a transaction of
  // its own when none is open), so no reader ever sees a document without its chunks. Returns the id.
  Result<int64_t> putDocument(const DocumentRecord& doc, std::span<const Chunk> chunks);
  // Records a new size/mtime for a document whose content is unchanged.
  Status updateFileStat(int64_t document_id, uint64_t size, int64_t mtime_ns);
  // Removes a document and (by cascade) its chunks.
  Status removeDocument(int64_t document_id);

  Result<std::vector<StoredChunk>> chunks(int64_t document_id);

 private:
  explicit Library(Database db) : db_(std::move(db)) {}
  Result<int64_t> putDocumentLocked(const DocumentRecord& doc, std::span<const Chunk> chunks);
  Result<Statement*> cached(std::optional<Statement>& slot, std::string_view sql);

  Database db_;
  std::optional<Statement> upsert_doc_, delete_chunks_, insert_chunk_, update_stat_, remove_doc_;
};

}  // namespace folio::ingest
