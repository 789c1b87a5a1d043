#include "ui/syntax_highlighter.h"

#include <QGuiApplication>
#include <QPalette>
#include <QTextBlock>
#include <QTextDocument>

namespace folio::ui {
namespace {

const char* kCKeywords =
    "auto|bool|break|case|catch|char|class|const|constexpr|continue|default|delete|do|double|else|enum|explicit|"
    "extern|false|float|for|friend|goto|if|inline|int|long|namespace|new|noexcept|nullptr|operator|private|"
    "protected|public|return|short|signed|sizeof|static|struct|switch|template|this|throw|true|try|typedef|"
    "typename|union|unsigned|using|virtual|void|volatile|while|override|final|include|define|pragma|"
    "fn|let|mut|impl|pub|use|mod|trait|match|func|package|import|var|interface|type|export|function|async|await";
const char* kPyKeywords =
    "and|as|assert|async|await|break|class|continue|def|del|elif|else|except|False|finally|for|from|global|if|"
    "import|in|is|lambda|None|nonlocal|not|or|pass|raise|return|True|try|while|with|yield|self";
const char* kShKeywords = "if|then|else|elif|fi|for|while|do|done|case|esac|function|in|return|local|export|set";

bool isDark(const QPalette& p) { return p.color(QPalette::Base).lightness() < 128; }

}  // namespace

SyntaxHighlighter::SyntaxHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
  const bool dark = isDark(QGuiApplication::palette());
  keyword_format_.setForeground(dark ? QColor(120, 170, 255) : QColor(0, 60, 170));
  keyword_format_.setFontWeight(QFont::Bold);
  string_format_.setForeground(dark ? QColor(150, 220, 120) : QColor(0, 120, 0));
  comment_format_.setForeground(dark ? QColor(150, 150, 150) : QColor(110, 110, 110));
  comment_format_.setFontItalic(true);
  setLanguage({});
  slices_.setInterval(0);
  connect(&slices_, &QTimer::timeout, this, &SyntaxHighlighter::nextSlice);
}

void SyntaxHighlighter::highlightInSlices() {
  ready_blocks_ = 0;
  slices_.start();
}

void SyntaxHighlighter::nextSlice() {
  const QTextBlock first = document() ? document()->findBlockByNumber(ready_blocks_) : QTextBlock();
  if (!first.isValid()) {
    slices_.stop();
    ready_blocks_ = INT_MAX;
    Q_EMIT highlighted();
    return;
  }
  ready_blocks_ += kSliceBlocks;
  // Each block of the slice changes state (from -1, never set, to 0 or 1), so QSyntaxHighlighter carries
  // on to the next one until the first block past the slice, whose state stays -1.
  rehighlightBlock(first);
}

void SyntaxHighlighter::setLanguage(const QString& language) {
  language_ = language.toLower();
  const bool py = language_ == "python";
  const bool sh = language_ == "shell" || language_ == "bash" || language_ == "sh" || language_ == "toml" ||
                  language_ == "yaml" || language_ == "cmake";
  // Languages the code chunker reads whose line comments start with '#' or "--" (source_kind.cpp).
  static const QStringList kHashComment{"ruby", "perl", "tcl", "make", "dockerfile", "powershell",
                                        "r",    "julia", "elixir"};
  static const QStringList kDashComment{"lua", "sql", "haskell"};
  hash_comments_ = py || sh || kHashComment.contains(language_);
  dash_comments_ = kDashComment.contains(language_);
  slash_comments_ = !hash_comments_ && !dash_comments_;
  const char* words = py ? kPyKeywords : sh ? kShKeywords : kCKeywords;
  keywords_ = QRegularExpression(QString("\\b(%1)\\b").arg(QString::fromLatin1(words)));
}

// State across lines: 1 = inside a /* */ comment.
QList<SyntaxHighlighter::Span> SyntaxHighlighter::spans(const QString& text, int state_in, int* state_out) const {
  QList<Span> out;
  int i = 0;
  const int n = static_cast<int>(text.size());
  *state_out = 0;
  if (state_in == 1) {
    const int end = static_cast<int>(text.indexOf("*/"));
    if (end < 0) {
      out << Span{0, n, &comment_format_, "comment"};
      *state_out = 1;
      return out;
    }
    out << Span{0, end + 2, &comment_format_, "comment"};
    i = end + 2;
  }
  // Keywords first; strings and comments drawn over them.
  for (auto it = keywords_.globalMatch(text, i); it.hasNext();) {
    const auto m = it.next();
    out << Span{static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), &keyword_format_, "keyword"};
  }
  while (i < n) {
    const QChar c = text[i];
    if (c == '"' || c == '\'') {
      int j = i + 1;
      while (j < n && text[j] != c) j += text[j] == '\\' ? 2 : 1;
      const int end = std::min(n, j + 1);
      out << Span{i, end - i, &string_format_, "string"};
      i = end;
    } else if ((slash_comments_ && c == '/' && i + 1 < n && text[i + 1] == '/') || (hash_comments_ && c == '#') ||
               (dash_comments_ && c == '-' && i + 1 < n && text[i + 1] == '-')) {
      out << Span{i, n - i, &comment_format_, "comment"};
      break;
    } else if (slash_comments_ && c == '/' && i + 1 < n && text[i + 1] == '*') {
      const int end = static_cast<int>(text.indexOf("*/", i + 2));
      if (end < 0) {
        out << Span{i, n - i, &comment_format_, "comment"};
        *state_out = 1;
        break;
      }
      out << Span{i, end + 2 - i, &comment_format_, "comment"};
      i = end + 2;
    } else {
      ++i;
    }
  }
  return out;
}

void SyntaxHighlighter::highlightBlock(const QString& text) {
  if (currentBlock().blockNumber() >= ready_blocks_) {  // its slice has not come yet
    setCurrentBlockState(-1);
    return;
  }
  int state = 0;
  for (const Span& s : spans(text, previousBlockState(), &state)) setFormat(s.start, s.length, *s.format);
  setCurrentBlockState(state);
}

QString SyntaxHighlighter::classify(const QString& line, int position) const {
  int state = 0;
  QString kind;
  for (const Span& s : spans(line, 0, &state))
    if (position >= s.start && position < s.start + s.length) kind = QString::fromLatin1(s.kind);  // last wins
  return kind;
}

}  // namespace folio::ui
