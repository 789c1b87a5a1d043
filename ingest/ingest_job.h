// Incremental ingest of one or more roots (directories or single files) into a collection:
//
//   walk every root -> for each file: read, XXH64 content hash -> same hash as stored and chunks made by
//   the current version of their chunker (chunker.h): unchanged (not re-extracted) -> otherwise extract +
//   chunk on worker threads -> one writer thread stores each
//   document row together with its chunks, many documents per transaction (commit every
//   batch_files documents or batch_time, whichever comes first).
//
// A document and its chunks always appear (or are replaced) in the same transaction, so a run killed
// at any moment leaves a consistent library, and the next run picks up where it stopped (finished
// documents are unchanged, the rest are processed). Files that vanished from under a root are removed;
// files the walker skips (binary, too large, unreadable) and files whose extraction fails are recorded
// with their reasons. Progress is reported after every commit; `cancel` stops the run after the
// current batch is committed.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/library/library.h"
#include "ingest/walker.h"

namespace folio::ingest {

struct IngestOptions {
  std::string collection = "default";
  WalkOptions walk;
  // Text files (source, data, prose; not PDFs) up to this size are read in the collection, and the
  // collection keeps it for its later ingests and re-reads (Library::collectionMaxFileBytes). It only
  // raises the default caps (walker.h); 0 goes back to them. None: what the collection keeps. For a 9 MB sqlite3.c or a
  // 40 MB book that the defaults skip as too large.
  std::optional<uint64_t> max_file_bytes;
  // The languages scanned pages are read in, Tesseract's syntax ("deu+eng"; ocr_languages.h), kept by
  // the collection for its later ingests and re-reads like max_file_bytes; "" goes back to the default
  // (English). None: what the collection keeps. A setting other than the default whose language data
  // is not installed fails the run before anything is read, naming the package to install. Documents
  // whose scanned pages were read in other languages are read again. extract.ocr_languages is not used.
  std::optional<std::string> ocr_languages;
  ExtractOptions extract;
  ChunkOptions chunk;
  int worker_threads = 0;                     // extract/chunk threads; 0 = one per core (at most 8)
  // Extract and chunk every file again, also those whose content hash is unchanged (after an update of
  // Folio that extracts differently; documents whose chunker changed are re-read without it).
  bool reread_unchanged = false;
  size_t batch_files = 200;                   // commit after this many documents ...
  std::chrono::milliseconds batch_time{50};   // ... or when the open transaction is this old
};

struct IngestProgress {
  bool walking = false;         // still discovering files (totals not final)
  size_t files_total = 0;       // files found by the walk (including skipped ones)
  size_t files_done = 0;        // files committed to the library
  uint64_t bytes_total = 0;
  uint64_t bytes_done = 0;
  int64_t pages = 0;            // pages of documents stored in this run
  int64_t chunks = 0;           // chunks stored in this run
  double elapsed_s = 0;
  double files_per_s = 0;
  std::string current;          // the last document committed (relative path)
};

struct IngestIssue {
  std::string path;
  std::string reason;
};

struct IngestReport {
  std::string collection;
  size_t added = 0, updated = 0, unchanged = 0, removed = 0, skipped = 0, failed = 0;
  // Unchanged files read again because the chunker that made their chunks has changed since (not
  // counted in `updated`; with reread_unchanged every re-read file counts as updated).
  size_t rechunked = 0;
  std::vector<IngestIssue> skipped_files;   // this run's skipped files and why
  std::vector<IngestIssue> failed_files;    // this run's failed files and why
  size_t files_seen = 0;
  uint64_t bytes = 0;
  int64_t pages = 0;
  int64_t chunks = 0;
  // PDF pages without a text layer (scans): read by OCR in this run (with text); OCR's text of an earlier
  // run reused, found kept in the library by the file's hash and OCR settings (no OCR, ~2 s a page
  // saved); blank to OCR (now or before: no text to weigh as OCR's, not counted as read).
  int64_t ocr_pages = 0;
  int64_t ocr_reused = 0;
  int64_t ocr_blank = 0;
  std::vector<IngestIssue> ocr_problems;  // files with such pages OCR could not read, and why
  double elapsed_s = 0;
  bool cancelled = false;

  // Adds another run's counts, files and time (collections joined with ", ").
  void merge(const IngestReport& other);
};

using IngestProgressFn = std::function<void(const IngestProgress&)>;

// Runs one ingest. Errors are returned for a root that cannot be walked (before anything is written)
// and for library errors (the open batch is rolled back; earlier batches stay). Per-file problems are
// not errors: they end up in the report and in the documents table.
Result<IngestReport> runIngest(Library& library, std::span<const std::filesystem::path> roots,
                               const IngestOptions& options, const TokenCounter& tokens,
                               const IngestProgressFn& on_progress = {},
                               const std::atomic<bool>* cancel = nullptr);

// Reads these documents again from their files whatever their stored hashes say (the file changed
// without its hash being checked, or this Folio extracts or chunks differently), in place: each keeps its
// id, collection and relative path, and is replaced together with its chunks in one transaction, so a
// cancelled run leaves every document either as it was or read afresh. Nothing else is walked. A
// document whose file is gone, or is now a folder, is removed; one that is now binary or too large is
// recorded as skipped. options.collection is not used (each document stays in its own); ids not in the
// library are ignored.
Result<IngestReport> rereadDocuments(Library& library, std::span<const int64_t> document_ids,
                                     const IngestOptions& options, const TokenCounter& tokens,
                                     const IngestProgressFn& on_progress = {},
                                     const std::atomic<bool>* cancel = nullptr);

}  // namespace folio::ingest
