#include "ingest/library/schema.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

namespace folio::ingest {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE collections(
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL               -- unix seconds
);

CREATE TABLE documents(
  id            INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  path          TEXT NOT NULL,               -- absolute path as walked (root / rel_path)
  rel_path      TEXT NOT NULL,               -- relative to the ingested root
  kind          TEXT NOT NULL,               -- pdf, markdown, html, text, code, unknown
  language      TEXT NOT NULL DEFAULT '',
  content_hash  TEXT NOT NULL DEFAULT '',    -- 16 hex digits (XXH64 of the file bytes); '' when not read
  size          INTEGER NOT NULL DEFAULT 0,
  mtime_ns      INTEGER NOT NULL DEFAULT 0,
  title         TEXT NOT NULL DEFAULT '',
  page_count    INTEGER NOT NULL DEFAULT 0,
  line_count    INTEGER NOT NULL DEFAULT 0,
  chunk_count   INTEGER NOT NULL DEFAULT 0,  -- number of rows in chunks for this document
  status        TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed', 'pending')),
  error         TEXT NOT NULL DEFAULT '',    -- why it was skipped or failed
  ingested_at   INTEGER NOT NULL,            -- unix seconds
  UNIQUE(collection_id, path)
);
CREATE INDEX documents_by_status ON documents(status);

CREATE TABLE chunks(
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,              -- 0-based position in the document
  kind        TEXT NOT NULL,                 -- outline, function, class, section, clause, ...
  heading     TEXT NOT NULL DEFAULT '',      -- heading path joined with ' › '
  page_first  INTEGER NOT NULL DEFAULT 0,
  page_last   INTEGER NOT NULL DEFAULT 0,
  line_first  INTEGER NOT NULL DEFAULT 0,
  line_last   INTEGER NOT NULL DEFAULT 0,
  byte_begin  INTEGER NOT NULL DEFAULT 0,
  byte_end    INTEGER NOT NULL DEFAULT 0,
  text        TEXT NOT NULL,
  token_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE(document_id, ordinal)
);

-- External-content FTS5 index: the text lives once, in chunks; the triggers keep the index in sync.
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, content='chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO chunks_fts(chunks_fts, rank) VALUES('rank', 'bm25(1.0, 4.0)');

CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
END;
CREATE TRIGGER chunks_au AFTER UPDATE OF text, heading ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
  INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
)sql";

constexpr std::string_view kV2 = R"sql(
CREATE TABLE summary_nodes(
  id            INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  document_id   INTEGER REFERENCES documents(id) ON DELETE CASCADE,   -- NULL above document level
  parent_id     INTEGER REFERENCES summary_nodes(id) ON DELETE CASCADE,
  level         INTEGER NOT NULL,            -- 0 = summary of chunks; higher = summary of summaries
  ordinal       INTEGER NOT NULL DEFAULT 0,
  source_hash   TEXT NOT NULL,               -- hash of what was summarised; stale when it changes
  model         TEXT NOT NULL,               -- model identity (name + weights hash)
  text          TEXT NOT NULL,
  token_count   INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
CREATE INDEX summary_nodes_by_parent ON summary_nodes(parent_id);
CREATE INDEX summary_nodes_by_document ON summary_nodes(document_id);
CREATE INDEX summary_nodes_by_collection ON summary_nodes(collection_id, level);

CREATE TABLE questions(
  id            INTEGER PRIMARY KEY,
  collection_id INTEGER REFERENCES collections(id) ON DELETE SET NULL,
  text          TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX questions_by_collection ON questions(collection_id);

CREATE TABLE answers(
  id            INTEGER PRIMARY KEY,
  question_id   INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  model         TEXT NOT NULL DEFAULT '',
  text          TEXT NOT NULL DEFAULT '',
  thinking      TEXT NOT NULL DEFAULT '',
  plan_json     TEXT NOT NULL DEFAULT '{}',
  usage_json    TEXT NOT NULL DEFAULT '{}',
  routing_json  TEXT NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL
);
CREATE INDEX answers_by_question ON answers(question_id);

CREATE TABLE citations(
  id          INTEGER PRIMARY KEY,
  answer_id   INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
  n           INTEGER NOT NULL,              -- the [n] marker in the answer text
  chunk_id    INTEGER REFERENCES chunks(id) ON DELETE SET NULL,
  document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  page_first  INTEGER NOT NULL DEFAULT 0,
  page_last   INTEGER NOT NULL DEFAULT 0,
  line_first  INTEGER NOT NULL DEFAULT 0,
  line_last   INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT '',
  UNIQUE(answer_id, n)
);
-- Indexes on the child columns keep ON DELETE actions from scanning citations per deleted chunk.
CREATE INDEX citations_by_chunk ON citations(chunk_id);
CREATE INDEX citations_by_document ON citations(document_id);

CREATE TABLE usage(
  id              INTEGER PRIMARY KEY,
  answer_id       INTEGER REFERENCES answers(id) ON DELETE CASCADE,
  phase           TEXT NOT NULL,             -- summarize, answer, ...
  model           TEXT NOT NULL DEFAULT '',
  context_tokens  INTEGER NOT NULL DEFAULT 0,
  thinking_tokens INTEGER NOT NULL DEFAULT 0,
  answer_tokens   INTEGER NOT NULL DEFAULT 0,
  elapsed_ms      INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL
);
CREATE INDEX usage_by_answer ON usage(answer_id);

CREATE TABLE routing_aggregates(
  answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
  layer     INTEGER NOT NULL,
  expert    INTEGER NOT NULL,
  tokens    INTEGER NOT NULL,                -- tokens routed to this expert in this layer
  PRIMARY KEY(answer_id, layer, expert)
) WITHOUT ROWID;
)sql";

// v3: what the summary tree needs to rebuild only what changed and to cite a summary's sources.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE summary_nodes ADD COLUMN children TEXT NOT NULL DEFAULT '[]';  -- JSON ids: chunks (level 0) or nodes
ALTER TABLE summary_nodes ADD COLUMN heading TEXT NOT NULL DEFAULT '';     -- section heading or document path
ALTER TABLE summary_nodes ADD COLUMN page_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summary_nodes ADD COLUMN page_last INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summary_nodes ADD COLUMN line_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE summary_nodes ADD COLUMN line_last INTEGER NOT NULL DEFAULT 0;
CREATE INDEX summary_nodes_by_source ON summary_nodes(model, source_hash);
)sql";

