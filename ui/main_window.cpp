#include "ui/main_window.h"

#include <cstdlib>
#include <string_view>

#include <QApplication>
#include <QCloseEvent>
#include <QDataStream>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QStatusBar>
#include <QTreeView>

#include "app/library_path.h"
#include "ingest/extract.h"
#include "ui/ask_panel.h"
#include "ui/ask_service.h"
#include "ui/budget_gauges.h"
#include "ui/comparison_window.h"
#include "ui/export_dialog.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/library_service.h"
#include "ui/local_path.h"
#include "ui/model_dialog.h"
#include "ui/model_service.h"
#include "ui/reader_panel.h"
#include "ui/review_window.h"
#include "ui/timeline_window.h"
#include "ui/routing_panel.h"
#include "ui/scan_languages_dialog.h"
#include "ui/search_panel.h"
#include "ui/search_service.h"
#include "ui/summary_service.h"
#include "ui/summary_window.h"

namespace folio::ui {
namespace {

ReaderLocation readerLocation(const ingest::DocumentRecord& d) {
  ReaderLocation where;
  where.file = d.path;  // the stored bytes: a name that is not UTF-8 would not survive a QString
  where.path = displayPath(where.file);
  where.kind = QString::fromStdString(d.kind);
  where.language = QString::fromStdString(d.language);
  if (d.status != ingest::DocumentStatus::Ok) where.unavailable = statusWithReason(d);
  where.document_id = d.id;
  // The walker's reason, "too large: 3145728 bytes > 2097152", holds the size.
  // Nothing is offered past what extraction reads at all (ExtractOptions::max_file_bytes, 1 GiB).
  if (constexpr std::string_view kTooLarge = "too large: ";
      d.status == ingest::DocumentStatus::Skipped && d.error.starts_with(kTooLarge)) {
    const long long bytes = std::atoll(d.error.c_str() + kTooLarge.size());
    if (bytes > 0 && static_cast<uint64_t>(bytes) <= ingest::ExtractOptions{}.max_file_bytes) where.too_large_bytes = bytes;
  }
  return where;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : MainWindow(MainWindowOptions{}, parent) {}

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent) : QMainWindow(parent), options_(options) {
  setWindowTitle("Folio");
  setObjectName("FolioMainWindow");
  resize(1400, 860);
  if (options_.remember) {
    QSettings s;
    settings_ = GuiSettings::load(s);
  }
  QString library_error;
  if (!options_.library.empty()) {
    library_path_ = options_.library;
  } else if (auto p = app::resolveLibraryPath("")) {
    library_path_ = *p;
  } else {
    library_error = QString::fromStdString(p.error().message);
  }
  library_ = new LibraryService(library_path_, this);
  ask_ = new AskService(library_path_, this);
  models_ = new ModelService(this);
  search_ = new SearchService(library_path_, this);
  summaries_ = new SummaryService(library_path_, this);
  build();
  buildMenus();
  wire();
  if (!settings_.geometry.isEmpty()) restoreGeometry(settings_.geometry);
  restoreSplitterState(settings_.state);
  if (!library_error.isEmpty()) {
    library_panel_->showError(library_error);
  } else {
    library_->reload();
    ask_->loadHistory();
  }
  if (!settings_.model_dir.isEmpty()) loadModel(settings_.model_dir);
}

MainWindow::~MainWindow() {
  // Join the workers before the widgets they report to go away.
  library_->shutdown();
  ask_->shutdown();
  models_->shutdown();
  search_->shutdown();
  summaries_->shutdown();
}

QTreeView* MainWindow::libraryView() const { return library_panel_->view(); }

void MainWindow::build() {
  model_ = new LibraryModel(this);
  library_panel_ = new LibraryPanel(model_);
  library_panel_->setCollection(settings_.collection);
  search_panel_ = new SearchPanel;
  reader_ = new ReaderPanel;
  ask_panel_ = new AskPanel;
  routing_ = new RoutingPanel;
  budgets_ = new BudgetGauges;

  // The routing and budget panels scroll vertically when the window is short: their minimum heights
  // added to the ask panel's held the window at 904 px, taller than a 768 px screen. Their minimum
  // widths still hold.
  auto scrolling = [](QWidget* panel) {
    auto* area = new QScrollArea;
    area->setObjectName(panel->objectName() + "Scroll");
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    area->setMinimumWidth(panel->minimumSizeHint().width() + area->verticalScrollBar()->sizeHint().width());
    return area;
  };
  auto* right = answer_splitter_ = new QSplitter(Qt::Vertical);
  right->setObjectName("answerSplitter");
  right->addWidget(ask_panel_);
  right->addWidget(scrolling(routing_));
  right->addWidget(scrolling(budgets_));
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 2);
  right->setStretchFactor(2, 1);
  // The answer gets most of the height and the three budget gauges show whole (the per-stage table
  // below them scrolls); left to the size hints, the answer box was 180 px of an 860 px window and the
  // gauges were cut off behind a scroll bar.
  right->setSizes({600, 170, 140});

