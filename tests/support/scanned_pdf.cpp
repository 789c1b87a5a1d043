#include "support/scanned_pdf.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <memory>
#include <stdexcept>

#include "bench/bench_pdf_writer.h"

namespace folio::test {

GrayImage renderTextPage(const std::vector<std::string>& lines, int dpi) {
  const std::string pdf = bench::writeTextPdf({lines}, "scan");
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) throw std::runtime_error("renderTextPage: poppler could not read the text PDF");
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  const poppler::image img = renderer.render_page(page.get(), dpi, dpi);
  GrayImage out;
  out.width = img.width();
  out.height = img.height();
  out.dpi = dpi;
  out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));
  for (int y = 0; y < out.height; ++y) {
    const char* row = img.const_data() + static_cast<size_t>(y) * static_cast<size_t>(img.bytes_per_row());
    std::copy(row, row + out.width, out.pixels.begin() + static_cast<std::ptrdiff_t>(y) * out.width);
  }
  return out;
}

std::string writeMixedPdf(const std::vector<PdfPageSpec>& pages) {
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;  // of objects 1..n
  auto object = [&](const std::string& body) {
    offsets.push_back(out.size());
    out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    return offsets.size();
  };
  // 1 catalog, 2 pages, 3 font; then per page: page, content, [image].
  const size_t n = pages.size();
  std::vector<size_t> page_ids;
  size_t next = 4;
  for (const auto& p : pages) {
    page_ids.push_back(next);
    next += p.image.pixels.empty() ? 2 : 3;
  }
  object("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (size_t id : page_ids) kids += std::to_string(id) + " 0 R ";
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (size_t i = 0; i < n; ++i) {
    const PdfPageSpec& p = pages[i];
    const size_t id = page_ids[i];
    if (p.image.pixels.empty()) {
      std::string content = "BT /F1 12 Tf 72 770 Td 14 TL\n";
      for (const auto& line : p.lines) content += "(" + line + ") Tj T*\n";
      content += "ET";
      object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
             std::to_string(id + 1) + " 0 R >>");
      object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    } else {
      const double w = p.image.width * 72.0 / p.image.dpi, h = p.image.height * 72.0 / p.image.dpi;
      const std::string size = std::to_string(static_cast<int>(w)) + " " + std::to_string(static_cast<int>(h));
      const std::string content = "q " + std::to_string(static_cast<int>(w)) + " 0 0 " + std::to_string(static_cast<int>(h)) + " 0 0 cm /Im0 Do Q";
      object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + size + "] /Resources << /XObject << /Im0 " +
             std::to_string(id + 2) + " 0 R >> >> /Contents " + std::to_string(id + 1) + " 0 R >>");
      object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
      object("<< /Type /XObject /Subtype /Image /Width " + std::to_string(p.image.width) + " /Height " +
             std::to_string(p.image.height) + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " +
             std::to_string(p.image.pixels.size()) + " >>\nstream\n" +
             std::string(p.image.pixels.begin(), p.image.pixels.end()) + "\nendstream");
    }
  }
  bench::appendXrefAndTrailer(out, offsets);
  return out;
}

}  // namespace folio::test