// v4: chunks are indexed for search by Library, one statement per write batch (library.h); the
// per-row insert trigger made FTS5 write an index segment for every chunk. Existing rows are already
// indexed, so nothing is rebuilt. The delete and update triggers stay.
constexpr std::string_view kV4 = R"sql(
DROP TRIGGER chunks_ai;
)sql";

// v5: prefix indexes for `term*` queries. FTS5 serves a prefix query from a prefix index only when
// the query term (after the porter stemmer) has exactly one of the configured lengths in characters;
// other lengths still merge the doclists of every term under the prefix, as before. Lengths 3-6 are
// where that merge was slow (docs/perf.md, "Search latency"): longer prefixes cover few terms; a
// length-2 index would cost another ~100 MB per million chunks for prefixes that match most chunks
// anyway. Each length costs about one more copy of the postings at ingest. The options of an FTS5
// table cannot be altered, so the table is recreated (with its rank) and filled again by
// reindexChunks. The triggers on chunks name chunks_fts and keep working on the new table.
constexpr std::string_view kV5 = R"sql(
DROP TABLE chunks_fts;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, content='chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2',
  prefix='3 4 5 6');
INSERT INTO chunks_fts(chunks_fts, rank) VALUES('rank', 'bm25(1.0, 4.0)');
)sql";

// v6: CJK text indexed by character (fts_cjk_tokenizer.h). Latin text gets the same tokens as in v5,
// except where a word touches CJK text (`Folioは` was one token). A new tokenizer means new index
// contents, so chunks_fts is recreated and filled again by reindexChunks, as in v5.
constexpr std::string_view kV6 = R"sql(
DROP TABLE chunks_fts;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, content='chunks', content_rowid='id', tokenize='folio_cjk porter unicode61 remove_diacritics 2',
  prefix='3 4 5 6');
INSERT INTO chunks_fts(chunks_fts, rank) VALUES('rank', 'bm25(1.0, 4.0)');
)sql";

// v7: the model that wrote an answer, described for people ("MiniMax-M1-40k — minimax_m1, 456B
// parameters, τ 0.5"); answers.model stays the identity hash. Answers stored before keep '' here.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE answers ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
)sql";

// v8: the same for summary nodes; summary_nodes.model stays the identity reuse keys on. Nodes stored
// before keep '' here and are shown by their hash.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE summary_nodes ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
)sql";

// v9: which chunker made a document's chunks, and its version (chunker.cpp), so that an ordinary ingest
// re-reads documents whose chunker has changed since. Documents stored before keep '' and 0: outdated,
// so the first ingest after the upgrade re-chunks them (unchanged chunks keep their rows, putDocument).
constexpr std::string_view kV9 = R"sql(
ALTER TABLE documents ADD COLUMN chunker TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN chunker_version INTEGER NOT NULL DEFAULT 0;
)sql";

