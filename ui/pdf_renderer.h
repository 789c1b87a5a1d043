// Poppler access for the reader (widget-free): opens a PDF, renders pages and finds the rectangles of a
// cited span, all on one worker thread so Poppler is used by one thread at a time. Results come back as
// queued signals tagged with the request number; stale results (an older request) can be ignored.
#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QRectF>
#include <QSizeF>
#include <QThreadPool>
#include <atomic>
#include <filesystem>
#include <memory>

namespace Poppler {
class Document;
}

namespace folio::ui {

class PdfRenderer : public QObject {
  Q_OBJECT

 public:
  explicit PdfRenderer(QObject* parent = nullptr);
  ~PdfRenderer() override;

  // Returns the request number carried by the signals. `file` need not be UTF-8 (see local_path.h).
  int open(const std::filesystem::path& file);
  // page: 0-based. dpi: render resolution. highlight: text whose occurrences on the page are found
  // (each line of it searched separately; lines under 4 characters are ignored). find: a term searched
  // for by the user, whose every occurrence on the page is found too (any length).
  int render(int page, double dpi, const QString& highlight, const QString& find = {});
  // The first page from `from` on (0-based; going back from it when `backwards`), wrapping around the
  // document, on which `text` occurs (case-insensitive): foundPage, page −1 when none. A newer
  // findPage stops an older one between pages.
  int findPage(const QString& text, int from, bool backwards);
  void shutdown() { pool_.waitForDone(); }

 Q_SIGNALS:
  // page_size: the first page in points (1/72 inch).
  void opened(int request, int page_count, const QString& path, const QSizeF& page_size);
  void openFailed(int request, const QString& message);
  // rects (the highlight's) and find_rects (the find term's): in image pixels.
  void rendered(int request, int page, const QImage& image, const QList<QRectF>& rects,
                const QList<QRectF>& find_rects);
  void foundPage(int request, int page);

 private:
  QThreadPool pool_;                         // one thread: serialises every Poppler call
  struct OpenDocument;                      // the document and the file it reads from
  std::shared_ptr<OpenDocument> doc_;        // touched only by jobs on pool_
  int next_request_ = 0;
  std::atomic<int> latest_find_{0};
};

// The lines of `text` worth searching for on a page: trimmed, whitespace collapsed, at least 4
// characters, at most `max_lines` of them.
QStringList highlightNeedles(const QString& text, int max_lines = 60);

}  // namespace folio::ui
