#include "ui/library_service.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <functional>

#include "ingest/chunker.h"
#include "ingest/ocr_languages.h"
#include "ingest/pdf_ocr.h"
#include "ui/local_path.h"

namespace folio::ui {
namespace {

// Removes documents in transactions of kRemoveBatch (one commit per document took 40 s for 100,000);
// `stop` is checked before each batch, so what is left is whole batches. on_batch(done) after each.
constexpr size_t kRemoveBatch = 500;

Status removeDocuments(ingest::Library& lib, const std::vector<int64_t>& ids, const std::atomic<bool>& stop,
                       const std::function<void(size_t)>& on_batch = {}) {
  for (size_t begin = 0; begin < ids.size() && !stop; begin += kRemoveBatch) {
    auto tx = lib.beginWrite();
    if (!tx) return tx.error();
    const size_t end = std::min(ids.size(), begin + kRemoveBatch);
    for (size_t i = begin; i < end; ++i) FOLIO_TRY(lib.removeDocument(ids[i]));
    FOLIO_TRY(tx->commit());
    if (on_batch) on_batch(end);
  }
  return {};
}

}  // namespace

LibraryService::LibraryService(std::filesystem::path library_path, QObject* parent)
    : QObject(parent), path_(std::move(library_path)) {
  qRegisterMetaType<DocumentList>();
  qRegisterMetaType<DocumentListPtr>();
  qRegisterMetaType<ingest::IngestProgress>();
  qRegisterMetaType<ingest::IngestReport>();
  pool_.setMaxThreadCount(2);  // one ingest + listings
}

LibraryService::~LibraryService() { shutdown(); }

void LibraryService::shutdown() {
  cancel_ = true;
  closing_ = true;
  pool_.waitForDone();
}

void LibraryService::setWriting(bool writing) {
  if (writing_ == writing) return;
  writing_ = writing;
  Q_EMIT writingChanged(writing);
}

void LibraryService::endWithError(const std::string& message) {
  post([this, message] {
    setWriting(false);
    Q_EMIT failed(QString::fromStdString(message));
    reload();
  });
}

template <class F>
void LibraryService::post(F&& f) {
  QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::QueuedConnection);
}

Result<ingest::Library> LibraryService::openLibrary(const std::filesystem::path& path) {
  // every job opens this way: a job that finds the schema upgrade running (another job of this window
  // opening a new library, another Folio process) waits for it, reporting, instead of failing on the lock
  return ingest::Library::open(path, {}, [this](const ingest::MigrationProgress& p) {
    if (p.waiting) {
      post([this] { Q_EMIT libraryUpgrading(-1, -1); });
    } else {
      post([this, done = p.done, total = p.total] { Q_EMIT libraryUpgrading(done, total); });
    }
    return !cancel_.load() && !closing_.load();
  });
}

