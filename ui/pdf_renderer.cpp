#include "ui/pdf_renderer.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <poppler-qt6.h>

namespace folio::ui {

PdfRenderer::PdfRenderer(QObject* parent) : QObject(parent) {
  qRegisterMetaType<QList<QRectF>>();
  pool_.setMaxThreadCount(1);
}

PdfRenderer::~PdfRenderer() {
  pool_.waitForDone();
  // The document goes on the worker side's terms: nothing runs on pool_ any more.
  doc_.reset();
}

QStringList highlightNeedles(const QString& text, int max_lines) {
  QStringList out;
  for (const QString& line : text.split('\n')) {
    const QString s = line.simplified();
    if (s.size() < 4) continue;
    out << s;
    if (out.size() >= max_lines) break;
  }
  return out;
}

int PdfRenderer::open(const QString& path) {
  const int request = ++next_request_;
  pool_.start([this, request, path] {
    std::unique_ptr<Poppler::Document> d = Poppler::Document::load(path);
    if (!d || d->isLocked()) {
      doc_.reset();
      const QString m = d ? tr("%1: the PDF is encrypted").arg(path) : tr("%1: not a readable PDF").arg(path);
      QMetaObject::invokeMethod(this, [this, request, m] { Q_EMIT openFailed(request, m); }, Qt::QueuedConnection);
      return;
    }
    d->setRenderHint(Poppler::Document::Antialiasing);
    d->setRenderHint(Poppler::Document::TextAntialiasing);
    const int pages = d->numPages();
    QSizeF size;
    if (pages > 0)
      if (std::unique_ptr<Poppler::Page> first = d->page(0)) size = first->pageSizeF();
    doc_ = std::move(d);
    QMetaObject::invokeMethod(this, [this, request, pages, path, size] { Q_EMIT opened(request, pages, path, size); },
                              Qt::QueuedConnection);
  });
  return request;
}

int PdfRenderer::render(int page, double dpi, const QString& highlight) {
  const int request = ++next_request_;
  pool_.start([this, request, page, dpi, highlight] {
    if (!doc_ || page < 0 || page >= doc_->numPages()) return;
    std::unique_ptr<Poppler::Page> p = doc_->page(page);
    if (!p) return;
    QImage image = p->renderToImage(dpi, dpi);
    QList<QRectF> rects;
    const double scale = dpi / 72.0;  // search rects are in points
    for (const QString& needle : highlightNeedles(highlight))
      for (const QRectF& r : p->search(needle, Poppler::Page::IgnoreCase))
        rects << QRectF(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale);
    QMetaObject::invokeMethod(this, [this, request, page, image, rects] { Q_EMIT rendered(request, page, image, rects); },
                              Qt::QueuedConnection);
  });
  return request;
}

}  // namespace folio::ui
