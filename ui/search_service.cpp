#include "ui/search_service.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <optional>

namespace folio::ui {

struct SearchService::Connection {
  std::optional<ingest::Library> library;
};

namespace {

// The ids of the documents of `collection` that have chunks; nullopt when there is no such collection.
Result<std::optional<std::vector<int64_t>>> documentsOf(ingest::Library& lib, const std::string& collection) {
  auto id = lib.findCollection(collection);
  if (!id) return id.error();
  if (!*id) return std::optional<std::vector<int64_t>>{};
  auto ids = lib.documentIdsWithChunks(**id);
  if (!ids) return ids.error();
  return std::optional<std::vector<int64_t>>{std::move(*ids)};
}

Result<QString> chunkText(ingest::Library& lib, int64_t chunk_id) {
  auto s = lib.db().prepare("SELECT text FROM chunks WHERE id = ?1");
  if (!s) return s.error();
  s->bind(1, chunk_id);
  auto row = s->step();
  if (!row) return row.error();
  return *row ? QString::fromStdString(s->columnText(0)) : QString();
}

}  // namespace

SearchService::SearchService(std::filesystem::path library_path, QObject* parent)
    : QObject(parent), path_(std::move(library_path)), connection_(std::make_unique<Connection>()) {
  qRegisterMetaType<LibraryHits>();
  pool_.setMaxThreadCount(1);
}

SearchService::~SearchService() { shutdown(); }

void SearchService::shutdown() {
  generation_ += 1;  // what is queued is skipped
  pool_.waitForDone();
}

quint64 SearchService::search(const QString& query, const QString& collection) {
  const quint64 generation = ++generation_;
  pool_.start([this, generation, query, q = query.toStdString(), c = collection.toStdString()] {
    if (generation != generation_.load()) return;  // a newer search came before this one started
    QElapsedTimer clock;
    clock.start();
    const auto fail = [&](const std::string& message) {
      QMetaObject::invokeMethod(this, [this, generation, m = QString::fromStdString(message)] {
        Q_EMIT failed(generation, m);
      }, Qt::QueuedConnection);
    };
    const auto reply = [&](LibraryHits hits, bool any_term) {
      QMetaObject::invokeMethod(this, [this, generation, query, hits = std::move(hits), any_term,
                                       ms = static_cast<double>(clock.nsecsElapsed()) / 1e6] {
        Q_EMIT resultsReady(generation, query, hits, any_term, ms);
      }, Qt::QueuedConnection);
    };
    auto& lib = connection_->library;
    if (!lib) {
      ingest::DatabaseOptions read;
      read.read_only = true;
      read.create = false;
      auto opened = ingest::Library::open(path_, read);
      if (!opened) return fail(opened.error().message);
      lib.emplace(std::move(*opened));
    }
    ingest::SearchOptions options;
    options.limit = kMaxHits;
    // Markers no text holds; the panel turns them into bold after escaping the snippet.
    options.highlight_open = "\x01";
    options.highlight_close = "\x02";
    if (!c.empty()) {
      auto docs = documentsOf(*lib, c);
      if (!docs) return fail(docs.error().message);
      if (!*docs || (*docs)->empty()) return reply({}, false);  // nothing searchable there
      options.documents = std::move(**docs);
    }
    auto found = ingest::search(lib->db(), q, options);
    if (!found) return fail(found.error().message);
    LibraryHits hits;
    hits.reserve(found->hits.size());
    for (auto& h : found->hits) {
      auto text = chunkText(*lib, h.chunk_id);
      if (!text) return fail(text.error().message);
      hits.push_back(LibraryHit{std::move(h), std::move(*text)});
    }
    reply(std::move(hits), found->matched_any);
  });
  return generation;
}

}  // namespace folio::ui
