#include "ui/library_panel.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <set>

#include "app/compare/library_comparison.h"
#include "ui/library_model.h"
#include "ui/local_path.h"

namespace folio::ui {

QString describeProgress(const ingest::IngestProgress& p) {
  QString s = p.walking ? QObject::tr("%1 files (still looking) · ").arg(p.files_done)
                        : QObject::tr("%1/%2 files · ").arg(p.files_done).arg(p.files_total);
  s += QObject::tr("%1 pages · %2 files/s").arg(p.pages).arg(p.files_per_s, 0, 'f', 1);
  if (!p.walking && p.files_per_s > 0 && p.files_total >= p.files_done) {
    const double eta = static_cast<double>(p.files_total - p.files_done) / p.files_per_s;
    s += QObject::tr(" · ETA %1 s").arg(eta, 0, 'f', 0);
  }
  return s;
}

LibraryPanel::LibraryPanel(LibraryModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  setObjectName("libraryPanel");
  setAcceptDrops(true);
  view_ = new QTreeView;
  view_->setObjectName("libraryView");
  view_->setModel(model_);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setUniformRowHeights(true);
  // A narrow Name column keeps the end of a relative path, the file name, not "cod…ore" (ElideMiddle).
  view_->setTextElideMode(Qt::ElideLeft);
  view_->setAcceptDrops(false);
  auto fit_columns = [this] {
    view_->header()->setStretchLastSection(false);
    view_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->header()->setSectionResizeMode(LibraryModel::NameColumn, QHeaderView::Stretch);
  };
  fit_columns();
  connect(model_, &QAbstractItemModel::modelAboutToBeReset, view_, [this] { view_state_.save(*view_, *model_); });
  // The listing after an ingest or a removal, or a new filter, keeps the user's selection, current row,
  // collapsed collections and place (what is still shown).
  connect(model_, &QAbstractItemModel::modelReset, view_, [this, fit_columns] {
    fit_columns();
    view_state_.restore(*view_, *model_);
  });
  filter_ = new QLineEdit;
  filter_->setObjectName("libraryFilter");
  filter_->setPlaceholderText(tr("Filter by name (Ctrl+Shift+L)"));
  filter_->setClearButtonEnabled(true);
  filter_->setToolTip(tr("Shows only the documents whose path holds every word typed here."));
  // Typing refilters once it pauses: each pass resets the view over every document.
  filter_delay_ = new QTimer(this);
  filter_delay_->setSingleShot(true);
  filter_delay_->setInterval(kFilterDelayMs);
  connect(filter_, &QLineEdit::textChanged, filter_delay_, qOverload<>(&QTimer::start));
  connect(filter_delay_, &QTimer::timeout, this, [this] { model_->setFilter(filter_->text()); });
  collection_ = new QLineEdit("default");
  collection_->setObjectName("collectionEdit");
  collection_->setToolTip(tr("The collection new files go into (also a session for answers)."));
  add_files_ = new QPushButton(tr("Add files…"));
  add_files_->setObjectName("addFilesButton");
  add_folder_ = new QPushButton(tr("Add folder…"));
  add_folder_->setObjectName("addFolderButton");
  reindex_ = new QPushButton(tr("Re-index"));
  reindex_->setObjectName("reindexButton");
  remove_ = new QPushButton(tr("Remove"));
  remove_->setObjectName("removeButton");
  progress_ = new QProgressBar;
  progress_->setObjectName("ingestProgress");
  progress_->setVisible(false);
  status_ = new QLabel(tr("Drop files or folders here to add them."));
  status_->setObjectName("ingestStatus");
  status_->setWordWrap(true);
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setObjectName("cancelIngestButton");
  cancel_->setEnabled(false);

  auto* into = new QHBoxLayout;
  into->addWidget(new QLabel(tr("Collection:")));
  into->addWidget(collection_, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add_files_);
  buttons->addWidget(add_folder_);
  auto* manage = new QHBoxLayout;
  manage->addWidget(reindex_);
  manage->addWidget(remove_);
  auto* prog = new QHBoxLayout;
  prog->addWidget(progress_, 1);
  prog->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("<b>Library</b>")));
  layout->addWidget(filter_);
  layout->addWidget(view_, 1);
  layout->addLayout(into);
  layout->addLayout(buttons);
  layout->addLayout(manage);
  layout->addLayout(prog);
  layout->addWidget(status_);

  connect(add_files_, &QPushButton::clicked, this, &LibraryPanel::chooseFiles);
  connect(add_folder_, &QPushButton::clicked, this, &LibraryPanel::chooseFolder);
  connect(reindex_, &QPushButton::clicked, this, [this] { Q_EMIT reindexRequested(selectedDocumentIds()); });
  connect(remove_, &QPushButton::clicked, this, [this] { Q_EMIT removeRequested(selectedDocumentIds()); });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    cancel_->setEnabled(false);
    status_->setText(tr("Cancelling after the current batch…"));
    Q_EMIT cancelRequested();
  });
  compare_ = new QAction(tr("Compare &versions"), this);
  compare_->setObjectName("compareVersionsAction");
  compare_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  addAction(compare_);  // the shortcut works with the panel shown, menu or not
  connect(compare_, &QAction::triggered, this, &LibraryPanel::requestComparison);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LibraryPanel::updateCompareAction);
  connect(model_, &QAbstractItemModel::modelReset, this, &LibraryPanel::updateCompareAction);
  updateCompareAction();
  review_ = new QAction(tr("Revie&w documents…"), this);
  review_->setObjectName("reviewDocumentsAction");
  review_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
  review_->setToolTip(tr("Ask the same questions of every document: the selected ones, or the scope of the ask panel."));
  addAction(review_);
  connect(review_, &QAction::triggered, this, &LibraryPanel::reviewRequested);
  timeline_ = new QAction(tr("&Timeline…"), this);
  timeline_->setObjectName("timelineAction");
  timeline_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
  timeline_->setToolTip(tr("The dated events of the documents and e-mail in date order: the selected ones, or the scope of the ask panel."));
  addAction(timeline_);
  connect(timeline_, &QAction::triggered, this, &LibraryPanel::timelineRequested);
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    QMenu menu(this);
    menu.setToolTipsVisible(true);  // why Compare versions is disabled
    menu.addAction(compare_);
    menu.addAction(review_);
    menu.addAction(timeline_);
    menu.exec(view_->viewport()->mapToGlobal(at));
  });
  connect(view_, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const qint64 id = index.siblingAtColumn(0).data(LibraryModel::DocumentIdRole).toLongLong();
    if (id > 0) Q_EMIT documentActivated(id);
  });
}