void LibraryService::reload() {
  const auto path = path_;
  pool_.start([this, path] {
    auto lib = openLibrary(path);
    if (!lib) return post([this, m = lib.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    auto docs = lib->documents();
    if (!docs) return post([this, m = docs.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    post([this, d = std::make_shared<const DocumentList>(std::move(*docs))] { Q_EMIT documentsLoaded(d); });
  });
}

void LibraryService::ingest(const QStringList& paths, const QString& collection) {
  std::vector<std::filesystem::path> roots;
  for (const auto& p : paths) roots.push_back(localPath(p));
  ingest(std::move(roots), collection);
}

void LibraryService::ingest(std::vector<std::filesystem::path> paths, const QString& collection) {
  if (writing_ || paths.empty()) return;
  const std::string name = collection.isEmpty() ? std::string("default") : collection.toStdString();
  runIngestJob([roots = std::move(paths), name](ingest::Library& lib, const ingest::IngestProgressFn& progress,
                                                const std::atomic<bool>* cancel) {
    ingest::IngestOptions options;
    options.collection = name;
    const ingest::EstimatingTokenCounter tokens;
    return ingest::runIngest(lib, roots, options, tokens, progress, cancel);
  });
}

void LibraryService::reindex(const QList<qint64>& document_ids, std::optional<uint64_t> max_file_bytes) {
  if (writing_ || document_ids.isEmpty()) return;
  // In place: each document is read again from its own file (nothing else is walked) and replaced with its
  // chunks in one transaction, so Cancel leaves each one either as it was or read afresh.
  runIngestJob([ids = std::vector<int64_t>(document_ids.begin(), document_ids.end()), max_file_bytes](
                   ingest::Library& lib, const ingest::IngestProgressFn& progress, const std::atomic<bool>* cancel) {
    const ingest::EstimatingTokenCounter tokens;
    ingest::IngestOptions options;
    options.max_file_bytes = max_file_bytes;
    return ingest::rereadDocuments(lib, ids, options, tokens, progress, cancel);
  });
}

void LibraryService::runIngestJob(IngestJob job) {
  cancel_ = false;
  setWriting(true);
  Q_EMIT ingestStarted();
  const auto path = path_;
  pool_.start([this, path, job = std::move(job)] {
    auto lib = openLibrary(path);
    if (!lib) return endWithError(lib.error().message);
    auto report = job(
        *lib, [this](const ingest::IngestProgress& p) { post([this, p] { Q_EMIT ingestProgress(p); }); }, &cancel_);
    if (!report) return endWithError(report.error().message);
    post([this, r = std::move(*report)] {
      setWriting(false);
      Q_EMIT ingestFinished(r);
      reload();
    });
  });
}

void LibraryService::loadScanLanguages(const QString& collection) {
  const auto path = path_;
  pool_.start([this, path, name = collection.toStdString(), collection] {
    auto lib = openLibrary(path);
    if (!lib) return post([this, m = lib.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    auto id = lib->ensureCollection(name.empty() ? "default" : name);
    if (!id) return post([this, m = id.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    auto languages = lib->collectionOcrLanguages(*id);
    if (!languages) return post([this, m = languages.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    QStringList installed;
    for (const auto& l : ingest::ocrLanguageData().installed) installed << QString::fromStdString(l);
    post([this, collection, l = QString::fromStdString(*languages), installed] {
      Q_EMIT scanLanguagesLoaded(collection, l, installed);
    });
  });
}

void LibraryService::setScanLanguages(const QString& collection, const QString& languages) {
  if (writing_) return;
  const std::string name = collection.isEmpty() ? std::string("default") : collection.toStdString();
  runIngestJob([name, setting = languages.toStdString()](ingest::Library& lib, const ingest::IngestProgressFn& progress,
                                                         const std::atomic<bool>* cancel) -> Result<ingest::IngestReport> {
    if (!setting.empty()) FOLIO_TRY(ingest::checkOcrLanguages(setting));
    auto id = lib.ensureCollection(name);
    if (!id) return id.error();
    FOLIO_TRY(lib.setCollectionOcrLanguages(*id, setting == ingest::kDefaultOcrLanguages ? "" : setting));
    auto docs = lib.documents();
    if (!docs) return docs.error();
    std::vector<int64_t> scanned;  // read by OCR, or with pages OCR left unread
    for (const auto& d : *docs)
      if (d.collection_id == *id && (d.ocr_pages > 0 || ingest::ocrMayReadUnreadPages(d.error))) scanned.push_back(d.id);
    ingest::IngestOptions options;
    options.ocr_languages = setting;
    const ingest::EstimatingTokenCounter tokens;
    auto report = ingest::rereadDocuments(lib, scanned, options, tokens, progress, cancel);
    if (report) report->collection = name;
    return report;
  });
}

void LibraryService::remove(const QList<qint64>& document_ids) {
  if (writing_ || document_ids.isEmpty()) return;
  const auto path = path_;
  const std::vector<int64_t> ids(document_ids.begin(), document_ids.end());
  cancel_ = false;
  setWriting(true);
  Q_EMIT removeProgress(0, static_cast<qint64>(ids.size()));
  pool_.start([this, path, ids] {
    auto lib = openLibrary(path);
    if (!lib) return endWithError(lib.error().message);
    const auto total = static_cast<qint64>(ids.size());
    qint64 removed = 0;
    // cancel_ is also set by shutdown().
    auto s = removeDocuments(*lib, ids, cancel_, [this, total, &removed](size_t done) {
      removed = static_cast<qint64>(done);
      post([this, removed, total] { Q_EMIT removeProgress(removed, total); });
    });
    if (!s) return endWithError(s.error().message);
    post([this, removed, total] {
      setWriting(false);
      Q_EMIT removeFinished(removed, total);
      reload();
    });
  });
}

}  // namespace folio::ui
