#include "ui/code_view.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

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

CodeView::CodeView(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName("codeView");
  setReadOnly(true);
  setLineWrapMode(QPlainTextEdit::NoWrap);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  numbers_ = new LineNumberArea(this);
  highlighter_ = new SyntaxHighlighter(document());
  connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
  connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
    if (dy) numbers_->scroll(0, dy);
    else numbers_->update(0, rect.y(), numbers_->width(), rect.height());
  });
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeView::setSource(const QString& text, const QString& language) {
  highlighter_->setLanguage(language);
  highlighter_->highlightInSlices();  // before the text, so that setting it colours nothing at once
  setPlainText(text);
  highlighted_ = {0, 0};
  setExtraSelections({});
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