// v10: the words inside code identifiers searchable (`expire` finds `activeExpireCycle`; see
// fts_cjk_tokenizer.h, `identifiers`). New index contents: recreated and filled again, as in v6.
constexpr std::string_view kV10 = R"sql(
DROP TABLE chunks_fts;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  text, heading, content='chunks', content_rowid='id',
  tokenize='folio_cjk identifiers porter unicode61 remove_diacritics 2', prefix='3 4 5 6');
INSERT INTO chunks_fts(chunks_fts, rank) VALUES('rank', 'bm25(1.0, 4.0)');
)sql";

// v11: a size cap kept with a collection (folio ingest --max-file-mib): text files up to it are read
// there by every later ingest and re-read, not only the run that set it. 0: the default caps
// (walker.h).
constexpr std::string_view kV11 = R"sql(
ALTER TABLE collections ADD COLUMN max_file_bytes INTEGER NOT NULL DEFAULT 0;
)sql";

// v12: how many of a PDF's pages were read by OCR (scans): their text is the OCR engine's reading, which
// `folio docs` says so a reader weighs it.
constexpr std::string_view kV12 = R"sql(
ALTER TABLE documents ADD COLUMN ocr_pages INTEGER NOT NULL DEFAULT 0;
)sql";

// v13: what OCR read on each scanned page of a document's PDF (ocr_texts.h), so that extracting the
// file again (a chunker update, --reread) reads no page twice. A reading is found by what determines it
// (the PDF's hash, the languages, kOcrVersion), also for another document with the same bytes; it is
// kept by the document whose text it is and goes with it (cascade) or when the document is stored again
// from other bytes or settings (Library::putDocument). Blank pages keep ''. Also the OCR languages a
// collection keeps (folio ingest --ocr-lang); '' for the default (English).
constexpr std::string_view kV13 = R"sql(
CREATE TABLE ocr_texts(
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page        INTEGER NOT NULL,              -- 0-based page index in the PDF
  pdf_hash    TEXT NOT NULL,                 -- contentHashHex of the PDF read
  languages   TEXT NOT NULL,                 -- Tesseract's setting, e.g. 'eng', 'deu+eng'
  version     INTEGER NOT NULL,              -- kOcrVersion of the reading
  text        TEXT NOT NULL,                 -- '' for a blank page
  PRIMARY KEY(document_id, page)
) WITHOUT ROWID;
CREATE INDEX ocr_texts_by_reading ON ocr_texts(pdf_hash, languages, version);
ALTER TABLE collections ADD COLUMN ocr_languages TEXT NOT NULL DEFAULT '';
)sql";

// v14: a document's OCR readings may come from several PDFs (the scans attached to a message), so a page
// is keyed by the PDF it is a page of too. The rows are copied as they are.
constexpr std::string_view kV14 = R"sql(
CREATE TABLE ocr_texts_v14(
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  pdf_hash    TEXT NOT NULL,                 -- contentHashHex of the PDF read
  page        INTEGER NOT NULL,              -- 0-based page index in that PDF
  languages   TEXT NOT NULL,                 -- Tesseract's setting, e.g. 'eng', 'deu+eng'
  version     INTEGER NOT NULL,              -- kOcrVersion of the reading
  text        TEXT NOT NULL,                 -- '' for a blank page
  PRIMARY KEY(document_id, pdf_hash, page)
) WITHOUT ROWID;
INSERT INTO ocr_texts_v14(document_id, pdf_hash, page, languages, version, text)
  SELECT document_id, pdf_hash, page, languages, version, text FROM ocr_texts;
DROP TABLE ocr_texts;
ALTER TABLE ocr_texts_v14 RENAME TO ocr_texts;
CREATE INDEX ocr_texts_by_reading ON ocr_texts(pdf_hash, languages, version);
)sql";

// v15: the version of the reader that extracted each document's text (reader_version.h); documents
// stored before count as read by version 1.
constexpr std::string_view kV15 = R"sql(
ALTER TABLE documents ADD COLUMN reader_version INTEGER NOT NULL DEFAULT 1;
)sql";

// v16: a model's answers about one passage (the cells of a review table), found by what determines them —
// the question, the passage as the model read it, the model and the call's budgets — so a review run again
// (after a crash, a stop, with a column added) asks only what it has not: hours of calls are not redone.
// An answer goes with its document.
constexpr std::string_view kV16 = R"sql(
CREATE TABLE passage_answers(
  key         TEXT PRIMARY KEY,              -- hash of what determines the answer
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  answer      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX passage_answers_by_document ON passage_answers(document_id);
)sql";

