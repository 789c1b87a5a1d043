// Simple syntax colouring for the code viewer: keywords of the common languages, string and character
// literals, line comments (// or #) and block comments (/* */), colours taken from the palette's
// contrast so they read on light and dark themes.
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QTimer>
#include <climits>

namespace folio::ui {

class SyntaxHighlighter : public QSyntaxHighlighter {
  Q_OBJECT

 public:
  explicit SyntaxHighlighter(QTextDocument* document);
  // Takes effect with the next highlightInSlices() (or for blocks highlighted from then on).
  void setLanguage(const QString& language);
  QString language() const { return language_; }

  // Colours the document from its first block, kSliceBlocks blocks per turn of the event loop, so that
  // a large file does not freeze the window (2 MiB of code took ~300 ms in one go); blocks not reached
  // yet stay plain. Call it before setting the document's text (setting the text then colours nothing
  // at once); a new call starts over.
  void highlightInSlices();
  bool highlighting() const { return slices_.isActive(); }
  static constexpr int kSliceBlocks = 1000;

  // What a position of a line is coloured as ("keyword", "string", "comment" or ""), for tests.
  QString classify(const QString& line, int position) const;

 Q_SIGNALS:
  void highlighted();  // highlightInSlices() reached the end of the document

 protected:
  void highlightBlock(const QString& text) override;

 private:
  struct Span {
    int start, length;
    const QTextCharFormat* format;
    const char* kind;
  };
  QList<Span> spans(const QString& text, int state_in, int* state_out) const;

  void nextSlice();

  QTimer slices_;
  int ready_blocks_ = INT_MAX;  // blocks below this number are coloured; the others wait for their slice
  QString language_;
  QRegularExpression keywords_;
  bool hash_comments_ = false, dash_comments_ = false, slash_comments_ = true;
  QTextCharFormat keyword_format_, string_format_, comment_format_;
};

}  // namespace folio::ui
