#include "support/v4_library.h"

#include <string>

#include "ingest/library/library.h"
#include "ingest/library/schema.h"

namespace folio::test {

Status createV4Library(const std::filesystem::path& path, std::span<const ingest::Chunk> chunks,
                       int chunks_per_document) {
  using namespace folio::ingest;
  auto db = Database::open(path);
  if (!db) return db.error();
  FOLIO_TRY(migrate(*db, 4));
  auto tx = Transaction::begin(*db);
  if (!tx) return tx.error();
  FOLIO_TRY(db->exec("INSERT INTO collections(name, created_at) VALUES ('old', 1)"));
  auto doc = db->prepare(
      "INSERT INTO documents(collection_id, path, rel_path, kind, status, ingested_at, chunk_count) "
      "VALUES (1, ?1, ?2, 'text', 'ok', 1, ?3)");
  if (!doc) return doc.error();
  auto chunk = db->prepare(
      "INSERT INTO chunks(document_id, ordinal, kind, heading, text) VALUES (?1, ?2, 'paragraph', ?3, ?4)");
  if (!chunk) return chunk.error();
  for (size_t i = 0; i < chunks.size(); ++i) {
    const int64_t n = static_cast<int64_t>(i);
    if (n % chunks_per_document == 0) {
      const std::string name = std::to_string(n / chunks_per_document) + ".txt";
      doc->bind(1, "/old/" + name).bind(2, name).bind(3, chunks_per_document);
      FOLIO_TRY(doc->run());
    }
    chunk->bind(1, n / chunks_per_document + 1)
        .bind(2, n % chunks_per_document)
        .bind(3, joinHeadingPath(chunks[i].heading_path))
        .bind(4, chunks[i].text);
    FOLIO_TRY(chunk->run());
  }
  FOLIO_TRY(db->exec("INSERT INTO chunks_fts(rowid, text, heading) SELECT id, text, heading FROM chunks"));
  return tx->commit();
}

}  // namespace folio::test
