#include "ui/comparison_window.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include "app/compare/comparison_format.h"
#include "app/report/report_render.h"
#include "ui/report_file.h"

namespace folio::ui {
namespace {

constexpr char kLinkScheme[] = "folio-diff";
constexpr int kProgressSteps = 100;

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString nameOf(const ingest::DocumentRecord& d) {
  return QString::fromStdString(d.rel_path.empty() ? d.path : d.rel_path);
}

// "v1/MSA.docx — document 3 · word · 12 pages · saved 2024-03-01 10:02"
QString describeRecord(const ingest::DocumentRecord& d) {
  QString s = nameOf(d).toHtmlEscaped() + QObject::tr(" — document %1 · %2").arg(d.id).arg(QString::fromStdString(d.kind));
  if (d.page_count > 0) s += QObject::tr(" · %n page(s)", nullptr, d.page_count);
  if (d.mtime_ns > 0)
    s += QObject::tr(" · saved %1").arg(QDateTime::fromMSecsSinceEpoch(d.mtime_ns / 1000000).toString("yyyy-MM-dd HH:mm"));
  return s;
}

// A file name for the export: "compare_v1_MSA_to_v2_MSA".
QString exportStem(const ingest::DocumentRecord& old_doc, const ingest::DocumentRecord& new_doc) {
  auto part = [](const ingest::DocumentRecord& d) {
    const QString name = nameOf(d);
    const QFileInfo info(name);
    QString stem = info.path() == "." ? info.completeBaseName() : info.path() + "/" + info.completeBaseName();
    return stem.replace('/', '_').replace(' ', '_');
  };
  return "compare_" + part(old_doc) + "_to_" + part(new_doc);
}

// A comparison made ready to show, on the worker: its report, links and parsed redline; or why there is
// none (nothing when `cancel`).
ComparisonRun presented(Result<app::LibraryComparison> compared, const QFont& font, const std::atomic<bool>& cancel) {
  ComparisonRun run;
  if (cancel || (!compared && compared.error().kind == ErrorKind::Cancelled)) {
    run.cancelled = true;
    return run;
  }
  if (!compared) {
    run.error = QString::fromStdString(compared.error().message);
    return run;
  }
  auto c = std::make_shared<const app::LibraryComparison>(std::move(*compared));
  run.report = app::comparisonReport(*c->old_doc, *c->new_doc, c->comparison);
  run.listed = app::listedChanges(c->comparison);
  auto* document = new QTextDocument;
  document->setDefaultFont(font);
  document->setHtml(comparisonHtml(run.report, run.listed));
  document->moveToThread(QCoreApplication::instance()->thread());
  run.redline = std::make_shared<ParsedRedline>(document);
  run.result = std::move(c);
  return run;
}

}  // namespace

ParsedRedline::~ParsedRedline() {
  if (document_) document_->deleteLater();  // from any thread: deleted on the GUI thread
}

QTextDocument* ParsedRedline::take() { return std::exchange(document_, nullptr); }

QString comparisonHtml(const app::Report& report, const std::vector<app::ListedChange>& listed) {
  // The report as the export renders it, but for its list of changes, which is written here with links.
  app::Report frame = report;
  std::vector<app::ReportChange> changes;
  if (!frame.sections.empty()) changes = std::exchange(frame.sections.front().changes, {});
  QString html = QString::fromStdString(app::renderHtml(frame, {}));
  QString list;
  for (size_t k = 0; k < changes.size(); ++k) {
    const app::ReportChange& c = changes[k];
    const app::ListedChange* l = k < listed.size() ? &listed[k] : nullptr;
    QString where = esc(c.where);
    if (l && l->chunk_id)
      where = QStringLiteral("<a href=\"%1:%2/%3\">%4</a>").arg(kLinkScheme, l->in_old ? "old" : "new").arg(k).arg(where);
    list += "<p><b>" + where + "</b> — " + esc(c.what);
    if (l && !l->in_old && l->change->old_place.chunk_id)
      list += QStringLiteral(" · <a href=\"%1:old/%2\">%3</a>").arg(kLinkScheme).arg(k).arg(QObject::tr("old version"));
    list += "<br>";
    // The export's redline marks (app/report/report_render.cpp), inline: QTextDocument reads those.
    if (!c.before.empty()) list += "… " + esc(c.before);
    if (!c.deleted.empty())
      list += "<span style=\"color:#b00020;text-decoration:line-through\">" + esc(c.deleted) + "</span>";
    if (!c.deleted.empty() && !c.inserted.empty()) list += " ";
    if (!c.inserted.empty())
      list += "<span style=\"color:#0b57d0;text-decoration:underline\">" + esc(c.inserted) + "</span>";
    if (!c.after.empty()) list += esc(c.after) + " …";
    list += "</p>\n";
  }
  const qsizetype end = html.lastIndexOf("</body>");
  html.insert(end < 0 ? html.size() : end, list);
  return html;
}

ComparisonWindow::ComparisonWindow(std::filesystem::path library, ingest::DocumentRecord old_doc,
                                   ingest::DocumentRecord new_doc, const QString& export_dir, QWidget* parent)
    : QDialog(parent),
      library_(std::move(library)),
      old_record_(std::move(old_doc)),
      new_record_(std::move(new_doc)),
      export_dir_(export_dir) {
  setObjectName("comparisonWindow");
  header_ = new QLabel;
  header_->setObjectName("comparisonHeader");
  header_->setTextFormat(Qt::RichText);
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_ = new QLabel;
  summary_->setObjectName("comparisonSummary");
  summary_->setTextFormat(Qt::PlainText);
  summary_->setWordWrap(true);
  QFont bold = summary_->font();
  bold.setBold(true);
  summary_->setFont(bold);
  swap_ = new QPushButton(tr("Swap old ↔ new"));
  swap_->setObjectName("swapVersionsButton");
  swap_->setToolTip(tr("Compare the other way round: the new version as the old one."));
  stop_ = new QPushButton(tr("Stop"));
  stop_->setObjectName("stopComparisonButton");
  stop_->setToolTip(tr("Stop comparing: a very long document can take a few seconds."));
  stop_->setVisible(false);
  busy_ = new QProgressBar;
  busy_->setObjectName("comparisonBusy");
  busy_->setTextVisible(false);
  busy_->setVisible(false);
  status_ = new QLabel;
  status_->setObjectName("comparisonStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  view_ = new QTextBrowser;
  view_->setObjectName("comparisonView");
  view_->setOpenLinks(false);  // a difference's link opens the reader, not a page
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  export_ = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
  export_->setObjectName("exportComparisonButton");
  for (QPushButton* b : {swap_, stop_, export_}) b->setAutoDefault(false);  // Enter in the redline opens no dialog

  auto* top = new QHBoxLayout;
  top->addWidget(header_, 1);
  top->addWidget(swap_, 0, Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(summary_);
  auto* running = new QHBoxLayout;
  running->addWidget(busy_, 1);
  running->addWidget(stop_);
  layout->addLayout(running);
  layout->addWidget(view_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  connect(export_, &QPushButton::clicked, this, &ComparisonWindow::chooseExport);
  connect(swap_, &QPushButton::clicked, this, &ComparisonWindow::swap);
  connect(stop_, &QPushButton::clicked, this, &ComparisonWindow::stop);
  connect(view_, &QTextBrowser::anchorClicked, this, &ComparisonWindow::linkClicked);
  connect(&watcher_, &QFutureWatcher<ComparisonRun>::finished, this, &ComparisonWindow::finished);
  // Busy while both are read; how far the alignment has come once it reports.
  connect(&watcher_, &QFutureWatcher<ComparisonRun>::progressValueChanged, this, [this](int value) {
    if (value <= 0 || !running_) return;
    busy_->setRange(0, kProgressSteps);
    busy_->setValue(value);
  });
  resize(860, 720);
  updateHeader();

  start([path = library_, old_id = old_record_.id, new_id = new_record_.id, font = view_->font()](
            const std::atomic<bool>& cancel, const app::CompareProgressFn& progress) {
    ComparisonRun run;
    auto lib = ingest::Library::open(path);
    if (!lib) {
      run.error = QString::fromStdString(lib.error().message);
      return run;
    }
    return presented(app::compareLibraryDocuments(*lib, old_id, new_id, &cancel, progress), font, cancel);
  });
}

ComparisonWindow::~ComparisonWindow() {
  // The worker holds nothing of the window: it stops at its next step and its result is dropped.
  *cancel_ = true;
}

void ComparisonWindow::closeEvent(QCloseEvent* event) {
  *cancel_ = true;
  QDialog::closeEvent(event);
}

void ComparisonWindow::start(Job job) {
  cancel_ = std::make_shared<std::atomic<bool>>(false);  // a stopped run's flag stays raised for it alone
  setRunning(true);
  watcher_.setFuture(QtConcurrent::run([job = std::move(job), cancel = cancel_](QPromise<ComparisonRun>& promise) {
    promise.setProgressRange(0, kProgressSteps);
    promise.addResult(job(*cancel, [&promise](size_t done, size_t total) {
      if (total > 0) promise.setProgressValue(static_cast<int>(done * kProgressSteps / total));
    }));
  }));
}

void ComparisonWindow::stop() {
  if (!running_) return;
  *cancel_ = true;
  status_->setText(tr("Stopping…"));
}

void ComparisonWindow::setRunning(bool running) {
  running_ = running;
  busy_->setVisible(running);
  busy_->setRange(0, 0);  // busy until the comparison reports its progress
  stop_->setVisible(running);
  swap_->setEnabled(!running && current_);
  export_->setEnabled(!running && current_);
  if (running) {
    status_->setStyleSheet({});
    status_->setText(current_ ? tr("Comparing the other way round…") : tr("Reading both versions and comparing them…"));
  }
}

void ComparisonWindow::swap() {
  if (running_ || !current_) return;
  start([c = current_, font = view_->font()](const std::atomic<bool>& cancel, const app::CompareProgressFn& progress) {
    return presented(app::swappedComparison(*c, &cancel, progress), font, cancel);
  });
}

void ComparisonWindow::finished() {
  ComparisonRun run = watcher_.result();
  setRunning(false);
  // Stopped: whatever came back (it may have ended just before the flag was raised) is not shown.
  if (run.cancelled || *cancel_) return status_->setText(tr("Stopped."));
  if (!run.error.isEmpty()) {
    summary_->setText(tr("Not compared."));
    status_->setStyleSheet("color:#b00020");
    status_->setText(tr("Could not compare the versions: %1").arg(run.error));
    return Q_EMIT comparisonFailed(run.error);
  }
  showComparison(std::move(run));
}

void ComparisonWindow::showComparison(ComparisonRun run) {
  const app::LibraryComparison& c = *run.result;
  // A swap brings the documents back the other way round.
  if (c.old_doc->document_id == new_record_.id && c.new_doc->document_id == old_record_.id)
    std::swap(old_record_, new_record_);
  current_ = std::move(run.result);
  report_ = std::move(run.report);
  listed_ = std::move(run.listed);
  updateHeader();
  summary_->setText(QString::fromStdString(app::comparisonSummary(current_->comparison)));
  QTextDocument* previous = redline_;
  redline_ = run.redline->take();
  redline_->setParent(this);
  view_->setDocument(redline_);
  delete previous;
  status_->setText(listed_.empty() ? QString() : tr("Click a difference to open it in the reader."));
  setRunning(false);
  Q_EMIT comparisonShown();
}

void ComparisonWindow::updateHeader() {
  setWindowTitle(tr("Compare: %1 → %2").arg(nameOf(old_record_), nameOf(new_record_)));
  header_->setText(tr("<b>Old:</b> %1<br><b>New:</b> %2").arg(describeRecord(old_record_), describeRecord(new_record_)));
}

void ComparisonWindow::linkClicked(const QUrl& url) {
  if (url.scheme() != kLinkScheme) return;
  const QStringList parts = url.path().split('/');
  bool ok = false;
  const int k = parts.size() == 2 ? parts[1].toInt(&ok) : -1;
  if (ok) openChange(k, parts[0] == "old");
}

void ComparisonWindow::openChange(int k, bool old_side) {
  if (!current_ || k < 0 || static_cast<size_t>(k) >= listed_.size()) return;
  const app::ListedChange& l = listed_[k];
  const bool in_old = old_side || l.in_old;
  const app::ComparedDocument& doc = in_old ? *current_->old_doc : *current_->new_doc;
  const int64_t chunk_id = in_old ? l.change->old_place.chunk_id : l.chunk_id;
  const ingest::StoredChunk* chunk = app::comparedChunk(doc, chunk_id);
  if (!chunk) return status_->setText(tr("%1 holds no stored passage for this difference.").arg(QString::fromStdString(doc.name)));
  app::Evidence e = app::chunkEvidence(*chunk, doc.name);
  e.document_id = doc.document_id;
  // At the difference's own line where it is known (its chunk on one page), not the chunk's first: the
  // reader scrolls a text to that line (a PDF opens at its page either way).
  const app::VersionPlace& place = in_old ? l.change->old_place : l.change->new_place;
  if (place.line > 0 && place.chunk_id == chunk->id) {
    e.line_first = e.line_last = place.line;
    e.page_first = e.page_last = place.page_first;
  }
  Q_EMIT openRequested(e);
}

void ComparisonWindow::chooseExport() {
  const QString dir = export_dir_.isEmpty() ? QDir::homePath() : export_dir_;
  const QString path = chooseReportFile(this, tr("Export the comparison"),
                                        QDir(dir).filePath(exportStem(old_record_, new_record_) + ".pdf"));
  if (!path.isEmpty()) exportTo(path);
}

bool ComparisonWindow::exportTo(const QString& path) {
  if (!current_) return false;
  const ReportFileWritten written = writeReportFile(report_, path);
  status_->setText(written.message);
  return written.ok;
}

}  // namespace folio::ui
