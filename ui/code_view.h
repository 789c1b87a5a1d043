// The text and code viewer: a read-only QPlainTextEdit with a line-number area and the cited lines
// highlighted. A large file's document is built off the GUI thread (BuiltDocument) and adopted by the
// view, so that opening it does not freeze the window.
#pragma once

#include <QPlainTextEdit>
#include <atomic>
#include <memory>

namespace folio::ui {

class SyntaxHighlighter;

// A document for a CodeView holding `text`, built on any thread (the worker that read the file) and
// handed to the GUI thread: the text only, undo/redo off, the viewer's font; no layout. It holds the
// document until a view adopts it (take()); one never adopted (its read superseded, the reader closed
// first) is freed from whichever thread lets go of it last.
class BuiltDocument {
 public:
  // How many documents built so are alive (adopted ones included), counted by their builder; shared so
  // that a document freed after its builder is gone still counts down.
  using AliveCount = std::shared_ptr<std::atomic<int>>;

  // alive: counts this document while it lives (null: not counted).
  BuiltDocument(const QString& text, const QFont& font, AliveCount alive = nullptr);
  ~BuiltDocument();
  BuiltDocument(const BuiltDocument&) = delete;
  BuiltDocument& operator=(const BuiltDocument&) = delete;

  // On the GUI thread: the document, now the caller's (nullptr once taken).
  QTextDocument* take() { return document_.exchange(nullptr); }
 private:
  std::atomic<QTextDocument*> document_;
};

class CodeView : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit CodeView(QWidget* parent = nullptr);

  // language: "cpp", "python", … or "" (no colouring beyond strings and comments). Builds the document
  // here, on the calling thread; the reader builds it on a worker and calls adoptDocument.
  void setSource(const QString& text, const QString& language);
  // Shows `document` (from BuiltDocument::take()) in place of the current one, which is freed; the view
  // owns it. Colouring starts over in slices (SyntaxHighlighter::highlightInSlices).
  void adoptDocument(QTextDocument* document, const QString& language);
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
  void updateNumberArea();  // its width follows the number of lines

  QWidget* numbers_;
  SyntaxHighlighter* highlighter_;
  QPair<int, int> highlighted_{0, 0};
};

}  // namespace folio::ui
