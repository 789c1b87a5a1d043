// The reader: PDFs in a PdfView, text and code in a CodeView. open() shows a document at a cited page
// and lines, highlighting the cited text; text files are read on a worker thread.
#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace folio::ui {

class CodeView;
class PdfView;

struct ReaderLocation {
  QString path;      // absolute
  QString kind;      // "pdf", "code", "text", "markdown", "html"
  QString language;  // for code
  int page = 0;      // 1-based, 0 unknown
  int line_first = 0, line_last = 0;
  QString text;      // the cited text ("" for none)
};

class ReaderPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ReaderPanel(QWidget* parent = nullptr);
  ~ReaderPanel() override;

  void open(const ReaderLocation& where);
  PdfView* pdfView() const { return pdf_; }
  CodeView* codeView() const { return code_; }
  const ReaderLocation& location() const { return where_; }
  bool showingPdf() const;

 Q_SIGNALS:
  // The document is on screen at the cited place (for PDFs once the page is rendered).
  void shown(const QString& path);
  void failed(const QString& message);

 private:
  QStackedWidget* stack_;
  QLabel* placeholder_;
  QLabel* title_;
  PdfView* pdf_;
  CodeView* code_;
  ReaderLocation where_;
  QFutureWatcher<QString> text_watcher_;
};

}  // namespace folio::ui
