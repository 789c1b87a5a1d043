#include "ui/reader_panel.h"

#include <QFile>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QToolButton>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "ingest/archive_member.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "ui/code_view.h"
#include "ui/elided_label.h"
#include "ui/local_path.h"
#include "ui/pdf_view.h"

namespace folio::ui {
namespace {
// On a worker: a file read for the viewer, its document built there too (setting the text of a 2 MiB
// file took 100-450 ms on the GUI thread), or the reason it could not be read.
// Word, OpenDocument, e-mail and HTML files are shown as the text Folio extracted from them: the text
// their citations' lines count in (a .docx's or .odt's bytes are a zip archive; HTML's are markup; an
// e-mail's body may be base64).
// A mail store's text can run to a GiB: laid out in the viewer it would take many times that, so past
// this the reader says so (its messages are still searched and cited).
constexpr size_t kMaxShownTextBytes = 64 << 20;

TextRead readExtracted(const std::filesystem::path& file, ingest::SourceKind kind,
                       const QFont& font, BuiltDocument::AliveCount alive) {
  // As the ingest classified it (a .pst is read in place, not into memory whole).
  ingest::SourceType type = ingest::classifySource(file);
  if (type.kind != kind) type = ingest::SourceType{kind, ""};
  auto extracted = ingest::extractDocument(file, type);
  if (!extracted.ok()) return {QString::fromStdString(extracted.error().message), nullptr, {}};
  const std::string& text = extracted->text;
  if (text.size() > kMaxShownTextBytes)
    return {QObject::tr("%1: its text (%2 MiB) is larger than the reader shows (64 MiB); search it, or ask about it")
                .arg(QString::fromStdString(file.filename().string()))
                .arg(text.size() >> 20),
            nullptr,
            {}};
  std::vector<int> page_first_lines;
  int line = 1;
  size_t counted = 0;
  for (const int64_t start : extracted->page_starts) {
    const auto until = static_cast<size_t>(start);
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                        text.begin() + static_cast<std::ptrdiff_t>(until), '\n'));
    counted = until;
    page_first_lines.push_back(line);
  }
  return {QString(), std::make_shared<BuiltDocument>(QString::fromStdString(text), font, std::move(alive)),
          std::move(page_first_lines)};
}

TextRead readText(const std::filesystem::path& file, const QString& path, const QString& kind, const QFont& font,
                  BuiltDocument::AliveCount alive) {
  if (kind == "word") return readExtracted(file, ingest::SourceKind::Word, font, std::move(alive));
  if (kind == "spreadsheet") return readExtracted(file, ingest::SourceKind::Spreadsheet, font, std::move(alive));
  if (kind == "presentation") return readExtracted(file, ingest::SourceKind::Presentation, font, std::move(alive));
  if (kind == "html") return readExtracted(file, ingest::SourceKind::Html, font, std::move(alive));
  if (kind == "email") return readExtracted(file, ingest::SourceKind::Email, font, std::move(alive));
  if (kind == "archive") return readExtracted(file, ingest::SourceKind::Archive, font, std::move(alive));
  constexpr qint64 kMax = 32 << 20;
  if (ingest::archiveMemberOf(file)) {  // a text file inside a zip archive
    auto bytes = ingest::readDocumentBytes(file, kMax);
    if (!bytes.ok()) return {QString::fromStdString(bytes.error().message), nullptr, {}};
    return {QString(), std::make_shared<BuiltDocument>(QString::fromUtf8(bytes->data(), static_cast<qsizetype>(bytes->size())), font, std::move(alive)), {}};
  }
  QFile f;
  QString error;
  if (!openForReading(f, file, &error)) return {QObject::tr("%1: %2").arg(path, error), nullptr, {}};
  if (f.size() > kMax) return {QObject::tr("%1: larger than 32 MiB, not shown").arg(path), nullptr, {}};
  return {QString(), std::make_shared<BuiltDocument>(QString::fromUtf8(f.readAll()), font, std::move(alive)), {}};
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
  read_larger_ = new QPushButton;
  read_larger_->setObjectName("readLargerFileButton");
  read_larger_->setVisible(false);
  message_page_ = new QWidget;
  auto* message_layout = new QVBoxLayout(message_page_);
  message_layout->addStretch();
  message_layout->addWidget(placeholder_);
  message_layout->addWidget(read_larger_, 0, Qt::AlignHCenter);
  message_layout->addStretch();
  pdf_ = new PdfView;
  code_ = new CodeView;
  stack_ = new QStackedWidget;
  stack_->addWidget(message_page_);
  stack_->addWidget(pdf_);
  stack_->addWidget(code_);

  find_bar_ = new QWidget;
  find_bar_->setObjectName("findBar");
  find_edit_ = new QLineEdit;
  find_edit_->setObjectName("findEdit");
  find_edit_->setPlaceholderText(tr("Find in this document"));
  find_edit_->setClearButtonEnabled(true);
  find_edit_->installEventFilter(this);
  auto* previous = new QToolButton;
  previous->setObjectName("findPrevious");
  previous->setText(tr("▲"));
  previous->setToolTip(tr("Previous (Shift+F3)"));
  auto* next = new QToolButton;
  next->setObjectName("findNext");
  next->setText(tr("▼"));
  next->setToolTip(tr("Next (Enter, F3)"));
  find_status_ = new QLabel;
  find_status_->setObjectName("findStatus");
  auto* close = new QToolButton;
  close->setText(tr("✕"));
  close->setToolTip(tr("Close (Esc)"));
  auto* find_row = new QHBoxLayout(find_bar_);
  find_row->setContentsMargins(0, 0, 0, 0);
  find_row->addWidget(find_edit_, 1);
  find_row->addWidget(previous);
  find_row->addWidget(next);
  find_row->addWidget(find_status_);
  find_row->addWidget(close);
  find_bar_->hide();

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(find_bar_);
  layout->addWidget(stack_, 1);

  connect(read_larger_, &QPushButton::clicked, this, [this] {
    read_larger_->setEnabled(false);  // once: the re-read runs in the library's writer
    Q_EMIT readLargerFileRequested(where_.document_id, offered_cap_);
  });
  connect(find_edit_, &QLineEdit::returnPressed, this, [this] { findNext(false); });
  connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
  connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
  connect(close, &QToolButton::clicked, this, &ReaderPanel::hideFind);
  connect(pdf_, &PdfView::findFinished, this, [this](const QString& text, int page) {
    find_status_->setText(page > 0 ? tr("On page %1").arg(page) : tr("“%1” is not in this document").arg(text));
  });

  connect(pdf_, &PdfView::pageShown, this, [this](int, int) { Q_EMIT shown(where_.path); });
  // A late result of what was open before (a PDF, a text file still being read) is not shown over
  // the document opened since.
  auto current = [this](bool pdf) {
    return where_.unavailable.isEmpty() && (where_.kind == "pdf" || where_.kind == "image") == pdf;
  };
  connect(pdf_, &PdfView::failed, this, [this, current](const QString& m) {
    if (current(true)) showMessage(m);
  });
  // A read superseded by another one before it finished never reports (setFuture drops it): its
  // document goes with the last copy of its result (~BuiltDocument).
  connect(&text_watcher_, &QFutureWatcher<TextRead>::finished, this, [this, current] {
    const TextRead read = text_watcher_.result();
    if (!current(false)) {
      if (read.document) delete read.document->take();  // now, not when the next text file is read
      return;
    }
    if (!read.error.isEmpty()) return showMessage(read.error);
    code_->adoptDocument(read.document->take(), where_.kind == "code" ? where_.language : QString());
    stack_->setCurrentWidget(code_);
    // A paged document's lines count from the start of their page.
    int shift = 0;
    if (where_.page > 0 && where_.page <= static_cast<int>(read.page_first_lines.size())) {
      shift = read.page_first_lines[static_cast<size_t>(where_.page - 1)] - 1;
    }
    code_->showLines(where_.line_first > 0 ? where_.line_first + shift : 0, where_.line_last > 0 ? where_.line_last + shift : 0);
    Q_EMIT shown(where_.path);
  });
}

