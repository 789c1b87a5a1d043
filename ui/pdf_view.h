// The PDF reader: one page at a time rendered by PdfRenderer (off the GUI thread), page navigation,
// zoom, and the cited span drawn as translucent rectangles over the page.
#pragma once

#include <QImage>
#include <QList>
#include <QRectF>
#include <QWidget>
#include <filesystem>

class QLabel;
class QScrollArea;
class QSpinBox;
class QToolButton;

namespace folio::ui {

class PdfRenderer;

class PdfView : public QWidget {
  Q_OBJECT

 public:
  explicit PdfView(QWidget* parent = nullptr);
  ~PdfView() override;

  // page: 1-based (0 = the first page). highlight: the cited text ("" for none).
  void openPdf(const QString& path, int page, const QString& highlight);
  // The same for a file whose name need not be UTF-8 (see local_path.h).
  void openPdf(const std::filesystem::path& file, int page, const QString& highlight);
  void showPage(int page);  // 1-based
  void zoomIn();
  void zoomOut();
  void setZoom(double zoom);
  // Shows the next page holding `text` (case-insensitive; the previous one when `backwards`) with every
  // occurrence marked, wrapping around the document. A new term is looked for from the current page on,
  // the same term again from the page after (before) it. findFinished says where.
  void find(const QString& text, bool backwards);
  void clearFind();  // the find term's marks go

  QString path() const { return path_; }
  int pageCount() const { return page_count_; }
  int currentPage() const { return page_; }  // 1-based, 0 before the first render
  double zoom() const { return zoom_; }
  const QList<QRectF>& highlightRects() const { return rects_; }
  const QList<QRectF>& findRects() const { return find_rects_; }
  const QImage& pageImage() const { return image_; }

 Q_SIGNALS:
  void pageShown(int page, int highlights);
  // page: 1-based where `text` was found, 0 when it is nowhere in the document.
  void findFinished(const QString& text, int page);
  void failed(const QString& message);

 private:
  void requestRender();

  PdfRenderer* renderer_;
  QScrollArea* scroll_;
  QWidget* canvas_;
  QSpinBox* page_box_;
  QLabel* page_total_;
  QLabel* zoom_label_;
  QString path_, highlight_;  // path_: for display
  QString find_;              // the term the user searched the document for ("" none)
  QList<QRectF> find_rects_;
  int find_request_ = 0;
  std::filesystem::path file_;
  int page_count_ = 0, page_ = 0, wanted_page_ = 1;
  int open_request_ = 0, render_request_ = 0;
  double zoom_ = 1.0;
  QImage image_;
  QList<QRectF> rects_;
};

}  // namespace folio::ui
