// Renders the sample PDFs in resources/samples/ from their HTML sources in tools/make_samples/src/,
// with Qt's text layout and PDF writer (real text, several pages, selectable).
//   folio_make_samples <src-dir> <out-dir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <cstdio>

namespace {

bool renderPdf(const QString& html_path, const QString& pdf_path, const QString& title) {
  QFile in(html_path);
  if (!in.open(QIODevice::ReadOnly)) {
    std::fprintf(stderr, "cannot read %s\n", qPrintable(html_path));
    return false;
  }
  QTextDocument doc;
  doc.setHtml(QString::fromUtf8(in.readAll()));
  QPdfWriter writer(pdf_path);
  writer.setTitle(title);
  writer.setCreator("Folio sample generator");
  writer.setPageSize(QPageSize(QPageSize::A4));
  writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout::Millimeter);
  writer.setResolution(300);
  doc.setDefaultFont(QFont("DejaVu Serif", 11));
  doc.print(&writer);  // lays the text out in points on A4 pages; the page count comes from that layout
  std::printf("wrote %s\n", qPrintable(pdf_path));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");  // no window is needed to write PDFs
  }
  QGuiApplication app(argc, argv);
  if (argc != 3) {
    std::fprintf(stderr, "usage: folio_make_samples <src-dir> <out-dir>\n");
    return 64;
  }
  const QString src = QString::fromLocal8Bit(argv[1]), out = QString::fromLocal8Bit(argv[2]);
  bool ok = renderPdf(src + "/services-agreement.html", out + "/contracts/services-agreement.pdf",
                      "Master Services Agreement — Northwind Analytics and Harbor Freight Logistics");
  ok = renderPdf(src + "/paper.html", out + "/papers/decay-gated-retrieval.pdf",
                 "Decay-Gated Linear Attention for Long-Document Retrieval") && ok;
  return ok ? 0 : 1;
}
