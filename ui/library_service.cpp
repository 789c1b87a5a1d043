#include "ui/library_service.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <map>
#include <set>

#include "ingest/chunker.h"

namespace folio::ui {

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
  pool_.waitForDone();
}

template <class F>
void LibraryService::post(F&& f) {
  QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::QueuedConnection);
}

void LibraryService::reload() {
  const auto path = path_;
  pool_.start([this, path] {
    auto lib = ingest::Library::open(path, {}, [this](const ingest::MigrationProgress& p) {
      if (p.waiting) {
        post([this] { Q_EMIT libraryUpgrading(-1, -1); });
      } else {
        post([this, done = p.done, total = p.total] { Q_EMIT libraryUpgrading(done, total); });
      }
      return !cancel_.load();
    });
    if (!lib) return post([this, m = lib.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    auto docs = lib->documents();
    if (!docs) return post([this, m = docs.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    post([this, d = std::move(*docs)] { Q_EMIT documentsLoaded(d); });
  });
}

void LibraryService::ingest(const QStringList& paths, const QString& collection) {
  if (ingesting_ || paths.isEmpty()) return;
  std::vector<std::filesystem::path> roots;
  for (const auto& p : paths) roots.emplace_back(p.toStdString());
  runIngestJob(std::move(roots), collection.isEmpty() ? std::string("default") : collection.toStdString(), {});
}

void LibraryService::runIngestJob(std::vector<std::filesystem::path> roots, std::string collection,
                                  std::vector<int64_t> remove_first) {
  ingesting_ = true;
  cancel_ = false;
  Q_EMIT ingestStarted();
  const auto path = path_;
  pool_.start([this, path, roots = std::move(roots), collection = std::move(collection),
                             remove_first = std::move(remove_first)] {
    auto fail = [this](const std::string& m) {
      post([this, m] {
        ingesting_ = false;
        Q_EMIT failed(QString::fromStdString(m));
        reload();
      });
    };
    auto lib = ingest::Library::open(path);
    if (!lib) return fail(lib.error().message);
    for (int64_t id : remove_first)
      if (auto s = lib->removeDocument(id); !s) return fail(s.error().message);
    ingest::IngestOptions options;
    options.collection = collection;
    const ingest::EstimatingTokenCounter tokens;
    auto report = ingest::runIngest(
        *lib, roots, options, tokens,
        [this](const ingest::IngestProgress& p) { post([this, p] { Q_EMIT ingestProgress(p); }); }, &cancel_);
    if (!report) return fail(report.error().message);
    post([this, r = std::move(*report)] {
      ingesting_ = false;
      Q_EMIT ingestFinished(r);
      reload();
    });
  });
}

void LibraryService::reindex(const QList<qint64>& document_ids) {
  if (ingesting_ || document_ids.isEmpty()) return;
  // Which roots to walk again: the document's path with its relative path taken off (the folder it was
  // ingested from), so relative paths stay as they were. Done on the pool: it reads the database.
  const auto path = path_;
  const std::set<int64_t> wanted(document_ids.begin(), document_ids.end());
  ingesting_ = true;
  pool_.start([this, path, wanted] {
    auto lib = ingest::Library::open(path);
    std::map<std::string, std::pair<std::set<std::string>, std::vector<int64_t>>> by_collection;
    if (lib) {
      auto docs = lib->documents();
      if (docs) {
        for (const auto& d : *docs) {
          if (!wanted.count(d.id)) continue;
          std::string root = d.path;
          if (!d.rel_path.empty() && root.size() > d.rel_path.size() &&
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
      ingesting_ = false;
      // One ingest per collection; in practice a selection is within one collection.
      if (by_collection.empty()) return reload();
      const auto& [collection, what] = *by_collection.begin();
      std::vector<std::filesystem::path> roots(what.first.begin(), what.first.end());
      runIngestJob(std::move(roots), collection, what.second);
    });
  });
}

void LibraryService::remove(const QList<qint64>& document_ids) {
  if (document_ids.isEmpty()) return;
  const auto path = path_;
  const std::vector<int64_t> ids(document_ids.begin(), document_ids.end());
  pool_.start([this, path, ids] {
    auto lib = ingest::Library::open(path);
    if (!lib) return post([this, m = lib.error().message] { Q_EMIT failed(QString::fromStdString(m)); });
    for (int64_t id : ids)
      if (auto s = lib->removeDocument(id); !s)
        return post([this, m = s.error().message] { Q_EMIT failed(QString::fromStdString(m)); reload(); });
    post([this] { reload(); });
  });
}

}  // namespace folio::ui