  auto* splitter = main_splitter_ = new QSplitter;
  splitter->setObjectName("mainSplitter");
  left_tabs_ = new QTabWidget;
  left_tabs_->setObjectName("leftTabs");
  left_tabs_->addTab(library_panel_, tr("Library"));
  left_tabs_->addTab(search_panel_, tr("Search"));
  splitter->addWidget(left_tabs_);
  splitter->addWidget(reader_);
  splitter->addWidget(right);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 4);
  splitter->setStretchFactor(2, 3);
  splitter->setSizes({380, 560, 460});
  setCentralWidget(splitter);

  library_label_ = new QLabel(tr("Library: %1").arg(QString::fromStdString(library_path_.string())));
  library_label_->setObjectName("libraryLabel");
  statusBar()->addWidget(library_label_, 1);
  mode_label_ = new QLabel;
  mode_label_->setObjectName("modeLabel");
  statusBar()->addPermanentWidget(mode_label_);
  updateModeLabel();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* add_files = file->addAction(tr("Add &files…"), library_panel_, &LibraryPanel::chooseFiles);
  add_files->setShortcut(QKeySequence::Open);
  QAction* add_folder = file->addAction(tr("Add f&older…"), library_panel_, &LibraryPanel::chooseFolder);
  add_folder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  QAction* exp = file->addAction(tr("&Export report…"), this, &MainWindow::openExportDialog);
  exp->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* find = edit->addAction(tr("&Find in document…"), reader_, &ReaderPanel::showFind);
  find->setShortcut(QKeySequence::Find);
  find->setObjectName("findAction");
  QAction* find_next = edit->addAction(tr("Find &next"), reader_, [this] { reader_->findNext(false); });
  find_next->setShortcut(QKeySequence::FindNext);
  QAction* find_previous = edit->addAction(tr("Find &previous"), reader_, [this] { reader_->findNext(true); });
  find_previous->setShortcut(QKeySequence::FindPrevious);

