#include "ui/library_service.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ingest/chunker.h"
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
    post([this, d = std::move(*docs)] { Q_EMIT documentsLoaded(d); });
  });
}

void LibraryService::ingest(const QStringList& paths, const QString& collection) {
  std::vector<std::filesystem::path> roots;
  for (const auto& p : paths) roots.push_back(localPath(p));
  ingest(std::move(roots), collection);
}

void LibraryService::ingest(std::vector<std::filesystem::path> paths, const QString& collection) {
  if (writing_ || paths.empty()) return;
  cancel_ = false;
  runIngestJob(std::move(paths), collection.isEmpty() ? std::string("default") : collection.toStdString(), {});
}

void LibraryService::runIngestJob(std::vector<std::filesystem::path> roots, std::string collection,
                                  std::vector<int64_t> remove_first) {
  setWriting(true);
  Q_EMIT ingestStarted();
  const auto path = path_;
  pool_.start([this, path, roots = std::move(roots), collection = std::move(collection),
               remove_first = std::move(remove_first)] {
    auto lib = openLibrary(path);
    if (!lib) return endWithError(lib.error().message);
    if (auto s = removeDocuments(*lib, remove_first, closing_); !s) return endWithError(s.error().message);
    if (closing_) return;
    ingest::IngestOptions options;
    options.collection = collection;
    const ingest::EstimatingTokenCounter tokens;
    auto report = ingest::runIngest(
        *lib, roots, options, tokens,
        [this](const ingest::IngestProgress& p) { post([this, p] { Q_EMIT ingestProgress(p); }); }, &cancel_);
    if (!report) return endWithError(report.error().message);
    post([this, r = std::move(*report)] {
      setWriting(false);
      Q_EMIT ingestFinished(r);
      reload();
    });
  });
}

void LibraryService::reindex(const QList<qint64>& document_ids) {
  if (writing_ || document_ids.isEmpty()) return;
  // Which roots to walk again: the document's path with its relative path taken off (the folder it was
  // ingested from), so relative paths stay as they were. Done on the pool: it reads the database.
  const auto path = path_;
  const std::set<int64_t> wanted(document_ids.begin(), document_ids.end());
  cancel_ = false;
  setWriting(true);
  pool_.start([this, path, wanted] {
    auto lib = openLibrary(path);
    std::map<std::string, std::pair<std::set<std::string>, std::vector<int64_t>>> by_collection;
    if (lib) {
      auto docs = lib->documents();
      if (docs) {
        for (const auto& d : *docs) {
          if (!wanted.count(d.id)) continue;
          // A top-level entry is walked on its own: it may have been added as a single file (its folder
          // was never asked for), and on its own it keeps the same relative path, its file name.
          std::string root = d.path;
          if (d.rel_path.find('/') != std::string::npos && root.size() > d.rel_path.size() &&
              root.compare(root.size() - d.rel_path.size(), d.rel_path.size(), d.rel_path) == 0)
            root.resize(root.size() - d.rel_path.size());
          while (root.size() > 1 && root.back() == '/') root.pop_back();
          if (root.empty()) root = d.path;
          by_collection[d.collection].first.insert(root);
          by_collection[d.collection].second.push_back(d.id);
        }
      }
    }
    post([this, by_collection] {
      // Cancelled before anything was removed: leave the documents as they are.
      if (cancel_) {
        setWriting(false);
        ingest::IngestReport r;
        r.cancelled = true;
        return Q_EMIT ingestFinished(r);
      }
      // One ingest per collection; in practice a selection is within one collection.
      if (by_collection.empty()) {
        setWriting(false);
        return reload();
      }
      const auto& [collection, what] = *by_collection.begin();
      std::vector<std::filesystem::path> roots(what.first.begin(), what.first.end());
      runIngestJob(std::move(roots), collection, what.second);
    });
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
