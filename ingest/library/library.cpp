#include "ingest/library/library.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ingest/library/schema.h"

namespace folio::ingest {
namespace {

constexpr std::string_view kHeadingSeparator = " \xE2\x80\xBA ";  // " › "

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr std::string_view kDocumentColumns =
    "d.id, d.collection_id, c.name, d.path, d.rel_path, d.kind, d.language, d.content_hash, d.size, d.mtime_ns, "
    "d.title, d.page_count, d.line_count, d.chunk_count, d.status, d.error, d.ingested_at, d.chunker, "
    "d.chunker_version, d.ocr_pages, d.reader_version";

DocumentRecord readDocument(const Statement& s) {
  DocumentRecord d;
  d.id = s.columnInt64(0);
  d.collection_id = s.columnInt64(1);
  d.collection = s.columnText(2);
  d.path = s.columnText(3);
  d.rel_path = s.columnText(4);
  d.kind = s.columnText(5);
  d.language = s.columnText(6);
  d.content_hash = s.columnText(7);
  d.size = static_cast<uint64_t>(s.columnInt64(8));
  d.mtime_ns = s.columnInt64(9);
  d.title = s.columnText(10);
  d.page_count = s.columnInt(11);
  d.line_count = s.columnInt(12);
  d.chunk_count = s.columnInt(13);
  d.status = parseDocumentStatus(s.columnTextView(14)).value_or(DocumentStatus::Pending);
  d.error = s.columnText(15);
  d.ingested_at = s.columnInt64(16);
  d.chunker = s.columnText(17);
  d.chunker_version = s.columnInt(18);
  d.ocr_pages = s.columnInt(19);
  d.reader_version = s.columnInt(20);
  return d;
}

// Every row of a statement selecting kDocumentColumns.
Result<std::vector<DocumentRecord>> readDocuments(Statement& s) {
  std::vector<DocumentRecord> out;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(readDocument(s));
  }
  return out;
}

// "[1,2,3]", for json_each(): a list of ids in one statement.
std::string jsonIdList(std::span<const int64_t> ids) {
  std::string out = "[";
  for (const int64_t id : ids) {
    if (out.size() > 1) out += ',';
    out += std::to_string(id);
  }
  return out + "]";
}

// Pages, lines and bytes, as parameters first .. first + 5.
void bindSpans(Statement& s, int first, const Chunk& c) {
  s.bind(first, c.page_first)
      .bind(first + 1, c.page_last)
      .bind(first + 2, c.line_first)
      .bind(first + 3, c.line_last)
      .bind(first + 4, c.byte_begin)
      .bind(first + 5, c.byte_end);
}

bool sameSpans(const StoredChunk& s, const Chunk& c, std::string_view kind) {
  return s.kind == kind && s.page_first == c.page_first && s.page_last == c.page_last &&
         s.line_first == c.line_first && s.line_last == c.line_last && s.byte_begin == c.byte_begin &&
         s.byte_end == c.byte_end && s.token_count == c.token_count;
}

}  // namespace

std::string_view documentStatusName(DocumentStatus status) {
  switch (status) {
    case DocumentStatus::Ok: return "ok";
    case DocumentStatus::Skipped: return "skipped";
    case DocumentStatus::Failed: return "failed";
    case DocumentStatus::Pending: return "pending";
  }
  return "pending";
}

