// Library › Review documents… (Ctrl+Shift+R): the same questions asked of every document of a scope, in
// a window of its own — a questions editor (one a line, # comments; "Contract checklist" fills in the
// built-in list, Load… reads a file of them), "Only documents with a finding", Run and Stop, and the
// result as a grid of documents × questions (app/pipeline/review_table.h): each cell the clause that
// answers, or with a model loaded the model's answer read from it, "not found" where a document has
// none. A found cell opens its passage in the reader (double-click or Enter); Export writes the grid as
// Markdown, HTML, PDF or CSV. The review runs on a worker with a progress bar (cells done, the question
// asked); Stop ends it and shows the cells asked so far; closing the window drops the run.
#pragma once

#include <QDialog>
#include <QFutureWatcher>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "ui/document_scope.h"
#include "app/pipeline/evidence.h"
#include "app/pipeline/review_table.h"
#include "ui/metatypes.h"

class QCheckBox;
class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace folio::ui {

class ElidedLabel;
class ProgressRelay;
class ReviewTableModel;

// The documents reviewed: a collection, chosen documents, or (neither) the whole library.
using ReviewScope = DocumentScope;

// What answers the cells, asked for at each Run (a model may be loaded or unloaded meanwhile): the
// placed runtime (null: extractive) and its window and τ, or why the model cannot be used.
struct ReviewEngine {
  ModelRuntimePtr runtime;
  int64_t context_window = 0;
  double expert_threshold = 1.0;
  QString error;
};
using ReviewEngineSource = std::function<ReviewEngine()>;

// What the window remembers across runs (GuiSettings' review keys).
struct ReviewWindowState {
  QString questions;
  bool matching_only = false;
  QByteArray geometry;
};

// What a worker brings back: the table (whole, or stopped with the cells asked), or why there is none.
struct ReviewRun {
  std::shared_ptr<const app::ReviewTable> table;
  QString error;
};

class ReviewWindow : public QDialog {
  Q_OBJECT

 public:
  ReviewWindow(std::filesystem::path library, ReviewScope scope, ReviewEngineSource engine,
               const ReviewWindowState& state, const QString& export_dir, QWidget* parent = nullptr);
  ~ReviewWindow() override;

  bool busy() const { return running_; }
  // The table on screen; null before the first run ended (or when it failed).
  const app::ReviewTable* table() const;
  ReviewWindowState state() const;

  // Runs the questions of the editor (what Run does); false, saying why, when they do not parse.
  bool run();
  // Stops the run (what Stop does): the worker ends at its next check and the cells asked are shown.
  void stop();
  // Fills the editor with the contract checklist (what the button does).
  void useContractChecklist();
  // Reads a text file of questions into the editor; false, saying why, when it cannot be read.
  bool loadQuestions(const QString& path);
  // Writes the grid to `path`, its format from the suffix (.md, .html, .pdf, .csv); says on the window
  // what was written or why not. True when written.
  bool exportTo(const QString& path);
  // Opens the passage of the cell at `index` in the reader (what double-click and Enter do), or the
  // document of a path in the first column; false for a cell with none.
  bool openCell(const QModelIndex& index);

  QPlainTextEdit* questionsEdit() const { return questions_; }
  QLabel* questionsStatus() const { return questions_status_; }
  QCheckBox* matchingOnlyBox() const { return matching_only_; }
  QPushButton* runButton() const { return run_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* checklistButton() const { return checklist_; }
  QPushButton* exportButton() const { return export_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* progressLabel() const { return progress_label_; }
  QLabel* summary() const { return summary_; }
  ElidedLabel* foundLine() const { return found_; }
  QLabel* engineLabel() const { return engine_; }
  QLabel* status() const { return status_; }
  QTableView* grid() const { return grid_; }
  ReviewTableModel* model() const { return model_; }
  // Progress reports the worker made, and how many reached the window (the coalescing).
  int progressPosted() const;
  int progressShown() const;
  // Called on the worker with each progress report of the runs started after, once the window has it:
  // a test holds the worker there to act while a run is surely running.
  void setWorkerObserver(std::function<void(const app::SummaryProgress&)> observer) { worker_observer_ = std::move(observer); }

 Q_SIGNALS:
  void reviewShown();                         // a table (whole or stopped) is on screen
  void reviewFailed(const QString& message);  // no table: why is on the window
  // A found cell was opened: its passage, for the reader (MainWindow::openCitation).
  void openRequested(const folio::app::Evidence& passage);
  // A document's path was opened: the document, for the reader (MainWindow::openDocument).
  void documentOpenRequested(qint64 document_id);
  // What to remember changed (questions edited, the check box, the window moved or resized, closed):
  // emitted as it happens, so that it is remembered even when the main window closes with this one open.
  void stateChanged(const folio::ui::ReviewWindowState& state);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void done(int result) override;
  void moveEvent(QMoveEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  std::optional<std::vector<std::string>> validate();
  void finished();
  void showTable(std::shared_ptr<const app::ReviewTable> table);
  void showProgress(const app::SummaryProgress& p);
  void setRunning(bool running);
  void chooseLoad();
  void chooseExport();
  void leave();  // the run dropped, the state handed on: once, as the window closes

  std::filesystem::path library_;
  ReviewScope scope_;
  ReviewEngineSource engine_source_;
  QString export_dir_;
  std::shared_ptr<const app::ReviewTable> current_;
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<ProgressRelay> relay_;
  std::function<void(const app::SummaryProgress&)> worker_observer_;
  QFutureWatcher<ReviewRun> watcher_;
  bool running_ = false;
  bool left_ = false;

  QLabel* scope_label_;
  QPlainTextEdit* questions_;
  QLabel* questions_status_;
  QPushButton* checklist_;
  QPushButton* load_;
  QCheckBox* matching_only_;
  QPushButton* run_;
  QPushButton* stop_;
  QProgressBar* progress_;
  QLabel* progress_label_;
  QLabel* summary_;
  ElidedLabel* found_;  // one line whatever the questions (50 would wrap to a dozen); each column's tooltip says it too
  QLabel* engine_;
  QTableView* grid_;
  ReviewTableModel* model_;
  QLabel* status_;
  QPushButton* export_;
};

}  // namespace folio::ui

Q_DECLARE_METATYPE(folio::ui::ReviewWindowState)
