// The reader: PDFs in a PdfView, text and code in a CodeView. open() shows a document at a cited page
// and lines, highlighting the cited text; text files are read on a worker thread. What it cannot show
// (a file gone or unreadable, a document the library skipped or failed to read) is named with the
// reason in place of the document. A find bar (Ctrl+F) looks for a term in the open document: the next
// or previous occurrence in text and code, the next or previous page holding it in a PDF.
#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QWidget>
#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace folio::ui {

class BuiltDocument;
class CodeView;
class ElidedLabel;
class PdfView;

// A text file read for the viewer on a worker: its document, or why it could not be read.
struct TextRead {
  QString error;                            // "" when read
  std::shared_ptr<BuiltDocument> document;  // freed with the last copy unless a view took it
  std::vector<int> page_first_lines;        // 1-based line where each page starts; empty without pages
};

struct ReaderLocation {
  QString path;                // absolute, for display
  std::filesystem::path file;  // the file as stored, byte for byte (need not be UTF-8); empty: `path`
  QString kind;      // "pdf", "word", "email", "code", "text", "markdown", "html"
  QString language;  // for code
  int page = 0;      // 1-based, 0 unknown
  int line_first = 0, line_last = 0;
  QString text;      // the cited text ("" for none)
  QString unavailable;  // why the library holds no text of it ("skipped: binary …"); "" when it does
  qint64 document_id = 0;
  qint64 too_large_bytes = 0;  // skipped as too large: its size, so the reader can offer a larger cap
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

  // Shows the find bar with its term selected for typing over.
  void showFind();
  // Looks for the find bar's term after (before) the current place; the bar says what was found.
  void findNext(bool backwards = false);
  void hideFind();  // and the term's marks go
  QLineEdit* findEdit() const { return find_edit_; }
  // Text documents this panel's reads built and not freed yet, shown or not; outlives the panel (a read
  // still running when it closes frees its document later). For tests.
  std::shared_ptr<const std::atomic<int>> builtDocumentsAlive() const { return built_alive_; }
  QLabel* findStatus() const { return find_status_; }

 Q_SIGNALS:
  // The document is on screen at the cited place (for PDFs once the page is rendered).
  void shown(const QString& path);
  // It could not be shown; the message (file and reason) is on screen instead.
  void failed(const QString& message);
  // The reader's offer for a file skipped as too large was taken: read text files up to `max_bytes`
  // in its collection and read this document again (folio ingest --max-file-mib).
  void readLargerFileRequested(qint64 document_id, qint64 max_bytes);

 private:
  void showMessage(const QString& message, qint64 offer_cap_bytes = 0);
  bool eventFilter(QObject* watched, QEvent* event) override;  // Esc in the find bar closes it

  QStackedWidget* stack_;
  QLabel* placeholder_;  // the hint before anything is opened, and what could not be shown
  QWidget* message_page_;     // placeholder_ and, for a file skipped as too large, read_larger_
  QPushButton* read_larger_;
  qint64 offered_cap_ = 0;
  ElidedLabel* title_;
  PdfView* pdf_;
  CodeView* code_;
  QWidget* find_bar_;
  QLineEdit* find_edit_;
  QLabel* find_status_;
  ReaderLocation where_;  // where_.file always set
  QFutureWatcher<TextRead> text_watcher_;
  // the documents its reads built that are alive (BuiltDocument::AliveCount)
  std::shared_ptr<std::atomic<int>> built_alive_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace folio::ui