  QMenu* lib = menuBar()->addMenu(tr("&Library"));
  QAction* reindex = lib->addAction(tr("&Re-index selected"), this,
                                    [this] { library_->reindex(library_panel_->selectedDocumentIds()); });
  reindex->setShortcut(QKeySequence::Refresh);
  QAction* remove = lib->addAction(tr("Re&move selected"), this,
                                   [this] { library_->remove(library_panel_->selectedDocumentIds()); });
  remove->setShortcut(QKeySequence::Delete);
  lib->addAction(tr("&Cancel ingest or removal"), this, [this] { library_->cancel(); });
  lib->addSeparator();
  QAction* search = lib->addAction(tr("&Search the library…"), this, &MainWindow::showSearch);
  search->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
  search->setObjectName("searchAction");
  QAction* filter = lib->addAction(tr("&Filter the library"), this, &MainWindow::showLibraryFilter);
  filter->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));  // Ctrl+L is the question box
  filter->setObjectName("filterAction");
  QAction* summarize = lib->addAction(tr("Su&mmarize document"), this, &MainWindow::summarizeSelected);
  summarize->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  summarize->setObjectName("summarizeAction");
  QAction* summarize_collection = lib->addAction(tr("Summarize &collection"), this, &MainWindow::summarizeCollection);
  summarize_collection->setObjectName("summarizeCollectionAction");
  lib->addAction(library_panel_->compareAction());
  lib->addAction(library_panel_->reviewAction());
  lib->addAction(library_panel_->timelineAction());
  lib->setToolTipsVisible(true);  // why Compare versions is disabled
  connect(summaries_, &SummaryService::busyChanged, summarize_collection, &QAction::setDisabled);
  lib->addSeparator();
  QAction* scan_languages = lib->addAction(tr("Scan &languages…"), this, [this] {
    library_->loadScanLanguages(library_panel_->collection());
  });
  scan_languages->setObjectName("scanLanguagesAction");
  QAction* stop_summary = lib->addAction(tr("Stop summari&zing"), summaries_, &SummaryService::stop);
  stop_summary->setEnabled(false);
  connect(summaries_, &SummaryService::busyChanged, summarize, &QAction::setDisabled);
  connect(summaries_, &SummaryService::busyChanged, stop_summary, &QAction::setEnabled);
  // One library write job at a time: what would start another waits until it ends.
  add_files->setObjectName("addFilesAction");
  add_folder->setObjectName("addFolderAction");
  reindex->setObjectName("reindexAction");
  remove->setObjectName("removeAction");
  for (QAction* a : {add_files, add_folder, reindex, remove, scan_languages})
    connect(library_, &LibraryService::writingChanged, a, &QAction::setDisabled);

  QMenu* model = menuBar()->addMenu(tr("&Model"));
  QAction* choose = model->addAction(tr("&Choose model…"), this, &MainWindow::openModelDialog);
  choose->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  model->addAction(tr("&Unload (extractive mode)"), this, &MainWindow::unloadModel);

  QMenu* askm = menuBar()->addMenu(tr("&Ask"));
  QAction* focus = askm->addAction(tr("&Question"), this, [this] { ask_panel_->questionEdit()->setFocus(); });
  focus->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  askm->addAction(tr("&Stop"), this, [this] { ask_->stop(); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Folio"), this, &MainWindow::showAbout);
}

void MainWindow::wire() {
  // Library worker → widgets.
  connect(library_, &LibraryService::documentsLoaded, this, [this](const DocumentListPtr& docs) {
    model_->setDocuments(docs);
    ask_panel_->setCollections(model_->collections());
    search_panel_->setCollections(model_->collections());
    // The remembered scope can be chosen once its collection is listed, on the first listing.
    if (!scope_restored_) ask_panel_->setScope(settings_.scope);
    scope_restored_ = true;
  });
  connect(library_, &LibraryService::libraryUpgrading, this, [this](qint64 done, qint64 total) {
    if (total < 0) {
      return statusBar()->showMessage(tr("Waiting for another Folio process that is writing to the library…"));
    }
    if (done >= total) return statusBar()->showMessage(tr("Library index upgraded"), 4000);
    statusBar()->showMessage(tr("Upgrading the library index: %L1 / %L2 chunks").arg(done).arg(total));
  });
  connect(reader_, &ReaderPanel::readLargerFileRequested, this, [this](qint64 id, qint64 max_bytes) {
    if (library_->writing())
      return statusBar()->showMessage(tr("The library is busy; try again when it is done."), 6000);
    library_->reindex({id}, static_cast<uint64_t>(max_bytes));
  });
  connect(library_, &LibraryService::scanLanguagesLoaded, this, &MainWindow::openScanLanguages);
  connect(library_, &LibraryService::ingestStarted, library_panel_, &LibraryPanel::showStarted);
  connect(library_, &LibraryService::ingestProgress, library_panel_, &LibraryPanel::showProgress);
  connect(library_, &LibraryService::ingestFinished, library_panel_, &LibraryPanel::showFinished);
  connect(library_, &LibraryService::failed, library_panel_, &LibraryPanel::showError);
  connect(library_, &LibraryService::removeProgress, library_panel_, &LibraryPanel::showRemoving);
  connect(library_, &LibraryService::removeFinished, library_panel_, &LibraryPanel::showRemoveFinished);
  connect(library_, &LibraryService::writingChanged, library_panel_, &LibraryPanel::setWriting);
  // Widgets → library worker.
  connect(library_panel_, &LibraryPanel::addRequested, this,
          qOverload<const std::vector<std::filesystem::path>&, const QString&>(&MainWindow::addPaths));
  connect(library_panel_, &LibraryPanel::reindexRequested, library_,
          [this](const QList<qint64>& ids) { library_->reindex(ids); });
  connect(library_panel_, &LibraryPanel::removeRequested, library_, &LibraryService::remove);
  connect(library_panel_, &LibraryPanel::cancelRequested, library_, &LibraryService::cancel);
  connect(library_panel_, &LibraryPanel::documentActivated, this, &MainWindow::openDocument);
  connect(library_panel_, &LibraryPanel::compareRequested, this, &MainWindow::compareVersions);
  connect(library_panel_, &LibraryPanel::reviewRequested, this, &MainWindow::reviewDocuments);
  connect(library_panel_, &LibraryPanel::timelineRequested, this, &MainWindow::showTimeline);

  // Search panel ↔ search worker; a passage found opens in the reader like a citation.
  connect(search_panel_, &SearchPanel::searchRequested, this, [this](const QString& query, const QString& collection) {
    search_panel_->expect(search_->search(query, collection));
  });
  connect(search_, &SearchService::resultsReady, search_panel_, &SearchPanel::showResults);
  connect(search_, &SearchService::failed, search_panel_, &SearchPanel::showError);
  connect(search_panel_, &SearchPanel::hitActivated, this, [this](const LibraryHit& h) {
    app::Evidence e;
    e.kind = "chunk";
    e.document_id = h.hit.document_id;
    e.chunk_id = h.hit.chunk_id;
    e.path = h.hit.rel_path;
    e.heading = h.hit.heading;
    e.page_first = h.hit.page_first;
    e.page_last = h.hit.page_last;
    e.line_first = h.hit.line_first;
    e.line_last = h.hit.line_last;
    e.text = h.text.toStdString();
    openCitation(e);
  });

  // Summaries: progress in the status bar, the summary in a window of its own.
  connect(summaries_, &SummaryService::progress, this, [this](const QString& m) { statusBar()->showMessage(m); });
  connect(summaries_, &SummaryService::failed, this, [this](const QString& m) {
    statusBar()->showMessage(tr("Summary not made: %1").arg(m), 10000);
  });
  connect(summaries_, &SummaryService::summarized, this, [this](qint64, const app::Report& report) {
    statusBar()->clearMessage();
    auto* window = new SummaryWindow(report, settings_.export_dir, this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
  });

  // Ask panel ↔ ask worker.
  connect(ask_panel_, &AskPanel::askRequested, this, &MainWindow::ask);
  connect(ask_panel_, &AskPanel::stopRequested, ask_, &AskService::stop);
  connect(ask_, &AskService::progress, ask_panel_, &AskPanel::setProgress);
  connect(ask_, &AskService::askFailed, ask_panel_, &AskPanel::showError);
  connect(ask_, &AskService::answerStreamed, ask_panel_, &AskPanel::appendStreamed);
  connect(ask_, &AskService::answerProgressed, budgets_, &BudgetGauges::setProgress);
  connect(ask_, &AskService::answered, this, [this](const app::AnswerRecord& a) {
    ask_panel_->addToHistory(a);
    ask_panel_->showAnswer(a);
  });
  connect(ask_, &AskService::historyLoaded, ask_panel_, &AskPanel::setHistory);
  connect(ask_panel_, &AskPanel::answerShown, this, [this](const app::AnswerRecord& a) {
    routing_->setRouting(a.usage.routingTotal(), a.answer_tokens);
    budgets_->setUsage(a.plan, a.usage);
  });
  connect(ask_panel_, &AskPanel::tokenSelected, routing_, &RoutingPanel::showToken);
  connect(ask_panel_, &AskPanel::citationActivated, this, &MainWindow::openCitation);
  connect(ask_, &AskService::exported, this, [this](const QStringList& files) {
    statusBar()->showMessage(tr("Exported %1").arg(files.join(", ")), 8000);
    Q_EMIT exportFinished(files);
  });
  connect(ask_, &AskService::exportFailed, this, [this](const QString& m) {
    statusBar()->showMessage(tr("Export failed: %1").arg(m), 8000);
    Q_EMIT exportError(m);
  });

  // Model worker.
  connect(models_, &ModelService::loaded, this, [this](const QString& dir, const ModelRuntimePtr& rt) {
    if (dir != model_dir_loading_) return;
    runtime_ = rt;
    model_dir_loading_.clear();
    settings_.model_dir = dir;
    updateModeLabel();
    Q_EMIT modelChanged(QString::fromStdString(rt->name));
  });
  connect(models_, &ModelService::loadFailed, this, [this](const QString& dir, const QString& m) {
    if (dir != model_dir_loading_) return;
    model_dir_loading_.clear();
    updateModeLabel();
    statusBar()->showMessage(tr("Could not load the model: %1").arg(m), 10000);
    Q_EMIT modelChanged({});
  });
}

void MainWindow::updateModeLabel() {
  if (!model_dir_loading_.isEmpty()) {
    mode_label_->setText(tr("Loading model %1…").arg(QFileInfo(model_dir_loading_).fileName()));
  } else if (runtime_) {
    mode_label_->setText(tr("Model: %1 · τ = %2").arg(QString::fromStdString(runtime_->name)).arg(settings_.expert_threshold));
    mode_label_->setToolTip(QString::fromStdString(runtime_->identity));
  } else {
    mode_label_->setText(tr("Extractive mode: no model loaded"));
    mode_label_->setToolTip(tr("Answers quote the best-matching passages. Choose a model with Model › Choose model…"));
  }
  if (ask_panel_)
    ask_panel_->setModelName(runtime_ ? QString::fromStdString(runtime_->name) : QString());
}

void MainWindow::addPaths(const QStringList& paths, const QString& collection) {
  std::vector<std::filesystem::path> files;
  for (const QString& p : paths) files.push_back(localPath(p));
  addPaths(files, collection);
}

void MainWindow::addPaths(const std::vector<std::filesystem::path>& paths, const QString& collection) {
  if (library_->writing())
    return statusBar()->showMessage(tr("The library is busy; add the files again when it is done."), 6000);
  const QString c = collection.isEmpty() ? library_panel_->collection() : collection;
  settings_.collection = c;
  library_panel_->setCollection(c);
  library_->ingest(paths, c);
}

void MainWindow::ask(const QString& question, const QString& collection) {
  app::AskOptions o;
  o.question = question.toStdString();
  if (!collection.isEmpty()) o.collection = collection.toStdString();
  o.thinking_budget = settings_.thinking_budget;
  o.answer_budget = settings_.answer_budget;
  o.context_window = settings_.context_window;
  o.max_documents = settings_.max_documents;
  o.each_document = ask_panel_->eachDocument();
  o.expert_threshold = settings_.expert_threshold;
  settings_.scope = collection;
  routing_->setRouting({});
  budgets_->clear();
  ModelRuntimePtr rt = runtime_;
  if (rt) {
    auto placed = placeRuntime(rt, settings_);
    if (!placed) {
      ask_panel_->showError(QString::fromStdString(placed.error().message));
      return;
    }
    rt = std::move(*placed);
  }
  ask_->ask(o, rt);
}

void MainWindow::openModelDialog() {
  if (!model_dialog_) {
    model_dialog_ = new ModelDialog(models_, settings_, this);
    connect(model_dialog_, &ModelDialog::loadRequested, this, [this](const QString& dir) {
      model_dialog_->apply(settings_);
      loadModel(dir);
    });
    connect(model_dialog_, &ModelDialog::unloadRequested, this, &MainWindow::unloadModel);
    connect(model_dialog_, &QDialog::finished, this, [this] {
      model_dialog_->apply(settings_);
      updateModeLabel();
    });
  }
  model_dialog_->show();
  model_dialog_->raise();
}

void MainWindow::loadModel(const QString& dir) {
  model_dir_loading_ = dir;
  updateModeLabel();
  models_->load(dir);
}

void MainWindow::unloadModel() {
  runtime_.reset();
  model_dir_loading_.clear();
  settings_.model_dir.clear();
  updateModeLabel();
  Q_EMIT modelChanged({});
}

void MainWindow::openExportDialog() {
  const app::AnswerRecord* a = ask_panel_->currentAnswer();
  const QString session = a && !a->collection.empty() ? QString::fromStdString(a->collection) : ask_panel_->scope();
  auto* dialog = new ExportDialog(a ? a->id : 0, session, settings_.export_format, settings_.export_dir, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, session, id = a ? a->id : 0] {
    settings_.export_format = dialog->formatName();
    settings_.export_dir = QFileInfo(dialog->path()).absolutePath();
    ask_->exportReport(dialog->exportSession() ? 0 : id, session, dialog->format(), dialog->path());
  });
  dialog->open();
}

void MainWindow::openDocument(qint64 id) {
  const ingest::DocumentRecord* d = model_->document(model_->indexOfDocument(id));
  if (!d) return;
  ReaderLocation where = readerLocation(*d);
  if (d->kind == "pdf" || d->kind == "image") where.page = 1;  // text and code have no pages
  reader_->open(where);
}

void MainWindow::openCitation(const app::Evidence& source) {
  const ingest::DocumentRecord* d = model_->document(model_->indexOfDocument(source.document_id));
  if (!d) {
    statusBar()->showMessage(tr("The cited document is no longer in the library."), 6000);
    return;
  }
  ReaderLocation where = readerLocation(*d);
  where.page = source.page_first;
  where.line_first = source.line_first;
  where.line_last = source.line_last;
  where.text = source.kind == "chunk" ? QString::fromStdString(source.text) : QString();
  reader_->open(where);
}

void MainWindow::summarizeSelected() {
  const QList<qint64> ids = library_panel_->selectedDocumentIds();
  if (ids.isEmpty()) return statusBar()->showMessage(tr("Select a document in the library to summarize it."), 6000);
  ModelRuntimePtr rt = runtime_;
  if (rt) {
    auto placed = placeRuntime(rt, settings_);
    if (!placed) return statusBar()->showMessage(QString::fromStdString(placed.error().message), 10000);
    rt = std::move(*placed);
  }
  statusBar()->showMessage(tr("Summarizing…"));
  summaries_->summarize(ids.front(), rt, settings_.context_window);
}

ComparisonWindow* MainWindow::compareVersions(qint64 old_id, qint64 new_id) {
  const ingest::DocumentRecord* old_doc = model_->document(model_->indexOfDocument(old_id));
  const ingest::DocumentRecord* new_doc = model_->document(model_->indexOfDocument(new_id));
  if (!old_doc || !new_doc) {
    statusBar()->showMessage(tr("Both documents must be shown in the library to compare them."), 6000);
    return nullptr;
  }
  auto* window = new ComparisonWindow(library_path_, *old_doc, *new_doc, settings_.export_dir, this);
  window->setAttribute(Qt::WA_DeleteOnClose);
  connect(window, &ComparisonWindow::openRequested, this, &MainWindow::openCitation);
  window->show();
  return window;
}

DocumentScope MainWindow::selectionScope() const {
  DocumentScope scope;
  if (library_panel_->someSelectedDocumentIds(1).size() >= 2) {
    for (qint64 id : library_panel_->selectedDocumentIds()) scope.document_ids.push_back(id);
    scope.description = tr("%1 selected documents").arg(scope.document_ids.size());  // two or more
  } else if (const QString c = ask_panel_->scope(); !c.isEmpty()) {
    scope.collection = c.toStdString();
    scope.description = tr("collection “%1”").arg(c);
  } else {
    scope.description = tr("all documents");
  }
  return scope;
}

ReviewWindow* MainWindow::reviewDocuments() {
  DocumentScope scope = selectionScope();
  // The model as loaded when Run is pressed, not when the window opened.
  auto engine = [this] {
    ReviewEngine e;
    e.context_window = settings_.context_window;
    e.expert_threshold = settings_.expert_threshold;
    if (!runtime_) return e;
    auto placed = placeRuntime(runtime_, settings_);
    if (!placed) e.error = QString::fromStdString(placed.error().message);
    else e.runtime = std::move(*placed);
    return e;
  };
  const ReviewWindowState state{settings_.review_questions, settings_.review_matching_only, settings_.review_geometry};
  auto* window = new ReviewWindow(library_path_, std::move(scope), engine, state, settings_.export_dir, this);
  window->setAttribute(Qt::WA_DeleteOnClose);
  connect(window, &ReviewWindow::openRequested, this, &MainWindow::openCitation);
  connect(window, &ReviewWindow::documentOpenRequested, this, &MainWindow::openDocument);
  connect(window, &ReviewWindow::stateChanged, this, [this](const ReviewWindowState& s) {
    settings_.review_questions = s.questions;
    settings_.review_matching_only = s.matching_only;
    settings_.review_geometry = s.geometry;
  });
  window->show();
  return window;
}

TimelineWindow* MainWindow::showTimeline() {
  DocumentScope scope = selectionScope();
  const TimelineWindowState state{settings_.timeline_words, settings_.timeline_day_first, settings_.timeline_geometry};
  auto* window = new TimelineWindow(library_path_, std::move(scope), state, settings_.export_dir, this);
  window->setAttribute(Qt::WA_DeleteOnClose);
  connect(window, &TimelineWindow::openRequested, this, &MainWindow::openCitation);
  connect(window, &TimelineWindow::stateChanged, this, [this](const TimelineWindowState& s) {
    settings_.timeline_words = s.words;
    settings_.timeline_day_first = s.day_first;
    settings_.timeline_geometry = s.geometry;
  });
  window->show();
  return window;
}

void MainWindow::openScanLanguages(const QString& collection, const QString& languages, const QStringList& installed) {
  auto* dialog = new ScanLanguagesDialog(collection.isEmpty() ? QStringLiteral("default") : collection, languages,
                                         installed, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, collection, languages] {
    if (dialog->languages() == languages) return;  // unchanged: nothing to read again
    statusBar()->showMessage(tr("Reading the scans of %1 again in %2…")
                                 .arg(collection, dialog->languages().isEmpty() ? QStringLiteral("eng") : dialog->languages()));
    library_->setScanLanguages(collection, dialog->languages());
  });
  dialog->open();
}

