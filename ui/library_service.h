// The library's worker side for the GUI (widget-free): listing documents, ingesting files and folders,
// re-indexing and removing documents. Every job runs on this service's own thread pool and opens its own
// Library connection (one SQLite connection per thread); results come back as queued signals on the
// thread that owns the service. One write job at a time (an ingest, a re-index or a removal: two writers
// would only queue on SQLite's busy timeout); cancel() stops it after the current batch is committed.
// The destructor cancels and joins every job, so nothing is half-written.
#pragma once

#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>

#include "ui/metatypes.h"

namespace folio::ui {

class LibraryService : public QObject {
  Q_OBJECT

 public:
  explicit LibraryService(std::filesystem::path library_path, QObject* parent = nullptr);
  ~LibraryService() override;

  const std::filesystem::path& libraryPath() const { return path_; }
  // An ingest, re-index or removal is running; ingest(), reindex() and remove() do nothing meanwhile.
  bool writing() const { return writing_; }

  // Lists the documents (documentsLoaded); the first one after an update of Folio may upgrade the
  // library first (libraryUpgrading; shutdown() cancels that, leaving the library as it was).
  void reload();
  // Adds files and folders to `collection` (incremental by content hash).
  void ingest(const QStringList& paths, const QString& collection);
  // The same for names that need not be UTF-8 (see local_path.h).
  void ingest(std::vector<std::filesystem::path> paths, const QString& collection);
  // Reads the documents again from their files, in place (ingest::rereadDocuments); reported as an ingest.
  // With `max_file_bytes`, their collections first keep that size cap (IngestOptions::max_file_bytes):
  // what the reader offers for a file skipped as too large.
  void reindex(const QList<qint64>& document_ids, std::optional<uint64_t> max_file_bytes = {});
  // Reads the languages `collection`'s scanned pages are read in (scanLanguagesLoaded), with those
  // Tesseract has installed.
  void loadScanLanguages(const QString& collection);
  // The collection keeps `languages` (Tesseract's syntax, "deu+eng"; "" the default, English) for its
  // later ingests, and its documents with pages read by OCR, or left unread, are read again (in place,
  // reported as an ingest; the OCR readings kept in those languages are reused).
  void setScanLanguages(const QString& collection, const QString& languages);
  // Removes the documents in batches (removeProgress after each, removeFinished at the end); cancel() and
  // shutdown() stop it between batches, keeping the batches already committed.
  void remove(const QList<qint64>& document_ids);
  // Stops the running write job after its current batch.
  void cancel() { cancel_ = true; }
  // Cancels and waits for every job (called by the destructor and when the window closes).
  void shutdown();

 Q_SIGNALS:
  void documentsLoaded(const folio::ui::DocumentListPtr& documents);  // never null
  // reload() is upgrading the library's schema (re-indexing its chunks; minutes on a large library);
  // both −1 while it waits for another Folio process that holds the library's write lock.
  void libraryUpgrading(qint64 chunks_done, qint64 chunks_total);
  // `languages` is the collection's setting ("" the default); `installed` what Tesseract can read.
  void scanLanguagesLoaded(const QString& collection, const QString& languages, const QStringList& installed);
  void ingestStarted();
  void ingestProgress(const folio::ingest::IngestProgress& progress);
  void ingestFinished(const folio::ingest::IngestReport& report);
  // remove() has removed `done` of `total` documents (committed).
  void removeProgress(qint64 done, qint64 total);
  // remove() ended having removed `removed` of `total` documents (fewer when cancelled).
  void removeFinished(qint64 removed, qint64 total);
  // A write job started (true) or ended (false), whether it succeeded, failed or was cancelled.
  void writingChanged(bool writing);
  void failed(const QString& message);

 private:
  template <class F>
  void post(F&& f);  // runs f on the GUI side (queued), unless the service is shutting down
  void setWriting(bool writing);
  // The library at `path` for a job's thread, waiting out a schema upgrade another opener runs.
  Result<ingest::Library> openLibrary(const std::filesystem::path& path);
  void endWithError(const std::string& message);  // from a write job's thread: it failed
  // An ingest or a re-read on the pool, reported through ingestStarted/Progress/Finished or failed.
  using IngestJob = std::function<Result<ingest::IngestReport>(ingest::Library&, const ingest::IngestProgressFn&,
                                                               const std::atomic<bool>* cancel)>;
  void runIngestJob(IngestJob job);

  std::filesystem::path path_;
  QThreadPool pool_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> closing_{false};  // shutdown() was called: every job stops at its next safe point
  bool writing_ = false;              // GUI thread only
};

}  // namespace folio::ui
