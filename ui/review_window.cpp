#include "ui/review_window.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QMoveEvent>
#include <QResizeEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <limits>

#include "app/pipeline/progress_text.h"
#include "app/pipeline/review_format.h"
#include "ui/elided_label.h"
#include "ui/progress_relay.h"
#include "ui/report_file.h"
#include "ui/review_table_model.h"

namespace folio::ui {
namespace {

constexpr qint64 kMaxQuestionsFileBytes = 1 << 20;  // 50 questions of 500 bytes are 25 KB
constexpr char kMutedStyle[] = "color:#707070";
constexpr char kErrorStyle[] = "color:#b00020";
// The document column is at most this wide at first; each question's at least this.
constexpr int kMaxPathColumn = 320;
constexpr int kMinQuestionColumn = 220;
constexpr int kCellLines = 3;  // a cell shows this many lines of its clause before eliding

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "1 question", "12 questions" (no translations are loaded, so tr's %n plurals would read "question(s)").
QString counted(int64_t n, const QString& one, const QString& many) {
  return QString("%L1 %2").arg(n).arg(n == 1 ? one : many);
}

// "review_deals" from the scope, for the export's proposed file name.
int askedCells(const app::ReviewTable& t, int* total) {
  int asked = 0;
  *total = 0;
  for (const auto& row : t.rows)
    for (const auto& c : row.cells) {
      ++*total;
      asked += c.asked ? 1 : 0;
    }
  return asked;
}

}  // namespace

ReviewWindow::ReviewWindow(std::filesystem::path library, ReviewScope scope, ReviewEngineSource engine,
                           const ReviewWindowState& state, const QString& export_dir, QWidget* parent)
    : QDialog(parent),
      library_(std::move(library)),
      scope_(std::move(scope)),
      engine_source_(std::move(engine)),
      export_dir_(export_dir) {
  setObjectName("reviewWindow");
  setWindowTitle(tr("Review: %1").arg(scope_.description));
  // Not a modal dialog's frame: the window is worked in for hours, beside the reader.
  setWindowFlags(windowFlags() | Qt::WindowMinMaxButtonsHint);

  scope_label_ = new QLabel(tr("<b>Documents:</b> %1").arg(scope_.description.toHtmlEscaped()));
  scope_label_->setObjectName("reviewScope");
  questions_ = new QPlainTextEdit;
  questions_->setObjectName("reviewQuestions");
  questions_->setPlaceholderText(tr("One question a line, short as a column head: Governing law, Term and renewal, "
                                    "Limitation of liability… (a line starting with # is a comment)"));
  questions_->setTabChangesFocus(true);
  questions_->setLineWrapMode(QPlainTextEdit::NoWrap);
  questions_status_ = new QLabel;
  questions_status_->setObjectName("reviewQuestionsStatus");
  questions_status_->setTextFormat(Qt::PlainText);
  questions_status_->setWordWrap(true);
  checklist_ = new QPushButton(tr("Contract checklist"));
  checklist_->setObjectName("reviewChecklistButton");
  {
    QStringList checklist;
    for (const auto& q : app::contractChecklist()) checklist << qs(q);
    checklist_->setToolTip(tr("The questions of a commercial contract review: %1.").arg(checklist.join(", ")));
  }
  load_ = new QPushButton(tr("Load…"));
  load_->setObjectName("reviewLoadButton");
  load_->setToolTip(tr("Read the questions from a text file, one a line."));
  matching_only_ = new QCheckBox(tr("Only documents with a finding"));
  matching_only_->setObjectName("reviewMatchingOnly");
  matching_only_->setToolTip(tr("Leave out the documents where no question found a passage."));
  matching_only_->setChecked(state.matching_only);
  run_ = new QPushButton(tr("Run"));
  run_->setObjectName("reviewRunButton");
  stop_ = new QPushButton(tr("Stop"));
  stop_->setObjectName("reviewStopButton");
  stop_->setToolTip(tr("Stop the review: the cells asked so far are kept."));
  stop_->setVisible(false);
  progress_ = new QProgressBar;
  progress_->setObjectName("reviewProgress");
  progress_->setTextVisible(false);
  progress_->setVisible(false);
  progress_label_ = new QLabel;
  progress_label_->setObjectName("reviewProgressLabel");
  progress_label_->setTextFormat(Qt::PlainText);
  progress_label_->setVisible(false);

  summary_ = new QLabel;
  summary_->setObjectName("reviewSummary");
  summary_->setTextFormat(Qt::PlainText);
  summary_->setWordWrap(true);
  QFont bold = summary_->font();
  bold.setBold(true);
  summary_->setFont(bold);
  found_ = new ElidedLabel;
  found_->setObjectName("reviewFound");
  engine_ = new QLabel;
  engine_->setObjectName("reviewEngine");
  engine_->setTextFormat(Qt::PlainText);
  engine_->setWordWrap(true);
  engine_->setStyleSheet(kMutedStyle);

  model_ = new ReviewTableModel(this);
  grid_ = new QTableView;
  grid_->setObjectName("reviewGrid");
  grid_->setModel(model_);
  grid_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  grid_->setSelectionBehavior(QAbstractItemView::SelectItems);
  grid_->setSelectionMode(QAbstractItemView::SingleSelection);
  grid_->setWordWrap(true);
  grid_->setTextElideMode(Qt::ElideRight);
  grid_->setAlternatingRowColors(true);
  grid_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  grid_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  grid_->verticalHeader()->setVisible(false);
  grid_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  grid_->verticalHeader()->setDefaultSectionSize(grid_->fontMetrics().lineSpacing() * kCellLines + 8);
  grid_->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  grid_->horizontalHeader()->setHighlightSections(false);
  grid_->horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
  grid_->setSortingEnabled(true);

  status_ = new QLabel;
  status_->setObjectName("reviewStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  export_ = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
  export_->setObjectName("exportReviewButton");
  export_->setEnabled(false);
  // Enter in the grid opens a cell, not a button.
  for (QPushButton* b : {checklist_, load_, run_, stop_, export_, buttons->button(QDialogButtonBox::Close)})
    b->setAutoDefault(false);

  // The questions on top (the editor with its buttons beside it), the grid below; a splitter between.
  auto* side = new QVBoxLayout;
  side->addWidget(checklist_);
  side->addWidget(load_);
  side->addStretch(1);
  auto* editor = new QHBoxLayout;
  editor->addWidget(questions_, 1);
  editor->addLayout(side);
  auto* run_row = new QHBoxLayout;
  run_row->addWidget(questions_status_, 1);
  run_row->addWidget(matching_only_);
  run_row->addWidget(run_);
  run_row->addWidget(stop_);
  auto* top = new QWidget;
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  top_layout->addWidget(scope_label_);
  top_layout->addLayout(editor, 1);
  top_layout->addLayout(run_row);
  auto* progress_row = new QHBoxLayout;
  progress_row->addWidget(progress_, 1);
  progress_row->addWidget(progress_label_, 2);
  auto* bottom = new QWidget;
  auto* bottom_layout = new QVBoxLayout(bottom);
  bottom_layout->setContentsMargins(0, 0, 0, 0);
  bottom_layout->addLayout(progress_row);
  bottom_layout->addWidget(summary_);
  bottom_layout->addWidget(found_);
  bottom_layout->addWidget(engine_);
  bottom_layout->addWidget(grid_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->setObjectName("reviewSplitter");
  split->setChildrenCollapsible(false);
  split->addWidget(top);
  split->addWidget(bottom);
  split->setStretchFactor(1, 1);
  const int editor_height = questions_->fontMetrics().lineSpacing() * 7 + 60;
  split->setSizes({editor_height, 600});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  connect(questions_, &QPlainTextEdit::textChanged, this, [this] {
    validate();
    Q_EMIT stateChanged(this->state());
  });
  connect(matching_only_, &QCheckBox::toggled, this, [this] { Q_EMIT stateChanged(this->state()); });
  connect(checklist_, &QPushButton::clicked, this, &ReviewWindow::useContractChecklist);
  connect(load_, &QPushButton::clicked, this, &ReviewWindow::chooseLoad);
  connect(run_, &QPushButton::clicked, this, &ReviewWindow::run);
  connect(stop_, &QPushButton::clicked, this, &ReviewWindow::stop);
  connect(export_, &QPushButton::clicked, this, &ReviewWindow::chooseExport);
  connect(grid_, &QTableView::activated, this, &ReviewWindow::openCell);
  connect(&watcher_, &QFutureWatcher<ReviewRun>::finished, this, &ReviewWindow::finished);
  relay_ = ProgressRelay::create(this, [this](const app::SummaryProgress& p) { showProgress(p); });

  // Before the first table: no empty lines over the grid, a word on what Run does.
  for (QWidget* w : std::initializer_list<QWidget*>{summary_, found_, engine_}) w->setVisible(false);
  status_->setText(tr("Run asks each question of every document: a cell holds the clause that answers it (with a "
                      "model loaded, the model's answer read from it), or \"not found\"."));
  questions_->setPlainText(state.questions);
  validate();
  if (state.geometry.isEmpty() || !restoreGeometry(state.geometry)) resize(1180, 760);
}

ReviewWindow::~ReviewWindow() {
  // The worker holds nothing of the window: it stops at its next check and its table is dropped.
  *cancel_ = true;
}

const app::ReviewTable* ReviewWindow::table() const { return current_.get(); }

ReviewWindowState ReviewWindow::state() const {
  return {questions_->toPlainText(), matching_only_->isChecked(), saveGeometry()};
}

int ReviewWindow::progressPosted() const { return relay_->posted(); }
int ReviewWindow::progressShown() const { return relay_->delivered(); }

void ReviewWindow::closeEvent(QCloseEvent* event) {
  leave();
  QDialog::closeEvent(event);
}

void ReviewWindow::done(int result) {
  leave();
  QDialog::done(result);
}

void ReviewWindow::moveEvent(QMoveEvent* event) {
  QDialog::moveEvent(event);
  Q_EMIT stateChanged(state());
}

void ReviewWindow::resizeEvent(QResizeEvent* event) {
  QDialog::resizeEvent(event);
  Q_EMIT stateChanged(state());
}

void ReviewWindow::leave() {
  *cancel_ = true;
  if (left_) return;
  left_ = true;
  Q_EMIT stateChanged(state());
}

std::optional<std::vector<std::string>> ReviewWindow::validate() {
  const QString text = questions_->toPlainText();
  auto parsed = app::parseReviewQuestions(text.toStdString());
  if (!parsed) {
    // An empty editor is not an error yet: say what to do.
    const bool empty = text.trimmed().isEmpty();
    questions_status_->setStyleSheet(empty ? kMutedStyle : kErrorStyle);
    questions_status_->setText(empty ? tr("Write the questions, one a line, or start from the contract checklist.")
                                     : qs(parsed.error().message));
    run_->setEnabled(false);
    return std::nullopt;
  }
  questions_status_->setStyleSheet(kMutedStyle);
  questions_status_->setText(tr("%1, asked of %2").arg(counted(static_cast<int64_t>(parsed->size()), tr("question"), tr("questions")), scope_.description));
  run_->setEnabled(!running_);
  return std::move(*parsed);
}

void ReviewWindow::useContractChecklist() {
  QStringList lines;
  for (const auto& q : app::contractChecklist()) lines << qs(q);
  questions_->setPlainText(lines.join('\n'));
}

void ReviewWindow::chooseLoad() {
  const QString dir = export_dir_.isEmpty() ? QDir::homePath() : export_dir_;
  const QString path = QFileDialog::getOpenFileName(this, tr("Load questions"), dir, tr("Text (*.txt);;All files (*)"));
  if (!path.isEmpty()) loadQuestions(path);
}

bool ReviewWindow::loadQuestions(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    status_->setText(tr("%1 cannot be read: %2").arg(path, f.errorString()));
    return false;
  }
  if (f.size() > kMaxQuestionsFileBytes) {
    status_->setText(tr("%1 is too large for a list of questions").arg(path));
    return false;
  }
  questions_->setPlainText(QString::fromUtf8(f.readAll()));
  status_->setText(tr("Questions read from %1").arg(path));
  return true;
}

bool ReviewWindow::run() {
  if (running_) return false;
  auto questions = validate();
  if (!questions) {
    status_->setText(tr("Not run: %1").arg(questions_status_->text()));
    return false;
  }
  const ReviewEngine engine = engine_source_ ? engine_source_() : ReviewEngine{};
  if (!engine.error.isEmpty()) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(tr("Not run: %1").arg(engine.error));
    return false;
  }
  app::ReviewOptions options;
  options.questions = std::move(*questions);
  options.collection = scope_.collection;
  options.document_ids = scope_.document_ids;
  options.matching_only = matching_only_->isChecked();
  options.context_window = engine.context_window;
  options.expert_threshold = engine.expert_threshold;

  cancel_ = std::make_shared<std::atomic<bool>>(false);  // a stopped run's flag stays raised for it alone
  setRunning(true);
  watcher_.setFuture(QtConcurrent::run([path = library_, options = std::move(options), runtime = engine.runtime,
                                        cancel = cancel_, relay = relay_, observer = worker_observer_]() -> ReviewRun {
    ReviewRun run;
    auto lib = ingest::Library::open(path);
    if (!lib) {
      run.error = qs(lib.error().message);
      return run;
    }
    auto table = app::reviewTable(*lib, runtime.get(), options, [&](const app::SummaryProgress& p) {
      relay->post(p);
      if (observer) observer(p);
    }, cancel.get());
    if (!table) {
      run.error = qs(table.error().message);
      return run;
    }
    run.table = std::make_shared<const app::ReviewTable>(std::move(*table));
    return run;
  }));
  return true;
}

void ReviewWindow::stop() {
  if (!running_) return;
  *cancel_ = true;
  status_->setText(tr("Stopping…"));
}

void ReviewWindow::setRunning(bool running) {
  running_ = running;
  progress_->setVisible(running);
  progress_label_->setVisible(running);
  stop_->setVisible(running);
  run_->setVisible(!running);
  for (QWidget* w : std::initializer_list<QWidget*>{questions_, checklist_, load_, matching_only_})
    w->setEnabled(!running);
  export_->setEnabled(!running && current_);
  if (running) {
    progress_->setRange(0, 0);  // busy until the first report
    progress_label_->setText(tr("Reading the library…"));
    status_->setStyleSheet({});
    status_->setText(tr("Reviewing %1…").arg(scope_.description));
  } else {
    validate();
  }
}

void ReviewWindow::showProgress(const app::SummaryProgress& p) {
  if (!running_ || p.total <= 0) return;
  // Cells can pass an int's range only past 40 million documents; the bar counts in thousandths then.
  const bool scaled = p.total > std::numeric_limits<int>::max();
  progress_->setRange(0, scaled ? 1000 : static_cast<int>(p.total));
  progress_->setValue(scaled ? static_cast<int>(p.done * 1000 / p.total) : static_cast<int>(p.done));
  const QString cells = tr("%1 cells").arg(qs(app::describeSummaryProgress(p)));
  progress_label_->setText(p.current.empty() ? cells : tr("%1 — %2").arg(qs(p.current), cells));
}

void ReviewWindow::finished() {
  if (left_) return;  // closing: the run is dropped
  ReviewRun run = watcher_.result();
  setRunning(false);
  if (!run.error.isEmpty()) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(tr("Could not review: %1").arg(run.error));
    return Q_EMIT reviewFailed(run.error);
  }
  showTable(std::move(run.table));
}

void ReviewWindow::showTable(std::shared_ptr<const app::ReviewTable> table) {
  current_ = std::move(table);
  const app::ReviewTable& t = *current_;
  model_->setTable(current_);
  // The user's sort holds for the new table too (the table comes by path, ascending); a column the new
  // table lacks sorts it by path again.
  QHeaderView* header = grid_->horizontalHeader();
  if (header->sortIndicatorSection() >= model_->columnCount()) header->setSortIndicator(0, Qt::AscendingOrder);
  if (header->sortIndicatorSection() > 0 || header->sortIndicatorOrder() == Qt::DescendingOrder)
    model_->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());

