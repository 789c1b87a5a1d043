#include "ui/reader_panel.h"

#include <QFile>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/code_view.h"
#include "ui/elided_label.h"
#include "ui/local_path.h"
#include "ui/pdf_view.h"

namespace folio::ui {
namespace {
// A file read for the viewer: its text, or "\x01" + the reason it could not be read.
QString readText(const std::filesystem::path& file, const QString& path) {
  QFile f;
  QString error;
  if (!openForReading(f, file, &error)) return QChar(1) + QObject::tr("%1: %2").arg(path, error);
  constexpr qint64 kMax = 32 << 20;
  if (f.size() > kMax) return QChar(1) + QObject::tr("%1: larger than 32 MiB, not shown").arg(path);
  return QString::fromUtf8(f.readAll());
}
}  // namespace

ReaderPanel::ReaderPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("readerPanel");
  title_ = new ElidedLabel;
  title_->setObjectName("readerTitle");
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  placeholder_ = new QLabel(tr("Select a document in the library, or a citation of an answer, to read it here."));
  placeholder_->setObjectName("readerMessage");
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  placeholder_->setTextFormat(Qt::PlainText);
  placeholder_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  placeholder_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // a long path wraps, never widens
  pdf_ = new PdfView;
  code_ = new CodeView;
  stack_ = new QStackedWidget;
  stack_->addWidget(placeholder_);
  stack_->addWidget(pdf_);
  stack_->addWidget(code_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(stack_, 1);

  connect(pdf_, &PdfView::pageShown, this, [this](int, int) { Q_EMIT shown(where_.path); });
  // A late result of what was open before (a PDF, a text file still being read) is not shown over
  // the document opened since.
  auto current = [this](bool pdf) { return where_.unavailable.isEmpty() && (where_.kind == "pdf") == pdf; };
  connect(pdf_, &PdfView::failed, this, [this, current](const QString& m) {
    if (current(true)) showMessage(m);
  });
  connect(&text_watcher_, &QFutureWatcher<QString>::finished, this, [this, current] {
    if (!current(false)) return;
    const QString text = text_watcher_.result();
    if (!text.isEmpty() && text[0] == QChar(1)) return showMessage(text.mid(1));
    code_->setSource(text, where_.kind == "code" ? where_.language : QString());
    stack_->setCurrentWidget(code_);
    code_->showLines(where_.line_first, where_.line_last);
    Q_EMIT shown(where_.path);
  });
}

ReaderPanel::~ReaderPanel() = default;  // readText holds nothing of the panel

bool ReaderPanel::showingPdf() const { return stack_->currentWidget() == pdf_; }

void ReaderPanel::showMessage(const QString& message) {
  placeholder_->setText(message);
  stack_->setCurrentWidget(placeholder_);
  Q_EMIT failed(message);
}

void ReaderPanel::open(const ReaderLocation& where) {
  where_ = where;
  if (where_.file.empty()) where_.file = localPath(where.path);
  QString title = where.path;
  if (where.page > 0) title += tr(" · page %1").arg(where.page);
  if (where.line_first > 0) title += tr(" · lines %1–%2").arg(where.line_first).arg(std::max(where.line_first, where.line_last));
  title_->setFullText(title);
  if (!where.unavailable.isEmpty()) {
    // Its bytes would mislead (a binary file as text) or mean nothing to the answers: say why instead.
    return showMessage(tr("%1 is not in the library's text: %2").arg(where.path, where.unavailable));
  }
  if (where.kind == "pdf") {
    stack_->setCurrentWidget(pdf_);
    pdf_->openPdf(where_.file, where.page, where.text);
    return;
  }
  text_watcher_.setFuture(QtConcurrent::run(readText, where_.file, where.path));
}

}  // namespace folio::ui
