#include "ui/reader_panel.h"

#include <QFile>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/code_view.h"
#include "ui/pdf_view.h"

namespace folio::ui {
namespace {
// A file read for the viewer: its text, or "\x01" + the reason it could not be read.
QString readText(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return QChar(1) + QObject::tr("%1: %2").arg(path, f.errorString());
  constexpr qint64 kMax = 32 << 20;
  if (f.size() > kMax) return QChar(1) + QObject::tr("%1: larger than 32 MiB, not shown").arg(path);
  return QString::fromUtf8(f.readAll());
}
}  // namespace

ReaderPanel::ReaderPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("readerPanel");
  title_ = new QLabel;
  title_->setObjectName("readerTitle");
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  placeholder_ = new QLabel(tr("Select a document in the library, or a citation of an answer, to read it here."));
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
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
  connect(pdf_, &PdfView::failed, this, &ReaderPanel::failed);
  connect(&text_watcher_, &QFutureWatcher<QString>::finished, this, [this] {
    const QString text = text_watcher_.result();
    if (!text.isEmpty() && text[0] == QChar(1)) {
      Q_EMIT failed(text.mid(1));
      return;
    }
    code_->setSource(text, where_.kind == "code" ? where_.language : QString());
    stack_->setCurrentWidget(code_);
    code_->showLines(where_.line_first, where_.line_last);
    Q_EMIT shown(where_.path);
  });
}

ReaderPanel::~ReaderPanel() = default;  // readText holds nothing of the panel

bool ReaderPanel::showingPdf() const { return stack_->currentWidget() == pdf_; }

void ReaderPanel::open(const ReaderLocation& where) {
  where_ = where;
  QString title = where.path;
  if (where.page > 0) title += tr(" · page %1").arg(where.page);
  if (where.line_first > 0) title += tr(" · lines %1–%2").arg(where.line_first).arg(std::max(where.line_first, where.line_last));
  title_->setText(title);
  if (where.kind == "pdf") {
    stack_->setCurrentWidget(pdf_);
    pdf_->openPdf(where.path, where.page, where.text);
    return;
  }
  text_watcher_.setFuture(QtConcurrent::run(readText, where.path));
}

}  // namespace folio::ui
