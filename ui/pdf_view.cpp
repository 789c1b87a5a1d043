#include "ui/pdf_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/local_path.h"
#include "ui/pdf_renderer.h"

namespace folio::ui {
namespace {

// Paints the rendered page and the highlight rectangles.
class PageCanvas : public QWidget {
 public:
  explicit PageCanvas(const PdfView* view) : view_(view) { setObjectName("pdfPage"); }
  void refresh() {
    const QImage& img = view_->pageImage();
    setFixedSize(img.isNull() ? QSize(1, 1) : img.size() / img.devicePixelRatio());
    update();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    const QImage& img = view_->pageImage();
    if (img.isNull()) return;
    p.drawImage(QPoint(0, 0), img);
    const double dpr = img.devicePixelRatio();
    const auto mark = [&](const QList<QRectF>& rects, const QColor& fill) {
      for (const QRectF& r : rects) p.fillRect(QRectF(r.x() / dpr, r.y() / dpr, r.width() / dpr, r.height() / dpr), fill);
    };
    mark(view_->highlightRects(), QColor(255, 200, 0, 110));  // the cited span: yellow
    mark(view_->findRects(), QColor(0, 150, 255, 90));        // the find term: blue
  }

 private:
  const PdfView* view_;
};

}  // namespace

PdfView::PdfView(QWidget* parent) : QWidget(parent) {
  setObjectName("pdfView");
  renderer_ = new PdfRenderer(this);
  auto* prev = new QToolButton;
  prev->setText(tr("◀"));
  prev->setToolTip(tr("Previous page (Page Up)"));
  auto* next = new QToolButton;
  next->setText(tr("▶"));
  next->setToolTip(tr("Next page (Page Down)"));
  page_box_ = new QSpinBox;
  page_box_->setObjectName("pageBox");
  page_box_->setRange(0, 0);
  page_total_ = new QLabel("/ 0");
  auto* zoom_out = new QToolButton;
  zoom_out->setText("−");
  zoom_out->setToolTip(tr("Zoom out (Ctrl+-)"));
  auto* zoom_in = new QToolButton;
  zoom_in->setText("+");
  zoom_in->setToolTip(tr("Zoom in (Ctrl++)"));
  zoom_label_ = new QLabel("100%");
  auto* bar = new QHBoxLayout;
  bar->addWidget(prev);
  bar->addWidget(page_box_);
  bar->addWidget(page_total_);
  bar->addWidget(next);
  bar->addStretch();
  bar->addWidget(zoom_out);
  bar->addWidget(zoom_label_);
  bar->addWidget(zoom_in);
  auto* canvas = new PageCanvas(this);
  canvas_ = canvas;
  scroll_ = new QScrollArea;
  scroll_->setWidget(canvas_);
  scroll_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
  scroll_->setBackgroundRole(QPalette::Dark);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(scroll_, 1);

  connect(prev, &QToolButton::clicked, this, [this] { showPage(page_ - 1); });
  connect(next, &QToolButton::clicked, this, [this] { showPage(page_ + 1); });
  connect(zoom_in, &QToolButton::clicked, this, &PdfView::zoomIn);
  connect(zoom_out, &QToolButton::clicked, this, &PdfView::zoomOut);
  connect(page_box_, &QSpinBox::editingFinished, this, [this] { showPage(page_box_->value()); });
  connect(renderer_, &PdfRenderer::opened, this, [this](int request, int pages, const QString&, const QSizeF& size) {
    if (request != open_request_) return;
    page_count_ = pages;
    // A new document opens at the zoom that fits the page's width in the view (at most 150%).
    if (size.width() > 0) {
      const double fit = (scroll_->viewport()->width() - 24) / (size.width() / 72.0 * 96.0);
      zoom_ = std::clamp(fit, 0.25, 1.5);
      zoom_label_->setText(QString("%1%").arg(qRound(zoom_ * 100)));
    }
    page_box_->setRange(pages > 0 ? 1 : 0, pages);
    page_total_->setText(tr("/ %1").arg(pages));
    showPage(wanted_page_);
  });
  connect(renderer_, &PdfRenderer::foundPage, this, [this](int request, int page) {
    if (request != find_request_) return;
    if (page >= 0) showPage(page + 1);
    Q_EMIT findFinished(find_, page + 1);
  });
  connect(renderer_, &PdfRenderer::openFailed, this, [this](int request, const QString& m) {
    if (request == open_request_) Q_EMIT failed(m);
  });
  connect(renderer_, &PdfRenderer::rendered, this,
          [this, canvas](int request, int page, const QImage& img, const QList<QRectF>& rects,
                         const QList<QRectF>& find_rects) {
            if (request != render_request_) return;  // a newer page or zoom was asked for
            image_ = img;
            image_.setDevicePixelRatio(devicePixelRatioF());
            rects_ = rects;
            find_rects_ = find_rects;
            page_ = page + 1;
            canvas->refresh();
            // scroll to the find term's first mark, else the citation's
            const QList<QRectF>& target = find_rects_.isEmpty() ? rects_ : find_rects_;
            if (!target.isEmpty()) {
              const QRectF first = target.front();
              scroll_->verticalScrollBar()->setValue(
                  std::max(0, static_cast<int>(first.y() / image_.devicePixelRatio()) - scroll_->viewport()->height() / 3));
            }
            Q_EMIT pageShown(page_, static_cast<int>(rects_.size()));
          });
}

PdfView::~PdfView() { renderer_->shutdown(); }

void PdfView::find(const QString& text, bool backwards) {
  if (page_count_ == 0 || text.isEmpty()) return;
  const int current = std::max(1, page_) - 1;  // 0-based
  const int from = text.compare(find_, Qt::CaseInsensitive) == 0 ? current + (backwards ? -1 : 1) : current;
  find_ = text;
  find_request_ = renderer_->findPage(text, from, backwards);
}

void PdfView::clearFind() {
  find_.clear();
  find_request_ = 0;  // an answer still on its way is not wanted (requests count from 1)
  if (!find_rects_.isEmpty()) requestRender();
}

void PdfView::openPdf(const QString& path, int page, const QString& highlight) {
  openPdf(localPath(path), page, highlight);
}

void PdfView::openPdf(const std::filesystem::path& file, int page, const QString& highlight) {
  highlight_ = highlight;
  wanted_page_ = std::max(1, page);
  find_.clear();  // a document opened at a citation shows the citation, not an earlier find
  find_request_ = 0;
  if (file == file_ && page_count_ > 0) return showPage(wanted_page_);
  file_ = file;
  path_ = displayPath(file);
  page_count_ = 0;
  page_ = 0;
  image_ = {};
  rects_.clear();
  static_cast<PageCanvas*>(canvas_)->refresh();
  open_request_ = renderer_->open(file);
}

void PdfView::showPage(int page) {
  if (page_count_ == 0) return;
  wanted_page_ = std::clamp(page, 1, page_count_);
  page_box_->setValue(wanted_page_);
  requestRender();
}

void PdfView::setZoom(double zoom) {
  zoom_ = std::clamp(zoom, 0.25, 4.0);
  zoom_label_->setText(QString("%1%").arg(qRound(zoom_ * 100)));
  requestRender();
}

void PdfView::zoomIn() { setZoom(zoom_ * 1.25); }
void PdfView::zoomOut() { setZoom(zoom_ / 1.25); }

void PdfView::requestRender() {
  if (page_count_ == 0) return;
  const double dpi = 96.0 * zoom_ * devicePixelRatioF();
  render_request_ = renderer_->render(wanted_page_ - 1, dpi, highlight_, find_);
}

}  // namespace folio::ui
