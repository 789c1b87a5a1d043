#include "support/annotated_pdf.h"

#include "bench/bench_pdf_writer.h"

namespace folio::test {

std::string writeAnnotatedPdf(const std::vector<std::string>& lines, const std::vector<std::string>& annots) {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;  // of objects 1..n
  auto object = [&](const std::string& body) {
    offsets.push_back(out.size());
    out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  // 1 catalog, 2 pages, 3 page, 4 content, then the annotations from annotObject(0).
  std::string content = "BT /F1 12 Tf 72 720 Td 16 TL\n";
  for (const std::string& line : lines) content += "(" + line + ") Tj T*\n";
  content += "ET";
  std::string refs;
  for (size_t i = 0; i < annots.size(); ++i) refs += std::to_string(annotObject(static_cast<int>(i))) + " 0 R ";
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 << /Type /Font "
         "/Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R /Annots [" + refs + "] >>");
  object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  for (const std::string& a : annots) object(a);
  bench::appendXrefAndTrailer(out, offsets);
  return out;
}

}  // namespace folio::test
