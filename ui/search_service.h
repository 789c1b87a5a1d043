// Full-text search of the library for the GUI (widget-free): each search() runs ingest::search (BM25,
// snippets) on this service's one worker thread, over its own read-only connection, and answers with
// resultsReady on the thread that owns the service. Typing runs a search per pause, so a search that a
// newer one has superseded before it started is skipped, and results carry the generation they answer.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

#include "ingest/library/search.h"
#include "ui/metatypes.h"

namespace folio::ui {

// One hit and the chunk's whole text (the reader finds the passage on a PDF page by it).
struct LibraryHit {
  ingest::SearchHit hit;
  QString text;
};
using LibraryHits = std::vector<LibraryHit>;

class SearchService : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMaxHits = 100;

  explicit SearchService(std::filesystem::path library_path, QObject* parent = nullptr);
  ~SearchService() override;

  // Searches the library (collection "" = all of it) for `query`: words, "phrases", prefix*. Returns
  // the search's generation, which resultsReady and failed carry.
  quint64 search(const QString& query, const QString& collection);
  // Waits for the running search (the window calls it when it closes).
  void shutdown();

 Q_SIGNALS:
  // `any_term`: no passage held every word, so these hold some of them.
  void resultsReady(quint64 generation, const QString& query, const folio::ui::LibraryHits& hits, bool any_term,
                    double elapsed_ms);
  void failed(quint64 generation, const QString& message);

 private:
  struct Connection;  // the worker thread's library connection, opened on its first search
  std::filesystem::path path_;
  QThreadPool pool_;  // one thread: searches run in order on one connection
  std::unique_ptr<Connection> connection_;
  std::atomic<quint64> generation_{0};
};

}  // namespace folio::ui

Q_DECLARE_METATYPE(folio::ui::LibraryHit)
Q_DECLARE_METATYPE(folio::ui::LibraryHits)