  QString summary = counted(t.documents_in_scope, tr("document"), tr("documents")) + " × " +
                    counted(static_cast<int64_t>(t.questions.size()), tr("question"), tr("questions")) +
                    tr(" · %1 s").arg(t.elapsed_s, 0, 'f', 1);
  const int64_t left_out = t.documents_in_scope - static_cast<int64_t>(t.rows.size());
  if (left_out > 0) summary += tr(" · %1 without a finding left out").arg(left_out);
  if (t.stopped) {
    int total = 0;
    const int asked = askedCells(t, &total);
    summary += tr(" · stopped: %L1 of %L2 cells asked").arg(asked).arg(total);
  }
  summary_->setText(summary);
  for (QWidget* w : std::initializer_list<QWidget*>{summary_, found_, engine_}) w->setVisible(true);
  found_->setFullText(tr("Found: %1").arg(qs(app::reviewFoundLine(t))));
  engine_->setText(qs(app::reviewEngineLabel(t)));

  // The path column as wide as its paths (within reason); the questions share the rest, none narrower
  // than a readable clause.
  grid_->resizeColumnToContents(0);
  grid_->setColumnWidth(0, std::clamp(grid_->columnWidth(0) + 12, 140, kMaxPathColumn));
  const int questions = static_cast<int>(t.questions.size());
  const int room = grid_->viewport()->width() - grid_->columnWidth(0);
  const int each = std::max(kMinQuestionColumn, questions > 0 ? room / questions : room);
  for (int c = 1; c <= questions; ++c) grid_->setColumnWidth(c, each);