ReaderPanel::~ReaderPanel() = default;  // readText holds nothing of the panel; a read still running frees its document

bool ReaderPanel::showingPdf() const { return stack_->currentWidget() == pdf_; }

void ReaderPanel::showFind() {
  find_bar_->show();
  find_edit_->setFocus();
  find_edit_->selectAll();
}

void ReaderPanel::hideFind() {
  find_bar_->hide();
  find_status_->clear();
  pdf_->clearFind();
}

void ReaderPanel::findNext(bool backwards) {
  const QString text = find_edit_->text();
  if (!find_bar_->isVisible()) return showFind();
  if (text.isEmpty()) return;
  if (showingPdf()) {
    find_status_->setText(tr("Searching…"));
    return pdf_->find(text, backwards);
  }
  if (stack_->currentWidget() != code_) return find_status_->setText(tr("No document is open"));
  if (!code_->findText(text, backwards)) return find_status_->setText(tr("“%1” is not in this document").arg(text));
  const int n = code_->countOccurrences(text);
  find_status_->setText(n == 1 ? tr("1 match") : tr("%1 matches").arg(n));
}

bool ReaderPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == find_edit_ && event->type() == QEvent::KeyPress &&
      static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
    hideFind();
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

void ReaderPanel::showMessage(const QString& message, qint64 offer_cap_bytes) {
  placeholder_->setText(message);
  offered_cap_ = offer_cap_bytes;
  read_larger_->setVisible(offer_cap_bytes > 0);
  read_larger_->setEnabled(true);
  if (offer_cap_bytes > 0)
    read_larger_->setText(tr("Read files up to %1 MiB in this collection").arg(offer_cap_bytes >> 20));
  stack_->setCurrentWidget(message_page_);
  Q_EMIT failed(message);
}

void ReaderPanel::open(const ReaderLocation& where) {
  where_ = where;
  find_status_->clear();  // it spoke of the document open before
  if (where_.file.empty()) where_.file = localPath(where.path);
  QString title = where.path;
  if (where.page > 0) title += tr(" · page %1").arg(where.page);
  if (where.line_first > 0) title += tr(" · lines %1–%2").arg(where.line_first).arg(std::max(where.line_first, where.line_last));
  title_->setFullText(title);
  if (!where.unavailable.isEmpty()) {
    // Its bytes would mislead (a binary file as text) or mean nothing to the answers: say why instead.
    // A file over the size caps: offer the cap that reads it, rounded up to whole MiB.
    const qint64 mib = qint64{1} << 20;
    const qint64 cap = where.too_large_bytes > 0 ? (where.too_large_bytes + mib - 1) / mib * mib : 0;
    return showMessage(tr("%1 is not in the library's text: %2").arg(where.path, where.unavailable), cap);
  }
  if (where.kind == "pdf" || where.kind == "image") {  // an image: its pages, as the PDF ingest OCR'd
    stack_->setCurrentWidget(pdf_);
    pdf_->openPdf(where_.file, where.page, where.text);
    return;
  }
  text_watcher_.setFuture(QtConcurrent::run(readText, where_.file, where.path, where.kind, code_->font(), built_alive_));
}

}  // namespace folio::ui
