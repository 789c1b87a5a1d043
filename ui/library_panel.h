// The library panel: collections and documents (LibraryModel in a tree view), Add files / Add folder
// (dialogs, or drop files and folders on the panel) into the collection named in the box, ingest
// and removal progress (files, pages, rate, ETA) with Cancel, Re-index and Remove, and Compare versions
// (context menu, Ctrl+Shift+C) for two selected documents. It runs nothing itself: the requests go to the
// LibraryService and its progress comes back through showProgress/showFinished.
#pragma once

#include <QWidget>
#include <filesystem>
#include <vector>

#include "ui/library_view_state.h"
#include "ui/metatypes.h"

class QAction;
class QLabel;
class QLineEdit;
class QTimer;
class QProgressBar;
class QPushButton;
class QTreeView;

namespace folio::ui {

class LibraryModel;

class LibraryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit LibraryPanel(LibraryModel* model, QWidget* parent = nullptr);

  QString collection() const;
  void setCollection(const QString& name);
  QList<qint64> selectedDocumentIds() const;
  // Sets the filter box and applies it at once (typing applies it kFilterDelayMs after the last key).
  void setFilter(const QString& text);
  QLineEdit* filterEdit() const { return filter_; }
  void focusFilter();  // with its text selected for typing over
  static constexpr int kFilterDelayMs = 150;

  void showStarted();
  void showProgress(const ingest::IngestProgress& p);
  void showFinished(const ingest::IngestReport& r);
  void showError(const QString& message);
  void showRemoving(qint64 done, qint64 total);
  void showRemoveFinished(qint64 removed, qint64 total);
  // While a library write job runs, Cancel stops it and nothing that would start another is offered.
  void setWriting(bool writing);

  void chooseFiles();
  void chooseFolder();

  QTreeView* view() const { return view_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* statusLabel() const { return status_; }
  QPushButton* cancelButton() const { return cancel_; }
  // Compare versions: enabled while exactly two documents are selected (a selected collection stands
  // for its shown documents); triggered, it asks for the older of the two as the old version
  // (app::isOlderVersion: the file saved first). Also what the Library menu lists.
  QAction* compareAction() const { return compare_; }
  // Review documents… (Ctrl+Shift+R): asks MainWindow for the review window over the selection (two or
  // more documents) or the ask panel's scope. Also what the Library menu lists.
  QAction* reviewAction() const { return review_; }
  // Timeline… (Ctrl+Shift+T): asks MainWindow for the timeline window over the same scope as Review.
  QAction* timelineAction() const { return timeline_; }
  // The selected documents' ids, as selectedDocumentIds(), but no more than `at_most` + 1 of them
  // (linear in those, not in the selection).
  QList<qint64> someSelectedDocumentIds(int at_most) const;

 Q_SIGNALS:
  // paths: byte for byte as the dialog or drop gave them (need not be UTF-8; see local_path.h).
  void addRequested(const std::vector<std::filesystem::path>& paths, const QString& collection);
  void reindexRequested(const QList<qint64>& ids);
  void removeRequested(const QList<qint64>& ids);
  void cancelRequested();
  void documentActivated(qint64 id);
  void compareRequested(qint64 old_id, qint64 new_id);
  void reviewRequested();
  void timelineRequested();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void updateCompareAction();
  void requestComparison();

  LibraryModel* model_;
  QTreeView* view_;
  QLineEdit* collection_;
  QProgressBar* progress_;
  QLabel* status_;
  QPushButton* cancel_;
  QPushButton* add_files_;
  QPushButton* add_folder_;
  QPushButton* reindex_;
  QPushButton* remove_;
  QAction* compare_;
  QAction* review_;
  QAction* timeline_;
  QLineEdit* filter_;
  QTimer* filter_delay_;
  LibraryViewState view_state_;  // saved when the model is about to reset, restored after
};

// "12/40 files · 85 pages · 3.1 files/s · ETA 9 s" for a progress report.
QString describeProgress(const ingest::IngestProgress& p);

}  // namespace folio::ui
