// Simple syntax colouring for the code viewer: keywords of the common languages, string and character
// literals, line comments (// or #) and block comments (/* */), colours taken from the palette's
// contrast so they read on light and dark themes.
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace folio::ui {

class SyntaxHighlighter : public QSyntaxHighlighter {
  Q_OBJECT

 public:
  explicit SyntaxHighlighter(QTextDocument* document);
  void setLanguage(const QString& language);
  QString language() const { return language_; }

  // What a position of a line is coloured as ("keyword", "string", "comment" or ""), for tests.
  QString classify(const QString& line, int position) const;

 protected:
  void highlightBlock(const QString& text) override;

 private:
  struct Span {
    int start, length;
    const QTextCharFormat* format;
    const char* kind;
  };
  QList<Span> spans(const QString& text, int state_in, int* state_out) const;

  QString language_;
  QRegularExpression keywords_;
  bool hash_comments_ = false, slash_comments_ = true;
  QTextCharFormat keyword_format_, string_format_, comment_format_;
};

}  // namespace folio::ui
