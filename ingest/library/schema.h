// The library schema and its migrations, keyed by `PRAGMA user_version`. Each step runs in its own
// transaction (BEGIN IMMEDIATE, so two processes opening a fresh library do not both migrate it); a
// library written by a newer Folio (user_version above kSchemaVersion) is refused with a clear error.
//
//   v1  collections, documents, chunks, chunks_fts (FTS5 over chunk text + heading, kept in sync by
//       triggers; porter/unicode61 tokenizer; BM25 rank with the heading weighted 4x)
//   v2  the tables the pipeline fills: summary_nodes, questions, answers, citations, usage,
//       routing_aggregates
//   v3  summary_nodes.children (JSON ids), heading, page/line spans; index by (model, source_hash)
//   v4  no insert trigger on chunks: Library adds new chunks to chunks_fts itself, one statement per
//       write batch (code writing chunks directly must index them the same way)
//   v5  chunks_fts with prefix indexes (kChunkPrefixLengths), so `term*` reads one doclist instead of
//       merging the doclists of every term under the prefix; the step recreates chunks_fts and
//       re-indexes every chunk (MigrationObserver hears its progress)
//   v6  chunks_fts tokenized by folio_cjk (fts_cjk_tokenizer.h), so words inside Chinese, Japanese and
//       Korean text are found; the step recreates chunks_fts and re-indexes every chunk, as v5 did
//   v7  answers.model_name: the model as a person knows it (answers.model keeps the identity hash that
//       reuse keys on); older answers keep '' and are shown by their hash. Nothing is re-indexed
//   v8  summary_nodes.model_name, as v7 for answers: summary_nodes.model keeps the identity hash; older
//       summaries keep '' and are shown by their hash. Nothing is re-indexed
//   v9  documents.chunker and chunker_version: the chunker that made the document's chunks and its
//       version (chunker.h); older documents keep '' and 0, which the next ingest re-chunks
//   v10 chunks_fts tokenizes the parts of code identifiers (re-indexes every chunk)
//   v11 collections.max_file_bytes: a size cap kept with a collection
//   v12 documents.ocr_pages: pages whose text OCR read
//   v13 ocr_texts: OCR's reading of each scanned page, kept with its document and found by (PDF hash,
//       languages, OCR version), so a file extracted again is not read by OCR again;
//       collections.ocr_languages
//   v14 ocr_texts keyed by (document, PDF hash, page): a message keeps the readings of each scanned PDF
//       attached to it
//   v15 documents.reader_version: the version of the reader that extracted the document's text
//       (reader_version.h); older documents count as 1
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::ingest {

constexpr int kSchemaVersion = 16;

// chunks_fts's tokenize= and prefix= options as the newest migration creates the table (a test checks
// them against it). FTS5 answers a prefix query from a prefix index only when the query token, after
// the tokenizer (porter stems it: `sans*` asks for `san*`), has exactly one of these lengths in
// characters; any other length merges the doclists of every term under the prefix. folio_cjk indexes
// CJK text by character, adds the parts of code identifiers and hands the rest to porter.
inline constexpr std::string_view kChunkTokenizer = "folio_cjk identifiers porter unicode61 remove_diacritics 2";
inline constexpr std::array<int, 4> kChunkPrefixLengths{3, 4, 5, 6};

// Where a long migration step stands: v5, v6 and v10 re-index every chunk (minutes for a million).
struct MigrationProgress {
  int version = 0;           // the schema version the step brings the library to
  std::string_view summary;
  int64_t done = 0;          // chunks re-indexed so far
  int64_t total = 0;
  // The step has not started: another connection (another Folio process upgrading or writing to the
  // library) holds the write lock. Reported about every kMigrationWaitReportMs while migrate waits.
  bool waiting = false;
  // The version the library has before the work reported (and keeps if it is cancelled): version − 1,
  // or lower where consecutive steps that each rebuild the search index run as one (migrate). 0: not set.
  int from_version = 0;
};
inline constexpr int kMigrationWaitReportMs = 250;
// Called between units of work of a long step; returning false cancels it: the step's transaction
// rolls back and the library stays, intact, at the version before the step.
using MigrationObserver = std::function<bool(const MigrationProgress&)>;

struct Migration;
using MigrationWork = Status (*)(Database& db, const Migration& step, const MigrationObserver& observer);

struct Migration {
  int version;               // user_version after this step
  std::string_view summary;  // one line for logs and errors
  std::string_view sql;
  MigrationWork work = nullptr;  // what SQL alone does badly, run after `sql` in the same transaction
};

// All steps, in order (step i brings the schema from version i to i + 1).
std::span<const Migration> migrations();

// Brings `db` to `target_version` (default: the newest). Refuses a database newer than this build
// knows, and a target below the current version (no downgrades). Each step commits on its own, so a
// failure or a cancel leaves the library at the last version reached. When a step is due but another
// connection holds the write lock past the busy timeout, an observer makes it wait (reporting `waiting`
// until the lock frees or the observer cancels); without one that is an error, as for any writer.
Status migrate(Database& db, int target_version = kSchemaVersion, const MigrationObserver& observer = {});

Result<int> schemaVersion(Database& db);

}  // namespace folio::ingest