// Chunks re-indexed per statement: progress (and a chance to cancel) every second or so on a slow
// machine; FTS5 writes one index segment (or more, past its hash size) per statement either way.
constexpr int64_t kReindexBatch = 20000;

// Fills the empty chunks_fts from chunks, in batches of consecutive ids, reporting after each batch.
Status reindexChunks(Database& db, const Migration& step, const MigrationObserver& observer) {
  auto total = db.queryInt("SELECT count(*) FROM chunks");
  if (!total) return total.error();
  if (*total == 0) return {};
  // The id that ends the next batch: the kReindexBatch-th id after the last one indexed, if there is one.
  auto batch_end = db.prepare("SELECT id FROM chunks WHERE id > ?1 ORDER BY id LIMIT 1 OFFSET ?2");
  auto insert = db.prepare(
      "INSERT INTO chunks_fts(rowid, text, heading) SELECT id, text, heading FROM chunks WHERE id > ?1 AND id <= ?2");
  if (!batch_end) return batch_end.error();
  if (!insert) return insert.error();
  MigrationProgress progress{step.version, step.summary, 0, *total};
  auto keepGoing = [&] { return !observer || observer(progress); };
  auto cancel = [&] {
    return cancelled(db.name() + ": cancelled; the library stays at schema version " +
                     std::to_string(step.version - 1));
  };
  if (!keepGoing()) return cancel();
  int64_t last = std::numeric_limits<int64_t>::min();
  for (;;) {
    batch_end->bind(1, last).bind(2, kReindexBatch - 1);
    auto row = batch_end->step();
    if (!row) return row.error();
    const int64_t end = *row ? batch_end->columnInt64(0) : std::numeric_limits<int64_t>::max();
    batch_end->reset();
    insert->bind(1, last).bind(2, end);
    FOLIO_TRY(insert->run());
    progress.done += db.changes();
    if (!keepGoing()) return cancel();
    if (!*row) break;
    last = end;
  }
  // Rows added meanwhile are impossible (the step holds the write lock); a mismatch is a bug.
  if (progress.done != *total) {
    return Error{ErrorKind::Internal, db.name() + ": re-indexed " + std::to_string(progress.done) + " of " +
                                          std::to_string(*total) + " chunks"};
  }
  return {};
}

constexpr std::array kMigrations{
    Migration{1, "documents, chunks and the full-text index", kV1},
    Migration{2, "summary tree, questions, answers, citations, usage", kV2},
    Migration{3, "summary node children, heading and page/line spans", kV3},
    Migration{4, "chunks indexed for search per write batch instead of per row", kV4},
    Migration{5, "prefix indexes for prefix search (re-indexes every chunk)", kV5, reindexChunks},
    Migration{6, "Chinese, Japanese and Korean text searchable by word (re-indexes every chunk)", kV6, reindexChunks},
    Migration{7, "the name of the model that wrote each answer", kV7},
    Migration{8, "the name of the model that wrote each summary", kV8},
    Migration{9, "the chunker (and its version) that made each document's chunks", kV9},
    Migration{10, "the words inside code identifiers searchable (re-indexes every chunk)", kV10, reindexChunks},
    Migration{11, "a size cap kept with each collection", kV11},
    Migration{12, "the pages of each document read by OCR", kV12},
    Migration{13, "OCR's readings of scanned pages kept; the OCR languages of each collection", kV13},
    Migration{14, "OCR's readings of the scans attached to a message kept too", kV14},
    Migration{15, "the version of the reader that extracted each document", kV15},
    Migration{16, "a model's answers about each passage of a review kept", kV16},
};
static_assert(kMigrations.size() == kSchemaVersion);

