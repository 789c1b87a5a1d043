// The text and code viewer: a read-only QPlainTextEdit with a line-number area and the cited lines
// highlighted.
#pragma once

#include <QPlainTextEdit>

namespace folio::ui {

class SyntaxHighlighter;

class CodeView : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit CodeView(QWidget* parent = nullptr);

  // language: "cpp", "python", … or "" (no colouring beyond strings and comments).
  void setSource(const QString& text, const QString& language);
  // Highlights lines first..last (1-based) and scrolls to them.
  void showLines(int first, int last);
  QPair<int, int> highlightedLines() const { return highlighted_; }
  // Selects the next occurrence of `text` (case-insensitive) after the cursor, or the previous one
  // before it, wrapping around the document; false when there is none.
  bool findText(const QString& text, bool backwards);
  // How many times `text` occurs (case-insensitive), counted up to `cap`.
  int countOccurrences(const QString& text, int cap = 10000) const;
  SyntaxHighlighter* highlighter() const { return highlighter_; }

  int lineNumberAreaWidth() const;
  void paintLineNumbers(QPaintEvent* event);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  QWidget* numbers_;
  SyntaxHighlighter* highlighter_;
  QPair<int, int> highlighted_{0, 0};
};

}  // namespace folio::ui
