#include "ui/code_view.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QPointer>
#include <QTextBlock>
#include <QThread>

#include "engine/common/check.h"
#include "ui/syntax_highlighter.h"

namespace folio::ui {
namespace {

class LineNumberArea : public QWidget {
 public:
  explicit LineNumberArea(CodeView* view) : QWidget(view), view_(view) {}
  QSize sizeHint() const override { return {view_->lineNumberAreaWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* event) override { view_->paintLineNumbers(event); }

 private:
  CodeView* view_;
};

}  // namespace

// Why building the document on a worker is safe: QTextDocument, QTextCursor and the related classes
// are reentrant (Qt 6.4, "Thread-Support in Qt Modules": threads and rich text processing), so one
// instance may be used from one thread at a time, and this one is touched only by the thread that
// builds it until it is handed over. What is not safe off the GUI thread is layout (fonts, glyphs,
// the paint device): none happens here. A document gets a layout only when documentLayout() is first
// asked for, and setPlainText, setDefaultFont and setDefaultTextOption only notify a layout that
// exists; the check below holds us to that. The QPlainTextDocumentLayout, the paint device and the
// highlighter come on the GUI thread, in adoptDocument. Undo/redo is off: a viewer never undoes, and
// the stack would keep a copy of the text.
BuiltDocument::BuiltDocument(const QString& text, const QFont& font, AliveCount alive) {
  auto* document = new QTextDocument;
  document->setUndoRedoEnabled(false);
  document->setDefaultFont(font);
  QTextOption option = document->defaultTextOption();
  option.setWrapMode(QTextOption::NoWrap);  // as the view sets it (NoWrap), so adopting relays nothing
  document->setDefaultTextOption(option);
  document->setPlainText(text);
  FOLIO_CHECK_MSG(!document->findChild<QAbstractTextDocumentLayout*>(), "no layout off the GUI thread");
  if (alive) {
    ++*alive;
    QObject::connect(document, &QObject::destroyed, [alive] { --*alive; });  // direct: on the deleting thread
  }
  // From here on it belongs to the GUI thread (a thread may push its own objects to another one).
  document->moveToThread(QCoreApplication::instance()->thread());
  document_ = document;
}

BuiltDocument::~BuiltDocument() {
  // Never adopted. deleteLater, as this may run on the worker: the document lives on the GUI thread.
  if (QTextDocument* document = document_.exchange(nullptr)) document->deleteLater();
}

CodeView::CodeView(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName("codeView");
  setReadOnly(true);
  setLineWrapMode(QPlainTextEdit::NoWrap);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  numbers_ = new LineNumberArea(this);
  highlighter_ = new SyntaxHighlighter(document());
  highlighter_->setParent(this);  // not the document's child: documents come and go (adoptDocument)
  connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeView::updateNumberArea);
  connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
    if (dy) numbers_->scroll(0, dy);
    else numbers_->update(0, rect.y(), numbers_->width(), rect.height());
  });
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeView::setSource(const QString& text, const QString& language) {
  adoptDocument(BuiltDocument(text, font()).take(), language);
}

void CodeView::adoptDocument(QTextDocument* document, const QString& language) {
  FOLIO_CHECK(document && document->thread() == thread() && !document->parent());
  highlighted_ = {0, 0};
  setExtraSelections({});  // their cursors are in the old document
  document->setParent(this);
  // The layout before the highlighter sees the document: setting it announces every block as changed.
  auto* layout = new QPlainTextDocumentLayout(document);
  document->setDocumentLayout(layout);
  layout->setPaintDevice(viewport());  // as QPlainTextEdit does for its own document
  const QPointer<QTextDocument> previous = QPlainTextEdit::document();
  setDocument(document);  // frees the first document, the edit's own; the others are ours
  // Freed before the highlighter leaves it, so that it does not first clear the old formats block by block.
  if (previous && previous->parent() == this) delete previous.data();
  highlighter_->setLanguage(language);
  // Before the highlighter gets the document: the full pass QSyntaxHighlighter::setDocument schedules for
  // the next turn of the event loop then colours nothing (it still visits every block: 20-50 ms for a
  // 2 MiB file), and the slices colour it.
  highlighter_->highlightInSlices();
  highlighter_->setDocument(document);
  updateNumberArea();  // a new document announces no change in its number of blocks
}

void CodeView::updateNumberArea() {
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
  const QRect cr = contentsRect();
  numbers_->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

int CodeView::lineNumberAreaWidth() const {
  int digits = 1;
  for (int n = std::max(1, blockCount()); n >= 10; n /= 10) ++digits;
  return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(3, digits);
}

void CodeView::resizeEvent(QResizeEvent* event) {
  QPlainTextEdit::resizeEvent(event);
  const QRect cr = contentsRect();
  numbers_->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

void CodeView::paintLineNumbers(QPaintEvent* event) {
  QPainter p(numbers_);
  p.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
  QTextBlock block = firstVisibleBlock();
  int number = block.blockNumber() + 1;
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  int bottom = top + qRound(blockBoundingRect(block).height());
  while (block.isValid() && top <= event->rect().bottom()) {
    if (block.isVisible() && bottom >= event->rect().top()) {
      const bool cited = number >= highlighted_.first && number <= highlighted_.second;
      p.setPen(cited ? palette().color(QPalette::Highlight) : palette().color(QPalette::PlaceholderText));
      p.drawText(0, top, numbers_->width() - 6, fontMetrics().height(), Qt::AlignRight, QString::number(number));
    }
    block = block.next();
    top = bottom;
    bottom = top + qRound(blockBoundingRect(block).height());
    ++number;
  }
}

bool CodeView::findText(const QString& text, bool backwards) {
  if (text.isEmpty()) return false;
  const QTextDocument::FindFlags flags = backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
  if (find(text, flags)) return true;
  // wrap: from the other end of the document
  const QTextCursor keep = textCursor();
  QTextCursor from(document());
  from.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
  setTextCursor(from);
  if (find(text, flags)) return true;
  setTextCursor(keep);
  return false;
}

int CodeView::countOccurrences(const QString& text, int cap) const {
  if (text.isEmpty()) return 0;
  int n = 0;
  for (QTextCursor c = document()->find(text, 0); !c.isNull() && n < cap; c = document()->find(text, c)) ++n;
  return n;
}

void CodeView::showLines(int first, int last) {
  if (first <= 0) return;
  last = std::max(first, last);
  highlighted_ = {first, last};
  QList<QTextEdit::ExtraSelection> selections;
  QColor fill(255, 200, 0, 90);
  for (int line = first; line <= last && line <= blockCount(); ++line) {
    QTextEdit::ExtraSelection s;
    s.format.setBackground(fill);
    s.format.setProperty(QTextFormat::FullWidthSelection, true);
    s.cursor = QTextCursor(document()->findBlockByNumber(line - 1));
    selections << s;
  }
  setExtraSelections(selections);
  QTextCursor end(document()->findBlockByNumber(std::min(last, blockCount()) - 1));
  setTextCursor(end);
  centerCursor();
  QTextCursor start(document()->findBlockByNumber(first - 1));
  setTextCursor(start);
  numbers_->update();
}

}  // namespace folio::ui
