// Summaries for the GUI (widget-free): builds, or reuses, a document's or a collection's summary tree
// with the loaded model, or extractively without one (app::SummaryTreeBuilder, as `folio summarize
// --doc/--collection` does), on a worker thread with progress; stop() ends it between nodes, keeping
// those already stored. The result comes back as a report (a document's is what `folio report --doc`
// exports). A collection's stored summary is what questions over a large scope fall back on.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <filesystem>

#include "app/report/report.h"
#include "ui/metatypes.h"

namespace folio::ui {

class SummaryService : public QObject {
  Q_OBJECT

 public:
  explicit SummaryService(std::filesystem::path library_path, QObject* parent = nullptr);
  ~SummaryService() override;

  bool busy() const { return busy_; }  // GUI thread
  // Summarizes the document with `runtime` (null: extractive) in windows of `context_window` tokens (0:
  // the model's default). Does nothing while a summary is being built.
  void summarize(qint64 document_id, ModelRuntimePtr runtime, int context_window);
  // The same for every document of the collection and the collection itself.
  void summarizeCollection(const QString& collection, ModelRuntimePtr runtime, int context_window);
  void stop() { cancel_ = true; }
  void shutdown();  // stops and waits (the window calls it when it closes)

 Q_SIGNALS:
  void busyChanged(bool busy);
  void progress(const QString& message);
  void summarized(qint64 document_id, const folio::app::Report& report);  // 0 for a collection
  void failed(const QString& message);

 private:
  void finish();  // GUI thread: busy off
  // The build on the worker: the document's (collection empty) or the collection's.
  void run(qint64 document_id, const QString& collection, ModelRuntimePtr runtime, int context_window);

  std::filesystem::path path_;
  QThreadPool pool_;
  std::atomic<bool> cancel_{false};
  bool busy_ = false;
};

}  // namespace folio::ui

Q_DECLARE_METATYPE(folio::app::Report)