void MainWindow::summarizeCollection() {
  const QModelIndex current = library_panel_->view()->currentIndex();
  const QString name = current.isValid() ? current.data(LibraryModel::CollectionRole).toString() : library_panel_->collection();
  ModelRuntimePtr rt = runtime_;
  if (rt) {
    auto placed = placeRuntime(rt, settings_);
    if (!placed) return statusBar()->showMessage(QString::fromStdString(placed.error().message), 10000);
    rt = std::move(*placed);
  }
  statusBar()->showMessage(tr("Summarizing collection %1…").arg(name));
  summaries_->summarizeCollection(name, rt, settings_.context_window);
}

void MainWindow::showSearch() {
  left_tabs_->setCurrentWidget(search_panel_);
  search_panel_->focusSearch();
}

void MainWindow::showLibraryFilter() {
  left_tabs_->setCurrentWidget(library_panel_);
  library_panel_->focusFilter();
}

void MainWindow::saveSettings() {
  if (!options_.remember) return;
  settings_.collection = library_panel_->collection();
  settings_.scope = ask_panel_->scope();
  settings_.geometry = saveGeometry();
  settings_.state = splitterState();
  QSettings s;
  settings_.save(s);
}

QByteArray MainWindow::splitterState() const {
  QByteArray state;
  QDataStream out(&state, QIODevice::WriteOnly);
  out << qint32(1) << main_splitter_->saveState() << answer_splitter_->saveState();
  return state;
}

void MainWindow::restoreSplitterState(const QByteArray& state) {
  QDataStream in(state);
  qint32 version = 0;
  QByteArray main, answer;
  in >> version >> main >> answer;
  if (in.status() != QDataStream::Ok || version != 1) return;  // none saved yet, or another layout
  main_splitter_->restoreState(main);
  answer_splitter_->restoreState(answer);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Cancel what runs and join the workers: an ingest stops after committing its current batch, a
  // question stops between tokens; nothing half-written is left behind.
  saveSettings();
  library_->shutdown();
  ask_->shutdown();
  models_->shutdown();
  search_->shutdown();
  summaries_->shutdown();
  event->accept();
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Folio"),
                     tr("<b>Folio %1</b><p>Long-document analysis with a local MiniMax-M1-class engine.</p>")
                         .arg(QApplication::applicationVersion()));
}

}  // namespace folio::ui
