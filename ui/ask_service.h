// The question-answering worker side for the GUI (widget-free): runs app::ask (extractive when no model
// is loaded) on a worker thread with its own Library connection, loads the session history, and exports
// answers and sessions through app/report. Results come back as queued signals; a model answer also
// streams (answerStreamed, coalesced to one signal per StreamCoalescer interval, all of it delivered
// before `answered`); stop() cancels the running question; the destructor cancels and joins.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <filesystem>
#include <optional>

#include "app/pipeline/ask.h"
#include "app/report/report_render.h"
#include "ui/metatypes.h"
#include "ui/stream_coalescer.h"

namespace folio::ui {

class AskService : public QObject {
  Q_OBJECT

 public:
  explicit AskService(std::filesystem::path library_path, QObject* parent = nullptr);
  ~AskService() override;

  bool busy() const { return busy_; }
  // `runtime` null: extractive mode.
  void ask(const app::AskOptions& options, ModelRuntimePtr runtime);
  void stop() { cancel_ = true; }
  // Every stored answer of the library (all collections), oldest first.
  void loadHistory();
  // One answer (answer_id > 0) or a whole session (every answer asked in a collection) to `out`.
  void exportReport(qint64 answer_id, const QString& session, app::ReportFormat format, const QString& out);
  void shutdown();

 Q_SIGNALS:
  void progress(const QString& what);
  // New text of the thought and of the answer while a model answer is generated.
  void answerStreamed(const QString& thinking, const QString& answer);
  // The answer's running token counts, coalesced with answerStreamed (same interval, newest only).
  void answerProgressed(const folio::app::AnswerProgress& progress);
  void answered(const folio::app::AnswerRecord& answer);
  void askFailed(const QString& message);
  void historyLoaded(const QList<folio::app::AnswerRecord>& answers);
  void exported(const QStringList& files);
  void exportFailed(const QString& message);

 private:
  template <class F>
  void post(F&& f) {
    QMetaObject::invokeMethod(this, std::forward<F>(f), Qt::QueuedConnection);
  }

  // Library::open that, while the library's schema upgrade is due (run here, or by the library service
  // or another process holding the write lock), says so once through progress() and waits instead of
  // failing after the busy timeout. stop() and shutdown() end the wait (a Cancelled error).
  Result<ingest::Library> openLibrary();

  std::filesystem::path path_;
  StreamCoalescer* stream_;
  QThreadPool pool_;
  std::atomic<bool> cancel_{false};
  bool busy_ = false;  // GUI thread only
};

}  // namespace folio::ui