QString LibraryPanel::collection() const {
  const QString c = collection_->text().trimmed();
  return c.isEmpty() ? QString("default") : c;
}

void LibraryPanel::setCollection(const QString& name) { collection_->setText(name); }

QList<qint64> LibraryPanel::selectedDocumentIds() const {
  LibraryViewState selected;
  selected.save(*view_, *model_);
  std::set<qint64> ids(selected.documents().begin(), selected.documents().end());
  // A selected collection stands for all its documents that are shown (the filter's, when one is set).
  for (const QString& name : selected.collections()) {
    const QModelIndex c = model_->indexOfCollection(name);
    for (int r = 0; r < model_->rowCount(c); ++r) ids.insert(model_->document(model_->index(r, 0, c))->id);
  }
  return {ids.begin(), ids.end()};
}

QList<qint64> LibraryPanel::someSelectedDocumentIds(int at_most) const {
  std::set<qint64> ids;
  auto add = [&](const QModelIndex& doc) {
    if (const ingest::DocumentRecord* d = model_->document(doc)) ids.insert(d->id);
    return static_cast<int>(ids.size()) > at_most;
  };
  for (const QItemSelectionRange& range : view_->selectionModel()->selection()) {
    for (int row = range.top(); row <= range.bottom(); ++row) {
      const QModelIndex index = model_->index(row, 0, range.parent());
      if (range.parent().isValid()) {
        if (add(index)) return {ids.begin(), ids.end()};
        continue;
      }
      for (int r = 0; r < model_->rowCount(index); ++r)  // a collection: its shown documents
        if (add(model_->index(r, 0, index))) return {ids.begin(), ids.end()};
    }
  }
  return {ids.begin(), ids.end()};
}

void LibraryPanel::updateCompareAction() {
  const bool two = someSelectedDocumentIds(2).size() == 2;
  compare_->setEnabled(two);
  compare_->setToolTip(two ? tr("What changed between the two selected documents; the one saved first is the old version.")
                           : tr("Select two documents (two versions of one document) to compare them."));
}

void LibraryPanel::requestComparison() {
  const QList<qint64> ids = someSelectedDocumentIds(2);
  if (ids.size() != 2) return;
  const ingest::DocumentRecord* a = model_->document(model_->indexOfDocument(ids[0]));
  const ingest::DocumentRecord* b = model_->document(model_->indexOfDocument(ids[1]));
  if (!a || !b) return;
  if (app::isOlderVersion(*b, *a)) std::swap(a, b);
  Q_EMIT compareRequested(a->id, b->id);
}