// BEGIN IMMEDIATE found the library locked by another writer. While a step is still due (a read goes
// through in WAL mode), retries with a short busy timeout, reporting `waiting` each time, until the lock
// frees or the observer cancels. The transaction, or the error that ends the wait.
Result<Transaction> waitForWriteLock(Database& db, int target_version, const MigrationObserver& observer) {
  Result<Transaction> tx = Error{ErrorKind::Io, db.name() + ": locked by another connection"};
  db.setBusyTimeout(kMigrationWaitReportMs);
  int version = target_version - 1;  // the last version read (a read can meet a brief exclusive lock too)
  for (;;) {
    auto current = schemaVersion(db);
    if (!current && !db.lastCallWasBusy()) {
      tx = current.error();
      break;
    }
    if (current) version = *current;
    if (current && (*current >= target_version || *current >= kSchemaVersion)) {
      db.setBusyTimeout(-1);
      return Transaction::begin(db);  // nothing left to wait for: the other process did the step
    }
    const Migration& step = kMigrations[static_cast<size_t>(std::clamp(version, 0, kSchemaVersion - 1))];
    if (!observer(MigrationProgress{step.version, step.summary, 0, 0, true, version})) {
      tx = cancelled(db.name() + ": cancelled while another process was writing to the library; it stays at schema "
                     "version " + std::to_string(version));
      break;
    }
    tx = Transaction::begin(db);
    if (tx || !db.lastCallWasBusy()) break;
  }
  db.setBusyTimeout(-1);
  return tx;
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

Result<int> schemaVersion(Database& db) {
  auto v = db.queryInt("PRAGMA user_version");
  if (!v) return v.error();
  return static_cast<int>(*v);
}

Status migrate(Database& db, int target_version, const MigrationObserver& observer) {
  FOLIO_CHECK(target_version >= 0 && target_version <= kSchemaVersion);
  for (;;) {
    // Read the version inside the write transaction: another process may have migrated meanwhile.
    // With an observer a lock is waited for in short, reported rounds rather than one silent timeout.
    if (observer) db.setBusyTimeout(kMigrationWaitReportMs);
    auto tx = Transaction::begin(db);
    if (observer) db.setBusyTimeout(-1);
    if (!tx && observer && db.lastCallWasBusy()) {
      auto waited = waitForWriteLock(db, target_version, observer);
      if (!waited) return waited.error();
      tx = std::move(*waited);
    }
    if (!tx) return tx.error();
    auto current = schemaVersion(db);
    if (!current) return current.error();
    if (*current > kSchemaVersion) {
      return Error{ErrorKind::Unsupported,
                   db.name() + ": the library has schema version " + std::to_string(*current) +
                       ", newer than this Folio understands (" + std::to_string(kSchemaVersion) +
                       "); use a newer Folio or another --library"};
    }
    if (*current > target_version) {
      return Error{ErrorKind::Unsupported, db.name() + ": the library has schema version " +
                                               std::to_string(*current) + ", above the requested " +
                                               std::to_string(target_version) + " (no downgrades)"};
    }
    if (*current == target_version) return tx->commit();
    // One step per transaction, except that a step which recreates and refills the search index (v5,
    // v6, v10) leaves the filling to the last such step up to the target, and the steps up to it run in
    // the same transaction: an old library is re-indexed once, and a cancel leaves it at the version it
    // had. The steps in between must not read chunks_fts (none does: they add columns).
    const int from = *current;
    const MigrationObserver report = observer ? MigrationObserver([&](const MigrationProgress& p) {
      MigrationProgress q = p;
      q.from_version = from;
      return observer(q);
    })
                                              : MigrationObserver{};
    auto refilledLater = [&](int after_version) {
      for (int v = after_version; v < target_version; ++v)
        if (kMigrations[static_cast<size_t>(v)].work == reindexChunks) return true;
      return false;
    };
    bool wrote = false;
    bool refill_due = false;  // an earlier step of this transaction left the index empty
    for (int version = from;;) {
      const Migration& step = kMigrations[static_cast<size_t>(version)];
      FOLIO_CHECK(step.version == version + 1);
      const bool refills = step.work == reindexChunks;
      const bool refilled_later = refills && refilledLater(step.version);
      auto done = db.exec(step.sql);
      if (done && step.work && !refilled_later) done = step.work(db, step, report);
      if (!done && done.error().kind == ErrorKind::Cancelled) {
        return cancelled(db.name() + ": cancelled; the library stays at schema version " + std::to_string(from))
            .context("migration to schema version " + std::to_string(step.version) + " (" +
                     std::string(step.summary) + ")");
      }
      if (!done) {
        return done.error().context("migration to schema version " + std::to_string(step.version) + " (" +
                                    std::string(step.summary) + ")");
      }
      FOLIO_TRY(db.exec("PRAGMA user_version = " + std::to_string(step.version)));
      wrote = wrote || step.work != nullptr;
      version = step.version;
      if (refills) refill_due = refilled_later;
      if (!refill_due) break;
    }
    FOLIO_TRY(tx->commit());
    // A step that rewrote much of the file grew the WAL by as much; give that space back now rather
    // than keep it until the file is closed. Best effort: a reader still in the WAL makes it a no-op.
    if (wrote) (void)db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}

}  // namespace folio::ingest
