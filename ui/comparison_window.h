// Two versions of a document compared, in a window of its own (Library › Compare versions): a header
// naming the old and the new version with the summary line, Swap (old ↔ new), the differences as the
// redline the export writes (deletions struck through in red, insertions underlined in blue), each
// difference a link that opens its place in the reader (the new version's chunk; a removed clause's in
// the old version, and "as it was" beside a change opens the old one), and Export to Markdown, HTML or
// PDF. Both documents are read from the library and compared on a worker thread
// (app/compare/library_comparison.h) while a bar runs (busy while they are read, then how far the
// alignment has come); Stop, or closing the window, stops it (inside the comparison too) and drops what
// it brings back. What fails is said in the window, naming the document and why.
#pragma once

#include <QDialog>
#include <QFutureWatcher>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "app/compare/library_comparison.h"
#include "app/pipeline/evidence.h"
#include "app/report/report.h"
#include "ingest/library/library.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTextDocument;
class QUrl;

namespace folio::ui {

// The window's redline as a QTextDocument, parsed on the worker (the HTML of 7,000 differences takes
// 0.8 s to parse) and handed to the GUI thread; deleted there (deleteLater) unless a view took it.
class ParsedRedline {
 public:
  explicit ParsedRedline(QTextDocument* document) : document_(document) {}
  ~ParsedRedline();
  ParsedRedline(const ParsedRedline&) = delete;
  ParsedRedline& operator=(const ParsedRedline&) = delete;
  QTextDocument* take();  // GUI thread: the document, now the caller's

 private:
  QTextDocument* document_;
};

// What a worker brings back: the comparison ready to show, or why there is none.
struct ComparisonRun {
  std::shared_ptr<const app::LibraryComparison> result;
  app::Report report;                      // what Export writes
  std::vector<app::ListedChange> listed;   // into result's changes, in the redline's order
  std::shared_ptr<ParsedRedline> redline;  // comparisonHtml(report, listed)
  QString error;  // "" when compared
  bool cancelled = false;
};

class ComparisonWindow : public QDialog {
  Q_OBJECT

 public:
  // Compares the library's documents `old_doc` and `new_doc` (the records as listed; read again by id on
  // the worker) at once. export_dir: where Export… proposes to write.
  ComparisonWindow(std::filesystem::path library, ingest::DocumentRecord old_doc, ingest::DocumentRecord new_doc,
                   const QString& export_dir, QWidget* parent = nullptr);
  ~ComparisonWindow() override;

  bool busy() const { return running_; }
  // The comparison on screen; null before the first one came (or when it failed).
  const app::LibraryComparison* comparison() const { return current_.get(); }
  // Compares the two the other way round (the new version as the old); nothing while busy.
  void swap();
  // Writes the redline to `path`, its format from the suffix (.md, .html, .pdf); says on the window what
  // was written or why not. True when written.
  bool exportTo(const QString& path);
  // Shows the k-th difference listed (0-based, a moved passage's own edits counted after it) in the
  // reader, at its line where that is known: what clicking it does. old_side: the old version's chunk
  // even where the new one has the change.
  void openChange(int k, bool old_side = false);

  QTextBrowser* view() const { return view_; }
  QLabel* header() const { return header_; }
  QLabel* summary() const { return summary_; }
  QLabel* status() const { return status_; }
  QProgressBar* busyBar() const { return busy_; }
  QPushButton* swapButton() const { return swap_; }
  QPushButton* stopButton() const { return stop_; }
  // Stops the comparison running (what Stop does): the worker ends at its next check, nothing of it is shown.
  void stop();
  QPushButton* exportButton() const { return export_; }

 Q_SIGNALS:
  // A comparison (or its swap) is on screen.
  void comparisonShown();
  // No comparison: the message (which document, and why) is on the window.
  void comparisonFailed(const QString& message);
  // A difference was clicked: the chunk that shows it, for the reader (MainWindow::openCitation).
  void openRequested(const folio::app::Evidence& chunk);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  // Runs `job` on a worker with a flag of its own, which stop() and closing the window raise, and a
  // progress callback the busy bar shows (the comparison's: app::CompareProgressFn).
  using Job = std::function<ComparisonRun(const std::atomic<bool>& cancel, const app::CompareProgressFn& progress)>;
  void start(Job job);
  void finished();
  void showComparison(ComparisonRun run);
  void setRunning(bool running);
  void updateHeader();
  void linkClicked(const QUrl& url);
  void chooseExport();

  std::filesystem::path library_;
  ingest::DocumentRecord old_record_, new_record_;
  QString export_dir_;
  std::shared_ptr<const app::LibraryComparison> current_;
  app::Report report_;  // of current_: what Export writes
  std::vector<app::ListedChange> listed_;  // of current_, in the redline's order
  QTextDocument* redline_ = nullptr;       // of current_, on view_ (a child of the window)
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
  QFutureWatcher<ComparisonRun> watcher_;
  bool running_ = false;

  QLabel* header_;
  QLabel* summary_;
  QPushButton* swap_;
  QPushButton* stop_;
  QProgressBar* busy_;
  QLabel* status_;
  QTextBrowser* view_;
  QPushButton* export_;
};

// The window's redline: renderHtml of the report with each difference's place a link,
// "folio-diff:new/<k>" (or old/<k> for what only the old version holds) and an "as it was" link to the
// old version beside a change that has one.
QString comparisonHtml(const app::Report& report, const std::vector<app::ListedChange>& listed);

}  // namespace folio::ui