  status_->setStyleSheet({});
  if (t.stopped) status_->setText(tr("Stopped before the end: the cells not asked yet say so."));
  else if (t.rows.empty()) status_->setText(tr("No document in scope."));
  else status_->setText(tr("Double-click a cell (or press Enter) to open its passage in the reader, a path its document; hover a cell for the whole clause."));
  export_->setEnabled(true);
  Q_EMIT reviewShown();
}

bool ReviewWindow::openCell(const QModelIndex& index) {
  if (index.isValid() && index.column() == 0) {
    const app::ReviewRow* row = model_->rowAt(index.row());
    if (!row) return false;
    Q_EMIT documentOpenRequested(row->document.id);
    return true;
  }
  const app::ReviewCell* c = model_->cellAt(index);
  if (!c) return false;
  if (!c->passage) {
    const app::ReviewRow* row = model_->rowAt(index.row());
    status_->setText(tr("%1: %2 — no passage to open.")
                         .arg(row ? qs(row->document.rel_path) : QString(), qs(app::reviewCellText(*c))));
    return false;
  }
  Q_EMIT openRequested(*c->passage);
  return true;
}

void ReviewWindow::chooseExport() {
  if (!current_) return;
  const QString dir = export_dir_.isEmpty() ? QDir::homePath() : export_dir_;
  const QString path = chooseTableFile(this, tr("Export the review"), QDir(dir).filePath(scopeFileStem(scope_, "review") + ".csv"));
  if (path.isEmpty()) return;
  exportTo(path);
}

bool ReviewWindow::exportTo(const QString& path) {
  if (!current_) return false;
  if (const QString problem = tableFileProblem(path); !problem.isEmpty()) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(problem);
    return false;
  }
  const QString suffix = QFileInfo(path).suffix().toLower();
  // As `folio review --format` lays it out: CSV and a few questions as the grid, else by document.
  const auto format = app::parseReportFormat(suffix.toStdString());
  const auto layout = app::reviewLayoutFor(format ? *format : app::ReportFormat::Csv, current_->questions.size());
  const ReportFileWritten written = writeReportFile(app::reviewReport(*current_, layout), path);
  status_->setStyleSheet(written.ok ? QString() : QString(kErrorStyle));
  status_->setText(written.message);
  return written.ok;
}

}  // namespace folio::ui
