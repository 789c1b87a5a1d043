#include "ui/timeline_window.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMoveEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app/pipeline/timeline_format.h"
#include "ui/progress_relay.h"
#include "ui/report_file.h"
#include "ui/timeline_model.h"

namespace folio::ui {
namespace {

constexpr char kMutedStyle[] = "color:#707070";
constexpr char kErrorStyle[] = "color:#b00020";

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "1 event", "1,234 events" (no translations are loaded, so tr's %n plurals would read "event(s)").
QString counted(int64_t n, const QString& one, const QString& many) { return QString("%L1 %2").arg(n).arg(n == 1 ? one : many); }

// "timeline_deals" from the scope, for the export's proposed file name.
// "1,234 events from 5,678 dates in 300 documents; from 2024-01-01; holding "notice"": the count line,
// and the export's subtitle.
QString countText(const app::Timeline& t, const app::TimelineOptions& o) {
  QString s = QObject::tr("%1 from %2 in %3")
                  .arg(counted(static_cast<int64_t>(t.events.size()), "event", "events"), counted(t.mentions, "date", "dates"),
                       counted(t.documents, "document", "documents"));
  if (o.from) s += QObject::tr("; from %1").arg(qs(*o.from));
  if (o.to) s += QObject::tr("; to %1").arg(qs(*o.to));
  if (!o.words.empty()) s += QObject::tr("; holding \"%1\"").arg(qs(o.words));
  return s;
}

}  // namespace

TimelineWindow::TimelineWindow(std::filesystem::path library, TimelineScope scope, const TimelineWindowState& state,
                               const QString& export_dir, QWidget* parent)
    : QDialog(parent), library_(std::move(library)), scope_(std::move(scope)), export_dir_(export_dir) {
  setObjectName("timelineWindow");
  setWindowTitle(tr("Timeline: %1").arg(scope_.description));
  // Not a modal dialog's frame: the window is worked in beside the reader.
  setWindowFlags(windowFlags() | Qt::WindowMinMaxButtonsHint);

  scope_label_ = new QLabel(tr("<b>Documents:</b> %1").arg(scope_.description.toHtmlEscaped()));
  scope_label_->setObjectName("timelineScope");
  words_ = new QLineEdit(state.words);
  words_->setObjectName("timelineWords");
  words_->setPlaceholderText(tr("Only events holding these words (in the sentence, heading, subject or sender)"));
  words_->setClearButtonEnabled(true);
  from_ = new QLineEdit;
  from_->setObjectName("timelineFrom");
  to_ = new QLineEdit;
  to_->setObjectName("timelineTo");
  for (QLineEdit* e : {from_, to_}) {
    e->setPlaceholderText(tr("YYYY-MM-DD (any)"));
    e->setClearButtonEnabled(true);
    e->setMaxLength(10);
    e->setMaximumWidth(e->fontMetrics().horizontalAdvance("YYYY-MM-DD (any)") + 48);
  }
  from_->setToolTip(tr("Only events on or after this day; a month's event counts if its month reaches it. Empty: any."));
  to_->setToolTip(tr("Only events on or before this day. Empty: any."));
  day_first_ = new QCheckBox(tr("Dates day first (03/05 = 5 March)"));
  day_first_->setObjectName("timelineDayFirst");
  day_first_->setToolTip(tr("Read numeric dates whose day and month could be swapped day first, as in Europe; "
                            "unticked, month first, as in the US. Dotted dates (05.03.2024) are day first either way."));
  day_first_->setChecked(state.day_first);
  filters_status_ = new QLabel;
  filters_status_->setObjectName("timelineFiltersStatus");
  filters_status_->setTextFormat(Qt::PlainText);
  run_ = new QPushButton(tr("Run"));
  run_->setObjectName("timelineRunButton");
  stop_ = new QPushButton(tr("Stop"));
  stop_->setObjectName("timelineStopButton");
  stop_->setToolTip(tr("Stop reading: the table keeps the last timeline read to the end."));
  stop_->setVisible(false);
  progress_ = new QProgressBar;
  progress_->setObjectName("timelineProgress");
  progress_->setTextVisible(false);
  progress_->setVisible(false);
  progress_label_ = new QLabel;
  progress_label_->setObjectName("timelineProgressLabel");
  progress_label_->setTextFormat(Qt::PlainText);
  progress_label_->setVisible(false);
  count_ = new QLabel;
  count_->setObjectName("timelineCount");
  count_->setTextFormat(Qt::PlainText);
  count_->setWordWrap(true);
  QFont bold = count_->font();
  bold.setBold(true);
  count_->setFont(bold);
  count_->setVisible(false);

  model_ = new TimelineModel(this);
  table_ = new QTableView;
  table_->setObjectName("timelineTable");
  table_->setModel(model_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setWordWrap(false);
  table_->setAlternatingRowColors(true);
  table_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  // The events stay in date order: the timeline is the order. One line a row, of a fixed height, so that
  // 40,000 rows cost the view nothing to lay out.
  table_->setSortingEnabled(false);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().lineSpacing() + 8);
  QHeaderView* header = table_->horizontalHeader();
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  header->setHighlightSections(false);
  header->setStretchLastSection(true);
  // Widths set, never measured from the rows (resizing to contents would read every one of them).
  table_->setColumnWidth(TimelineModel::DateColumn, table_->fontMetrics().horizontalAdvance("2024-03-05 14:30 +0000") + 24);
  table_->setColumnWidth(TimelineModel::EventColumn, 520);
  table_->setColumnWidth(TimelineModel::DocumentColumn, 280);

  status_ = new QLabel;
  status_->setObjectName("timelineStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  export_ = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
  export_->setObjectName("exportTimelineButton");
  export_->setEnabled(false);
  // Enter in the table opens an event, in a filter runs: no button takes it.
  for (QPushButton* b : {run_, stop_, export_, buttons->button(QDialogButtonBox::Close)}) b->setAutoDefault(false);

  auto* dates = new QHBoxLayout;
  dates->addWidget(new QLabel(tr("From")));
  dates->addWidget(from_);
  dates->addWidget(new QLabel(tr("to")));
  dates->addWidget(to_);
  dates->addSpacing(12);
  dates->addWidget(day_first_);
  dates->addStretch(1);
  dates->addWidget(run_);
  dates->addWidget(stop_);
  auto* filters = new QFormLayout;
  filters->addRow(tr("Words"), words_);
  filters->addRow(tr("Dates"), dates);
  auto* progress_row = new QHBoxLayout;
  progress_row->addWidget(progress_, 1);
  progress_row->addWidget(progress_label_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scope_label_);
  layout->addLayout(filters);
  layout->addWidget(filters_status_);
  layout->addLayout(progress_row);
  layout->addWidget(count_);
  layout->addWidget(table_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  for (QLineEdit* e : {words_, from_, to_}) {
    connect(e, &QLineEdit::textChanged, this, [this] { validate(); });
    connect(e, &QLineEdit::returnPressed, this, &TimelineWindow::run);
  }
  connect(words_, &QLineEdit::textChanged, this, [this] { Q_EMIT stateChanged(this->state()); });
  connect(day_first_, &QCheckBox::toggled, this, [this] { Q_EMIT stateChanged(this->state()); });
  connect(run_, &QPushButton::clicked, this, &TimelineWindow::run);
  connect(stop_, &QPushButton::clicked, this, &TimelineWindow::stop);
  connect(export_, &QPushButton::clicked, this, &TimelineWindow::chooseExport);
  connect(table_, &QTableView::activated, this, &TimelineWindow::openEvent);
  connect(&watcher_, &QFutureWatcher<TimelineRun>::finished, this, &TimelineWindow::finished);
  relay_ = ProgressRelay::create(this, [this](const app::SummaryProgress& p) { showProgress(p); });

  status_->setText(tr("Run reads every document of the scope for the dates it names — each sentence with a full "
                      "date, each e-mail message — and lists them in date order."));
  validate();
  if (state.geometry.isEmpty() || !restoreGeometry(state.geometry)) resize(1180, 720);
}

TimelineWindow::~TimelineWindow() {
  // The worker holds nothing of the window: it stops at its next check and its timeline is dropped.
  *cancel_ = true;
}

TimelineWindowState TimelineWindow::state() const { return {words_->text(), day_first_->isChecked(), saveGeometry()}; }

void TimelineWindow::closeEvent(QCloseEvent* event) {
  leave();
  QDialog::closeEvent(event);
}

void TimelineWindow::done(int result) {
  leave();
  QDialog::done(result);
}

void TimelineWindow::moveEvent(QMoveEvent* event) {
  QDialog::moveEvent(event);
  Q_EMIT stateChanged(state());
}

void TimelineWindow::resizeEvent(QResizeEvent* event) {
  QDialog::resizeEvent(event);
  Q_EMIT stateChanged(state());
}

void TimelineWindow::leave() {
  *cancel_ = true;
  if (left_) return;
  left_ = true;
  Q_EMIT stateChanged(state());
}

std::optional<app::TimelineOptions> TimelineWindow::validate() {
  app::TimelineOptions o;
  o.collection = scope_.collection;
  o.document_ids = scope_.document_ids;
  o.day_first = day_first_->isChecked();
  o.words = words_->text().simplified().toStdString();
  QString error;
  for (auto [edit, name, out] : {std::tuple{from_, tr("From"), &o.from}, std::tuple{to_, tr("To"), &o.to}}) {
    const QString text = edit->text().trimmed();
    int y = 0, m = 0, d = 0;
    const bool ok = text.isEmpty() || app::parseIsoDate(text.toStdString(), y, m, d);
    edit->setStyleSheet(ok ? QString() : QString("color:#b00020"));
    if (!ok && error.isEmpty()) error = tr("%1: \"%2\" is not a date (YYYY-MM-DD)").arg(name, text);
    if (ok && !text.isEmpty()) *out = text.toStdString();
  }
  if (error.isEmpty() && o.from && o.to && *o.to < *o.from)
    error = tr("To (%1) is before From (%2)").arg(qs(*o.to), qs(*o.from));
  filters_status_->setStyleSheet(error.isEmpty() ? kMutedStyle : kErrorStyle);
  filters_status_->setText(error);
  filters_status_->setVisible(!error.isEmpty());
  run_->setEnabled(error.isEmpty() && !running_);
  if (!error.isEmpty()) return std::nullopt;
  return o;
}

bool TimelineWindow::run() {
  if (running_) return false;
  auto options = validate();
  if (!options) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(tr("Not run: %1").arg(filters_status_->text()));
    return false;
  }
  running_options_ = *options;
  cancel_ = std::make_shared<std::atomic<bool>>(false);  // a stopped run's flag stays raised for it alone
  setRunning(true);
  clock_.start();
  watcher_.setFuture(QtConcurrent::run([path = library_, options = std::move(*options), cancel = cancel_, relay = relay_,
                                        observer = worker_observer_]() -> TimelineRun {
    TimelineRun run;
    auto lib = ingest::Library::open(path);
    if (!lib) {
      run.error = qs(lib.error().message);
      return run;
    }
    auto timeline = app::buildTimeline(*lib, options, [&](int64_t done, int64_t total) {
      app::SummaryProgress p;
      p.done = done;
      p.total = total;
      relay->post(p);
      if (observer) observer(done, total);
    }, cancel.get());
    if (!timeline) {
      run.error = qs(timeline.error().message);
      return run;
    }
    run.stopped = timeline->stopped;
    run.timeline = std::make_shared<const app::Timeline>(std::move(*timeline));
    return run;
  }));
  return true;
}

void TimelineWindow::stop() {
  if (!running_) return;
  *cancel_ = true;
  status_->setStyleSheet({});
  status_->setText(tr("Stopping…"));
}

void TimelineWindow::setRunning(bool running) {
  running_ = running;
  progress_->setVisible(running);
  progress_label_->setVisible(running);
  stop_->setVisible(running);
  run_->setVisible(!running);
  for (QWidget* w : std::initializer_list<QWidget*>{words_, from_, to_, day_first_}) w->setEnabled(!running);
  export_->setEnabled(!running && current_);
  if (running) {
    progress_->setRange(0, 0);  // busy until the first report
    progress_label_->setText(tr("Reading the library…"));
    status_->setStyleSheet({});
    status_->setText(tr("Reading the dates of %1…").arg(scope_.description));
  } else {
    validate();
  }
}

void TimelineWindow::showProgress(const app::SummaryProgress& p) {
  if (!running_ || p.total <= 0) return;
  // Documents fit an int (a library of 2 billion documents is not one SQLite file).
  progress_->setRange(0, static_cast<int>(std::min<int64_t>(p.total, INT32_MAX)));
  progress_->setValue(static_cast<int>(std::min<int64_t>(p.done, INT32_MAX)));
  progress_label_->setText(tr("%L1 of %2 read").arg(p.done).arg(counted(p.total, tr("document"), tr("documents"))));
}

void TimelineWindow::finished() {
  if (left_) return;  // closing: the run is dropped
  TimelineRun run = watcher_.result();
  setRunning(false);
  if (!run.timeline) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(tr("Could not read the timeline: %1").arg(run.error));
    return Q_EMIT timelineFailed(run.error);
  }
  shown_options_ = running_options_;
  showTimeline(std::move(run.timeline));
  last_run_ms_ = clock_.elapsed();
  if (run.stopped)
    status_->setText(tr("Stopped after reading %L1 of %L2 documents: the table shows the events found until then.")
                         .arg(current_->documents)
                         .arg(current_->documents_in_scope));
}

void TimelineWindow::showTimeline(std::shared_ptr<const app::Timeline> timeline) {
  // The old timeline (tens of MB for a large one) is freed here, after the view no longer reads it.
  current_ = std::move(timeline);
  model_->setTimeline(current_);
  const app::Timeline& t = *current_;
  // A small scope reads in milliseconds: "0.0 s" would read as nothing done.
  const qint64 ms = clock_.elapsed();
  count_->setText(countText(t, shown_options_) +
                  (ms < 1000 ? tr(" · %L1 ms").arg(ms) : tr(" · %1 s").arg(ms / 1000.0, 0, 'f', 1)));
  count_->setVisible(true);
  status_->setStyleSheet({});
  if (t.events.empty())
    status_->setText(t.documents == 0 ? tr("No document in scope.") : tr("No dated event found."));
  else
    status_->setText(tr("Double-click an event (or press Enter) to open where it was found in the reader; hover the "
                        "document for every place it was found."));
  export_->setEnabled(true);
  Q_EMIT timelineShown();
}

bool TimelineWindow::openEvent(const QModelIndex& index) {
  const app::TimelineEvent* e = index.isValid() ? model_->eventAt(index.row()) : nullptr;
  if (!e || e->places.empty()) return false;
  const app::TimelinePlace& p = e->places.front();
  app::Evidence place;
  place.kind = "chunk";
  place.document_id = p.document_id;
  place.chunk_id = p.chunk_id;
  place.path = p.path;
  place.heading = p.heading;
  place.page_first = p.page_first;
  place.page_last = p.page_last;
  place.line_first = p.line_first;
  place.line_last = p.line_last;
  place.text = timelineHighlightText(*e).toStdString();  // what the reader highlights
  Q_EMIT openRequested(place);
  return true;
}

void TimelineWindow::chooseExport() {
  if (!current_) return;
  const QString dir = export_dir_.isEmpty() ? QDir::homePath() : export_dir_;
  const QString path = chooseTableFile(this, tr("Export the timeline"), QDir(dir).filePath(scopeFileStem(scope_, "timeline") + ".csv"));
  if (path.isEmpty()) return;
  exportTo(path);
}

bool TimelineWindow::exportTo(const QString& path) {
  if (!current_) return false;
  if (const QString problem = tableFileProblem(path); !problem.isEmpty()) {
    status_->setStyleSheet(kErrorStyle);
    status_->setText(problem);
    return false;
  }
  const ReportFileWritten written = writeReportFile(app::timelineReport(shown_options_, *current_, current_->events.size()), path);
  status_->setStyleSheet(written.ok ? QString() : QString(kErrorStyle));
  status_->setText(written.message);
  return written.ok;
}

}  // namespace folio::ui
