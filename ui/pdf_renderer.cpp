#include "ui/pdf_renderer.h"

#include <QBuffer>
#include <QFile>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <poppler-qt6.h>

#include "ingest/archive_member.h"
#include "ingest/image_pdf.h"
#include "ui/local_path.h"

namespace folio::ui {

// Poppler reads the file through a QIODevice opened from the path's bytes: its load(QString) would
// look for a UTF-8 spelling of a name that may not be UTF-8. The file outlives the document. An image
// file (a fax, a scan) is shown as the PDF of its pages that ingest reads by OCR (image_pdf.h), and a
// PDF inside a zip archive (archive_member.h) as its bytes read out of it, held in `held`.
struct PdfRenderer::OpenDocument {
  QFile file;
  QByteArray held;
  QBuffer held_buffer;
  std::unique_ptr<Poppler::Document> doc;
};

namespace {

// The largest image file shown (as the ingest caps binary files).
constexpr qint64 kMaxImageBytes = qint64{512} << 20;

}  // namespace

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

int PdfRenderer::open(const std::filesystem::path& file) {
  const int request = ++next_request_;
  pool_.start([this, request, file] {
    const QString path = displayPath(file);
    auto fail = [this, request](const QString& m) {
      doc_.reset();
      QMetaObject::invokeMethod(this, [this, request, m] { Q_EMIT openFailed(request, m); }, Qt::QueuedConnection);
    };
    auto d = std::make_shared<OpenDocument>();
    const auto hold = [&d](std::string_view bytes) {
      d->held = QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
      d->held_buffer.setBuffer(&d->held);
      d->held_buffer.open(QIODevice::ReadOnly);
    };
    QString error;
    if (ingest::archiveMemberOf(file)) {  // a PDF or a scan inside a zip archive
      auto bytes = ingest::readDocumentBytes(file, kMaxImageBytes);
      if (!bytes.ok()) return fail(QString::fromStdString(bytes.error().message));
      hold(*bytes);
    } else if (!openForReading(d->file, file, &error)) {
      return fail(tr("%1: %2").arg(path, error));
    } else if (ingest::isImageFile(d->file.peek(8).toStdString())) {
      if (d->file.size() > kMaxImageBytes) return fail(tr("%1: larger than 512 MiB, not shown").arg(path));
      const QByteArray bytes = d->file.readAll();
      hold(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
    }
    QIODevice& source = d->held_buffer.isOpen() ? static_cast<QIODevice&>(d->held_buffer) : d->file;
    if (ingest::isImageFile(source.peek(8).toStdString())) {
      auto pdf = ingest::imageAsPdf(std::string_view(d->held.constData(), static_cast<size_t>(d->held.size())), path.toStdString());
      if (!pdf.ok()) return fail(QString::fromStdString(pdf.error().message));
      d->held_buffer.close();
      hold(*pdf);
    }
    d->doc = Poppler::Document::load(d->held_buffer.isOpen() ? static_cast<QIODevice*>(&d->held_buffer) : &d->file);
    if (!d->doc) return fail(tr("%1: not a readable PDF").arg(path));
    if (d->doc->isLocked()) return fail(tr("%1: the PDF is encrypted").arg(path));
    d->doc->setRenderHint(Poppler::Document::Antialiasing);
    d->doc->setRenderHint(Poppler::Document::TextAntialiasing);
    const int pages = d->doc->numPages();
    QSizeF size;
    if (pages > 0)
      if (std::unique_ptr<Poppler::Page> first = d->doc->page(0)) size = first->pageSizeF();
    doc_ = std::move(d);
    QMetaObject::invokeMethod(this, [this, request, pages, path, size] { Q_EMIT opened(request, pages, path, size); },
                              Qt::QueuedConnection);
  });
  return request;
}

int PdfRenderer::render(int page, double dpi, const QString& highlight, const QString& find) {
  const int request = ++next_request_;
  pool_.start([this, request, page, dpi, highlight, find] {
    if (!doc_ || page < 0 || page >= doc_->doc->numPages()) return;
    std::unique_ptr<Poppler::Page> p = doc_->doc->page(page);
    if (!p) return;
    QImage image = p->renderToImage(dpi, dpi);
    const double scale = dpi / 72.0;  // search rects are in points
    const auto occurrences = [&](const QString& needle, QList<QRectF>& into) {
      for (const QRectF& r : p->search(needle, Poppler::Page::IgnoreCase))
        into << QRectF(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale);
    };
    QList<QRectF> rects, find_rects;
    for (const QString& needle : highlightNeedles(highlight)) occurrences(needle, rects);
    if (!find.isEmpty()) occurrences(find, find_rects);
    QMetaObject::invokeMethod(this, [this, request, page, image, rects, find_rects] {
      Q_EMIT rendered(request, page, image, rects, find_rects);
    }, Qt::QueuedConnection);
  });
  return request;
}

int PdfRenderer::findPage(const QString& text, int from, bool backwards) {
  const int request = ++next_request_;
  latest_find_ = request;
  pool_.start([this, request, text, from, backwards] {
    int found = -1;
    const int pages = doc_ ? doc_->doc->numPages() : 0;
    for (int i = 0; i < pages && !text.isEmpty(); ++i) {
      if (latest_find_ != request) return;  // superseded: a newer find answers instead
      const int page = ((from + (backwards ? -i : i)) % pages + pages) % pages;
      std::unique_ptr<Poppler::Page> p = doc_->doc->page(page);
      if (p && !p->search(text, Poppler::Page::IgnoreCase).isEmpty()) {
        found = page;
        break;
      }
    }
    QMetaObject::invokeMethod(this, [this, request, found] { Q_EMIT foundPage(request, found); }, Qt::QueuedConnection);
  });
  return request;
}

}  // namespace folio::ui
