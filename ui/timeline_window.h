// Library › Timeline… (Ctrl+Shift+T): the dated events of a scope's documents and e-mail in date order
// (app/pipeline/timeline.h), in a window of its own. Above the table the filters — words the events must
// hold, from and to dates, whether numeric dates read day first — and Run (or Enter in a filter); the
// timeline is built on a worker with a progress bar (documents read of the scope's) and Stop. The table
// is Date | Event | Document | Where, a line counting the events, dates and documents above it; an event
// opens its first place in the reader (double-click or Enter), Export… writes the table as CSV, PDF,
// HTML or Markdown. Closing the window drops a run.
#pragma once

#include <QDialog>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "ui/document_scope.h"
#include "app/pipeline/evidence.h"
#include "app/pipeline/timeline.h"
#include "ui/metatypes.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QProgressBar;
class QPushButton;
class QTableView;

namespace folio::ui {

class ProgressRelay;
class TimelineModel;

// The documents read: a collection, chosen documents, or (neither) the whole library.
using TimelineScope = DocumentScope;

// What the window remembers across runs (GuiSettings' timeline keys); the dates are not: they belong to
// one question about one scope.
struct TimelineWindowState {
  QString words;
  bool day_first = false;
  QByteArray geometry;
};

// What a worker brings back: the timeline (`stopped`: the events found until Stop), or why there is none.
struct TimelineRun {
  std::shared_ptr<const app::Timeline> timeline;
  QString error;
  bool stopped = false;
};

class TimelineWindow : public QDialog {
  Q_OBJECT

 public:
  TimelineWindow(std::filesystem::path library, TimelineScope scope, const TimelineWindowState& state,
                 const QString& export_dir, QWidget* parent = nullptr);
  ~TimelineWindow() override;

  bool busy() const { return running_; }
  // The timeline on screen; null before the first run ended.
  const app::Timeline* timeline() const { return current_.get(); }
  TimelineWindowState state() const;

  // Builds the timeline with the filters as they are (what Run does); false, saying why, when a date
  // does not parse or a run is under way.
  bool run();
  // Stops the run (what Stop does): the worker ends after its current chunk and the table shows the
  // events found until then, saying how many documents were read.
  void stop();
  // Writes the table to `path`, its format from the suffix (.csv, .pdf, .html, .md); says on the window
  // what was written or why not. True when written.
  bool exportTo(const QString& path);
  // Opens the first place of the event in `index`'s row in the reader (what double-click and Enter do).
  bool openEvent(const QModelIndex& index);

  QLineEdit* wordsEdit() const { return words_; }
  QLineEdit* fromEdit() const { return from_; }
  QLineEdit* toEdit() const { return to_; }
  QCheckBox* dayFirstBox() const { return day_first_; }
  QPushButton* runButton() const { return run_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* exportButton() const { return export_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* progressLabel() const { return progress_label_; }
  QLabel* countLine() const { return count_; }
  QLabel* status() const { return status_; }
  QTableView* table() const { return table_; }
  TimelineModel* model() const { return model_; }
  // Milliseconds from Run to the last table shown.
  qint64 lastRunMs() const { return last_run_ms_; }
  // Called on the worker after each document (done, total) of the runs started after: a test holds the
  // worker there to act while a run is surely running.
  void setWorkerObserver(std::function<void(int64_t, int64_t)> observer) { worker_observer_ = std::move(observer); }

 Q_SIGNALS:
  void timelineShown();                         // a run's timeline is on screen
  void timelineFailed(const QString& message);  // failed: why is on the window
  // An event was opened: its first place, for the reader (MainWindow::openCitation).
  void openRequested(const folio::app::Evidence& place);
  // What to remember changed (words, the check box, the window moved or resized, closed): emitted as it
  // happens, so that it is remembered even when the main window closes with this one open.
  void stateChanged(const folio::ui::TimelineWindowState& state);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void done(int result) override;
  void moveEvent(QMoveEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  std::optional<app::TimelineOptions> validate();
  void finished();
  void showTimeline(std::shared_ptr<const app::Timeline> timeline);
  void showProgress(const app::SummaryProgress& p);
  void setRunning(bool running);
  void chooseExport();
  void leave();  // the run dropped, the state handed on: once, as the window closes

  std::filesystem::path library_;
  TimelineScope scope_;
  QString export_dir_;
  std::shared_ptr<const app::Timeline> current_;
  app::TimelineOptions running_options_, shown_options_;  // the filters of the run under way, of the table shown
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<ProgressRelay> relay_;
  std::function<void(int64_t, int64_t)> worker_observer_;
  QFutureWatcher<TimelineRun> watcher_;
  QElapsedTimer clock_;
  qint64 last_run_ms_ = 0;
  bool running_ = false;
  bool left_ = false;

  QLabel* scope_label_;
  QLineEdit* words_;
  QLineEdit* from_;
  QLineEdit* to_;
  QCheckBox* day_first_;
  QLabel* filters_status_;
  QPushButton* run_;
  QPushButton* stop_;
  QProgressBar* progress_;
  QLabel* progress_label_;
  QLabel* count_;
  QTableView* table_;
  TimelineModel* model_;
  QLabel* status_;
  QPushButton* export_;
};

}  // namespace folio::ui

Q_DECLARE_METATYPE(folio::ui::TimelineWindowState)