std::optional<DocumentStatus> parseDocumentStatus(std::string_view name) {
  for (auto s : {DocumentStatus::Ok, DocumentStatus::Skipped, DocumentStatus::Failed, DocumentStatus::Pending}) {
    if (documentStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string joinHeadingPath(std::span<const std::string> parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += kHeadingSeparator;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> splitHeadingPath(std::string_view heading) {
  std::vector<std::string> parts;
  if (heading.empty()) return parts;
  size_t start = 0;
  for (;;) {
    const size_t at = heading.find(kHeadingSeparator, start);
    if (at == std::string_view::npos) {
      parts.emplace_back(heading.substr(start));
      return parts;
    }
    parts.emplace_back(heading.substr(start, at - start));
    start = at + kHeadingSeparator.size();
  }
}

Result<Library> Library::open(const std::filesystem::path& path, const DatabaseOptions& options,
                              const MigrationObserver& on_migration) {
  auto db = Database::open(path, options);
  if (!db) return db.error();
  if (options.read_only) {
    auto v = schemaVersion(*db);
    if (!v) return v.error();
    if (*v != kSchemaVersion) {
      return Error{ErrorKind::Unsupported, db->name() + ": schema version " + std::to_string(*v) +
                                               " cannot be read without migrating (this Folio uses " +
                                               std::to_string(kSchemaVersion) + ")"};
    }
  } else {
    FOLIO_TRY(migrate(*db, kSchemaVersion, on_migration));
  }
  return Library(std::move(*db));
}

Result<Statement*> Library::cached(std::optional<Statement>& slot, std::string_view sql) {
  if (!slot) {
    auto s = db_.prepare(sql);
    if (!s) return s.error();
    slot.emplace(std::move(*s));
  }
  return &*slot;
}

Result<std::optional<int64_t>> Library::findCollection(std::string_view name) {
  auto s = db_.prepare("SELECT id FROM collections WHERE name = ?1");
  if (!s) return s.error();
  s->bind(1, name);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<int64_t>{};
  return std::optional<int64_t>{s->columnInt64(0)};
}

Result<uint64_t> Library::collectionMaxFileBytes(int64_t collection_id) {
  auto s = db_.prepare("SELECT max_file_bytes FROM collections WHERE id = ?1");
  if (!s) return s.error();
  s->bind(1, collection_id);
  auto row = s->step();
  if (!row) return row.error();
  return *row ? static_cast<uint64_t>(std::max<int64_t>(0, s->columnInt64(0))) : uint64_t{0};
}

Status Library::setCollectionMaxFileBytes(int64_t collection_id, uint64_t bytes) {
  auto s = db_.prepare("UPDATE collections SET max_file_bytes = ?2 WHERE id = ?1");
  if (!s) return s.error();
  s->bind(1, collection_id).bind(2, static_cast<int64_t>(bytes));
  return s->run();
}

Result<std::string> Library::collectionOcrLanguages(int64_t collection_id) {
  auto s = db_.prepare("SELECT ocr_languages FROM collections WHERE id = ?1");
  if (!s) return s.error();
  s->bind(1, collection_id);
  auto row = s->step();
  if (!row) return row.error();
  return *row ? s->columnText(0) : std::string();
}

Status Library::setCollectionOcrLanguages(int64_t collection_id, std::string_view languages) {
  auto s = db_.prepare("UPDATE collections SET ocr_languages = ?2 WHERE id = ?1");
  if (!s) return s.error();
  s->bind(1, collection_id).bind(2, languages);
  return s->run();
}

Result<int64_t> Library::ensureCollection(std::string_view name) {
  auto s = db_.prepare(
      "INSERT INTO collections(name, created_at) VALUES (?1, ?2) "
      "ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id");
  if (!s) return s.error();
  s->bind(1, name).bind(2, nowSeconds());
  auto row = s->step();
  if (!row) return row.error();
  FOLIO_CHECK(*row);
  const int64_t id = s->columnInt64(0);
  FOLIO_TRY(s->run());  // finish the statement so the implicit transaction ends
  return id;
}

Result<std::vector<DocumentRecord>> Library::documents(std::optional<int64_t> collection_id) {
  std::string sql = "SELECT " + std::string(kDocumentColumns) +
                    " FROM documents d JOIN collections c ON c.id = d.collection_id";
  if (collection_id) sql += " WHERE d.collection_id = ?1";
  sql += " ORDER BY c.name, d.path";
  auto s = db_.prepare(sql);
  if (!s) return s.error();
  if (collection_id) s->bind(1, *collection_id);
  return readDocuments(*s);
}

Result<std::optional<DocumentRecord>> Library::document(int64_t document_id) {
  auto s = db_.prepare("SELECT " + std::string(kDocumentColumns) +
                       " FROM documents d JOIN collections c ON c.id = d.collection_id WHERE d.id = ?1");
  if (!s) return s.error();
  s->bind(1, document_id);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<DocumentRecord>();
  return std::optional<DocumentRecord>(readDocument(*s));
}

Result<std::vector<DocumentRecord>> Library::documentsNamed(std::string_view name) {
  // substr, not LIKE: a name's '%' and '_' are its own characters.
  auto s = db_.prepare("SELECT " + std::string(kDocumentColumns) +
                       " FROM documents d JOIN collections c ON c.id = d.collection_id"
                       " WHERE d.path = ?1 OR d.rel_path = ?1"
                       " OR substr(d.path, -length(?2)) = ?2 OR substr(d.rel_path, -length(?2)) = ?2"
                       " ORDER BY c.name, d.path");
  if (!s) return s.error();
  s->bind(1, name);
  s->bind(2, "/" + std::string(name));
  return readDocuments(*s);
}

Result<std::vector<DocumentRecord>> Library::documentsUnder(std::string_view folder) {
  std::string prefix(folder);
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix != "/") prefix += '/';
  auto s = db_.prepare("SELECT " + std::string(kDocumentColumns) +
                       " FROM documents d JOIN collections c ON c.id = d.collection_id"
                       " WHERE substr(d.path, 1, length(?1)) = ?1 ORDER BY d.path, c.name");
  if (!s) return s.error();
  s->bind(1, prefix);
  return readDocuments(*s);
}

Result<std::vector<int64_t>> Library::documentIdsWithChunks(int64_t collection_id) {
  auto s = db_.prepare("SELECT id FROM documents WHERE collection_id = ?1 AND chunk_count > 0 ORDER BY id");
  if (!s) return s.error();
  s->bind(1, collection_id);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return ids;
    ids.push_back(s->columnInt64(0));
  }
}

// ---- LibraryTransaction ------------------------------------------------------------------------

LibraryTransaction::LibraryTransaction(LibraryTransaction&& other) noexcept
    : lib_(std::exchange(other.lib_, nullptr)), tx_(std::move(other.tx_)) {}

LibraryTransaction& LibraryTransaction::operator=(LibraryTransaction&& other) noexcept {
  if (this != &other) {
    rollback();
    lib_ = std::exchange(other.lib_, nullptr);
    tx_ = std::move(other.tx_);
  }
  return *this;
}

LibraryTransaction::~LibraryTransaction() { rollback(); }

Status LibraryTransaction::commit() {
  FOLIO_CHECK_MSG(lib_, "commit of a finished library transaction");
  // Retired chunks go in one statement: FTS5 writes one segment of delete markers per statement.
  Status indexed = lib_->deleteChunks(std::exchange(lib_->retired_chunks_, {}));
  if (indexed) indexed = lib_->indexPendingChunks();
  if (!indexed) {
    rollback();
    return indexed;
  }
  Status committed = tx_.commit();
  lib_->batch_open_ = false;
  lib_ = nullptr;
  return committed;
}

void LibraryTransaction::rollback() {
  if (!lib_) return;
  tx_.rollback();
  lib_->pending_ranges_.clear();  // the rows went with the transaction
  lib_->pending_count_ = 0;
  lib_->pending_documents_.clear();
  lib_->retired_chunks_.clear();
  lib_->batch_open_ = false;
  lib_ = nullptr;
}

// ---- Library: documents and chunks -------------------------------------------------------------

Result<LibraryTransaction> Library::beginWrite() {
  FOLIO_CHECK_MSG(!batch_open_, "Library::beginWrite with a library transaction open");
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.error();
  pending_ranges_.clear();
  pending_count_ = 0;
  pending_documents_.clear();
  retired_chunks_.clear();
  batch_open_ = true;
  return LibraryTransaction(*this, std::move(*tx));
}

Result<int64_t> Library::putDocument(const DocumentRecord& doc, std::span<const Chunk> chunks,
                                     std::span<const OcrPageTexts> ocr_texts) {
  if (!db_.inTransaction()) {
    auto tx = beginWrite();
    if (!tx) return tx.error();
    auto id = putDocumentLocked(doc, chunks, ocr_texts);
    if (!id) return id.error();
    FOLIO_TRY(tx->commit());
    return id;
  }
  auto id = putDocumentLocked(doc, chunks, ocr_texts);
  if (!batch_open_) {
    // The caller's own transaction: nothing would index the chunks at its commit, so do it now (also
    // after a failure, so that whatever was stored is not left out of the index).
    Status indexed = indexPendingChunks();
    if (id && !indexed) return indexed.error();
  }
  return id;
}

Status Library::indexPendingChunks() {
  if (pending_count_ == 0) return {};
  auto s = cached(index_chunks_,
                  "INSERT INTO chunks_fts(rowid, text, heading) SELECT id, text, heading FROM chunks "
                  "WHERE id BETWEEN ?1 AND ?2");
  if (!s) return s.error();
  const auto ranges = std::exchange(pending_ranges_, {});
  const int64_t expected = std::exchange(pending_count_, 0);
  pending_documents_.clear();
  int64_t indexed = 0;
  for (const auto& [first, last] : ranges) {  // one range, unless chunk ids were reused meanwhile
    (*s)->bind(1, first).bind(2, last);
    FOLIO_TRY((*s)->run());
    indexed += db_.changes();
  }
  // A range holding rows that were not stored in this batch would index them twice; refuse to commit.
  if (indexed != expected) {
    return Error{ErrorKind::Internal, db_.name() + ": indexed " + std::to_string(indexed) +
                                          " chunks for search where " + std::to_string(expected) +
                                          " were stored in this transaction"};
  }
  return {};
}

Status Library::indexPendingChunksOf(int64_t document_id) {
  return pending_documents_.count(document_id) ? indexPendingChunks() : Status{};
}

Status Library::retireChunks(std::span<const int64_t> chunk_ids) {
  if (chunk_ids.empty()) return {};
  if (!batch_open_) return deleteChunks(chunk_ids);
  // Not OF text, heading: the update trigger does not fire and the index is not touched. -id is an
  // ordinal no live chunk has and no other retired chunk of the document either.
  auto retire = cached(retire_chunks_, "UPDATE chunks SET ordinal = -id WHERE id IN (SELECT value FROM json_each(?1))");
  if (!retire) return retire.error();
  (*retire)->bind(1, jsonIdList(chunk_ids));
  FOLIO_TRY((*retire)->run());
  retired_chunks_.insert(retired_chunks_.end(), chunk_ids.begin(), chunk_ids.end());
  return {};
}

Status Library::deleteChunks(std::span<const int64_t> chunk_ids) {
  if (chunk_ids.empty()) return {};
  auto del = cached(delete_chunks_, "DELETE FROM chunks WHERE id IN (SELECT value FROM json_each(?1))");
  if (!del) return del.error();
  (*del)->bind(1, jsonIdList(chunk_ids));
  return (*del)->run();
}

Status Library::putOcrTexts(int64_t document_id, std::span<const OcrPageTexts> ocr_texts) {
  // The readings of other bytes or settings are no longer behind the document's text: they go.
  auto kept = cached(kept_readings_,
                     "SELECT DISTINCT pdf_hash, languages, version FROM ocr_texts WHERE document_id = ?1");
  if (!kept) return kept.error();
  (*kept)->reset();
  (*kept)->bind(1, document_id);
  std::vector<std::tuple<std::string, std::string, int>> gone;
  for (;;) {
    auto row = (*kept)->step();
    if (!row) return row.error();
    if (!*row) break;
    std::tuple<std::string, std::string, int> reading{(*kept)->columnText(0), (*kept)->columnText(1), (*kept)->columnInt(2)};
    bool current = false;
    for (const OcrPageTexts& t : ocr_texts) {
      current = current || reading == std::tuple(t.pdf_hash, t.languages, t.version);
    }
    if (!current) gone.push_back(std::move(reading));
  }
  (*kept)->reset();  // no read left open
  auto drop = cached(drop_reading_,
                     "DELETE FROM ocr_texts WHERE document_id = ?1 AND pdf_hash = ?2 AND languages = ?3 AND version = ?4");
  if (!drop) return drop.error();
  for (const auto& [pdf_hash, languages, version] : gone) {
    (*drop)->bind(1, document_id).bind(2, pdf_hash).bind(3, languages).bind(4, version);
    FOLIO_TRY((*drop)->run());
  }
  // A re-read that reused every reading writes nothing here.
  auto put = cached(put_ocr_text_,
                    "INSERT INTO ocr_texts(document_id, pdf_hash, page, languages, version, text) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                    "ON CONFLICT(document_id, pdf_hash, page) DO UPDATE SET languages = excluded.languages, "
                    "version = excluded.version, text = excluded.text "
                    "WHERE text <> excluded.text OR languages <> excluded.languages OR version <> excluded.version");
  if (!put) return put.error();
  for (const OcrPageTexts& reading : ocr_texts) {
    for (const auto& [page, text] : reading.pages) {
      (*put)->bind(1, document_id)
          .bind(2, reading.pdf_hash)
          .bind(3, page)
          .bind(4, reading.languages)
          .bind(5, reading.version)
          .bind(6, text);
      FOLIO_TRY((*put)->run());
    }
  }
  return {};
}

Result<int64_t> Library::putDocumentLocked(const DocumentRecord& doc, std::span<const Chunk> chunks,
                                           std::span<const OcrPageTexts> ocr_texts) {
  auto upsert = cached(upsert_doc_,
                       "INSERT INTO documents(collection_id, path, rel_path, kind, language, content_hash, size, "
                       "mtime_ns, title, page_count, line_count, chunk_count, status, error, ingested_at, chunker, "
                       "chunker_version, ocr_pages, reader_version) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
                       "ON CONFLICT(collection_id, path) DO UPDATE SET rel_path = excluded.rel_path, "
                       "kind = excluded.kind, language = excluded.language, content_hash = excluded.content_hash, "
                       "size = excluded.size, mtime_ns = excluded.mtime_ns, title = excluded.title, "
                       "page_count = excluded.page_count, line_count = excluded.line_count, "
                       "chunk_count = excluded.chunk_count, status = excluded.status, error = excluded.error, "
                       "ingested_at = excluded.ingested_at, chunker = excluded.chunker, "
                       "chunker_version = excluded.chunker_version, ocr_pages = excluded.ocr_pages, "
                       "reader_version = excluded.reader_version RETURNING id");
  if (!upsert) return upsert.error();
  Statement& u = **upsert;
  u.bind(1, doc.collection_id)
      .bind(2, doc.path)
      .bind(3, doc.rel_path)
      .bind(4, doc.kind)
      .bind(5, doc.language)
      .bind(6, doc.content_hash)
      .bind(7, static_cast<int64_t>(doc.size))
      .bind(8, doc.mtime_ns)
      .bind(9, doc.title)
      .bind(10, doc.page_count)
      .bind(11, doc.line_count)
      .bind(12, static_cast<int64_t>(chunks.size()))
      .bind(13, documentStatusName(doc.status))
      .bind(14, doc.error)
      .bind(15, nowSeconds())
      .bind(16, doc.chunker)
      .bind(17, doc.chunker_version)
      .bind(18, doc.ocr_pages)
      .bind(19, doc.reader_version);
  auto row = u.step();
  if (!row) return row.error();
  FOLIO_CHECK(*row);
  const int64_t id = u.columnInt64(0);
  FOLIO_TRY(u.run());
  FOLIO_TRY(putOcrTexts(id, ocr_texts));

  FOLIO_TRY(indexPendingChunksOf(id));
  auto old = Library::chunks(id);
  if (!old) return old.error();
  // A chunk whose text and heading are unchanged (a re-read of an unchanged file) keeps its row, id and
  // index entries; only its spans are brought up to date. The others are replaced.
  std::vector<std::string> headings;
  headings.reserve(chunks.size());
  for (const Chunk& chunk : chunks) headings.push_back(joinHeadingPath(chunk.heading_path));
  std::vector<const StoredChunk*> kept(chunks.size(), nullptr);
  std::vector<int64_t> stale;
  for (const StoredChunk& s : *old) {
    const auto at = static_cast<size_t>(s.ordinal);
    if (at < chunks.size() && s.text == chunks[at].text && s.heading == headings[at]) {
      kept[at] = &s;
    } else {
      stale.push_back(s.id);
    }
  }
  FOLIO_TRY(retireChunks(stale));

  auto ins = cached(insert_chunk_,
                    "INSERT INTO chunks(document_id, ordinal, kind, heading, page_first, page_last, line_first, "
                    "line_last, byte_begin, byte_end, text, token_count) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!ins) return ins.error();
  auto spans = cached(update_spans_,
                      "UPDATE chunks SET kind = ?2, page_first = ?3, page_last = ?4, line_first = ?5, line_last = ?6, "
                      "byte_begin = ?7, byte_end = ?8, token_count = ?9 WHERE id = ?1");
  if (!spans) return spans.error();
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& chunk = chunks[i];
    const std::string_view kind = chunkKindName(chunk.kind);
    if (const StoredChunk* s = kept[i]) {
      if (sameSpans(*s, chunk, kind)) continue;
      (*spans)->bind(1, s->id)
          .bind(2, kind)
          .bind(9, chunk.token_count);
      bindSpans(**spans, 3, chunk);
      FOLIO_TRY((*spans)->run());
      continue;
    }
    Statement& c = **ins;
    c.bind(1, id)
        .bind(2, static_cast<int64_t>(i))
        .bind(3, kind)
        .bind(4, headings[i])
        .bind(11, chunk.text)
        .bind(12, chunk.token_count);
    bindSpans(c, 5, chunk);
    FOLIO_TRY(c.run());
    const int64_t chunk_id = db_.lastInsertRowid();
    if (pending_ranges_.empty() || chunk_id != pending_ranges_.back().second + 1) {
      pending_ranges_.emplace_back(chunk_id, chunk_id);
    } else {
      pending_ranges_.back().second = chunk_id;
    }
    ++pending_count_;
    pending_documents_.insert(id);
  }
  return id;
}

Status Library::updateFileStat(int64_t document_id, uint64_t size, int64_t mtime_ns) {
  auto s = cached(update_stat_, "UPDATE documents SET size = ?2, mtime_ns = ?3 WHERE id = ?1");
  if (!s) return s.error();
  (*s)->bind(1, document_id).bind(2, static_cast<int64_t>(size)).bind(3, mtime_ns);
  return (*s)->run();
}

Status Library::removeDocument(int64_t document_id) {
  FOLIO_TRY(indexPendingChunksOf(document_id));
  auto s = cached(remove_doc_, "DELETE FROM documents WHERE id = ?1");
  if (!s) return s.error();
  (*s)->bind(1, document_id);
  return (*s)->run();
}

namespace {

constexpr std::string_view kChunkColumns =
    "id, document_id, ordinal, kind, heading, page_first, page_last, line_first, line_last, byte_begin, byte_end, "
    "text, token_count";

StoredChunk storedChunk(const Statement& s) {
  StoredChunk c;
  c.id = s.columnInt64(0);
  c.document_id = s.columnInt64(1);
  c.ordinal = s.columnInt(2);
  c.kind = s.columnText(3);
  c.heading = s.columnText(4);
  c.page_first = s.columnInt(5);
  c.page_last = s.columnInt(6);
  c.line_first = s.columnInt(7);
  c.line_last = s.columnInt(8);
  c.byte_begin = s.columnInt64(9);
  c.byte_end = s.columnInt64(10);
  c.text = s.columnText(11);
  c.token_count = s.columnInt(12);
  return c;
}

}  // namespace

Result<std::vector<StoredChunk>> Library::chunks(int64_t document_id) {
  // ordinal >= 0: not the chunks a write batch has retired (retireChunks).
  auto cached_select = cached(select_chunks_, "SELECT " + std::string(kChunkColumns) +
                                                  " FROM chunks WHERE document_id = ?1 AND ordinal >= 0 ORDER BY ordinal");
  if (!cached_select) return cached_select.error();
  Statement* s = *cached_select;
  s->reset();
  s->bind(1, document_id);
  std::vector<StoredChunk> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(storedChunk(*s));
  }
  return out;
}

Result<std::optional<StoredChunk>> Library::chunk(int64_t chunk_id) {
  auto cached_select =
      cached(select_chunk_, "SELECT " + std::string(kChunkColumns) + " FROM chunks WHERE id = ?1 AND ordinal >= 0");
  if (!cached_select) return cached_select.error();
  Statement* s = *cached_select;
  s->reset();
  s->bind(1, chunk_id);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredChunk>{};
  return std::optional<StoredChunk>{storedChunk(*s)};
}

}  // namespace folio::ingest