void LibraryPanel::focusFilter() {
  filter_->setFocus(Qt::ShortcutFocusReason);
  filter_->selectAll();
}

void LibraryPanel::setFilter(const QString& text) {
  filter_->setText(text);
  filter_delay_->stop();
  model_->setFilter(text);
}

void LibraryPanel::showStarted() {
  progress_->setVisible(true);
  progress_->setRange(0, 0);  // busy until the walk reports totals
  status_->setText(tr("Ingesting…"));
}

void LibraryPanel::showProgress(const ingest::IngestProgress& p) {
  if (p.walking || p.files_total == 0) {
    progress_->setRange(0, 0);
  } else {
    progress_->setRange(0, static_cast<int>(p.files_total));
    progress_->setValue(static_cast<int>(p.files_done));
  }
  status_->setText(describeProgress(p) + (p.current.empty() ? QString() : "\n" + QString::fromStdString(p.current)));
}

void LibraryPanel::showFinished(const ingest::IngestReport& r) {
  progress_->setVisible(false);
  QString s = tr("%1: %2 added, %3 updated, %4 unchanged, %5 removed, %6 skipped, %7 failed · %8 pages in %9 s")
                  .arg(r.cancelled ? tr("Cancelled") : tr("Done"))
                  .arg(r.added)
                  .arg(r.updated)
                  .arg(r.unchanged)
                  .arg(r.removed)
                  .arg(r.skipped)
                  .arg(r.failed)
                  .arg(r.pages)
                  .arg(r.elapsed_s, 0, 'f', 1);
  if (r.rechunked > 0) s += tr(" · %1 re-chunked (chunker or reader updated)").arg(r.rechunked);
  if (r.ocr_pages > 0) s += tr(" · %1 scanned pages read by OCR").arg(r.ocr_pages);
  if (r.ocr_reused > 0) s += tr(" · %1 scanned pages' earlier OCR text reused").arg(r.ocr_reused);
  if (!r.ocr_problems.empty()) {
    s += tr(" · %1: scanned pages not read (%2)")
             .arg(QFileInfo(QString::fromStdString(r.ocr_problems.front().path)).fileName(),  // the status line is short
                  QString::fromStdString(r.ocr_problems.front().reason));
  }
  status_->setText(s);
}

void LibraryPanel::showError(const QString& message) {
  progress_->setVisible(false);
  status_->setText(tr("Error: %1").arg(message));
}

void LibraryPanel::showRemoving(qint64 done, qint64 total) {
  progress_->setVisible(true);
  progress_->setRange(0, static_cast<int>(total));
  progress_->setValue(static_cast<int>(done));
  status_->setText(done < total ? tr("Removing documents: %L1 / %L2…").arg(done).arg(total)
                                : tr("Removed %Ln document(s).", nullptr, static_cast<int>(total)));
}

void LibraryPanel::showRemoveFinished(qint64 removed, qint64 total) {
  progress_->setVisible(false);
  status_->setText(removed < total
                       ? tr("Removal stopped: %L1 of %L2 documents removed.").arg(removed).arg(total)
                       : tr("Removed %Ln document(s).", nullptr, static_cast<int>(total)));
}

void LibraryPanel::setWriting(bool writing) {
  cancel_->setEnabled(writing);
  for (QPushButton* b : {add_files_, add_folder_, reindex_, remove_}) b->setEnabled(!writing);
  setAcceptDrops(!writing);
}

void LibraryPanel::chooseFiles() {
  // URLs, not names: a platform (portal) dialog's URL keeps the bytes of a name that is not UTF-8.
  std::vector<std::filesystem::path> files;
  for (const QUrl& url : QFileDialog::getOpenFileUrls(this, tr("Add files to the library")))
    if (url.isLocalFile()) files.push_back(localPath(url));
  if (!files.empty()) Q_EMIT addRequested(files, collection());
}

void LibraryPanel::chooseFolder() {
  const QUrl dir = QFileDialog::getExistingDirectoryUrl(this, tr("Add a folder to the library"));
  if (dir.isLocalFile()) Q_EMIT addRequested({localPath(dir)}, collection());
}

void LibraryPanel::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void LibraryPanel::dropEvent(QDropEvent* event) {
  std::vector<std::filesystem::path> paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths.push_back(localPath(url));  // not toLocalFile(): it loses non-UTF-8 bytes
  if (paths.empty()) return;
  event->acceptProposedAction();
  Q_EMIT addRequested(paths, collection());
}

}  // namespace folio::ui
