#include "tests/bench/bench_pdf_writer.h"

#include <cstdio>

namespace folio::bench {
namespace {

// A PDF literal string: backslash, parentheses escaped; non-ASCII replaced (WinAnsi is not UTF-8).
std::string pdfString(const std::string& s) {
  std::string out = "(";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == '(' || c == ')') out += '\\';
    out += (c >= 0x20 && c < 0x7F) ? ch : '?';
  }
  return out + ")";
}

}  // namespace

std::string writeTextPdf(const std::vector<std::vector<std::string>>& pages, const std::string& title) {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;  // offsets[k] = byte offset of object k + 1
  auto begin = [&](size_t number) {
    if (offsets.size() < number) offsets.resize(number);
    offsets[number - 1] = pdf.size();
    pdf += std::to_string(number) + " 0 obj\n";
  };
  const size_t n = pages.size();
  // 1 catalog, 2 pages, 3 font, 4 info, then per page: page object 5 + 2i, contents 6 + 2i.
  begin(1);
  pdf += "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  begin(2);
  pdf += "<< /Type /Pages /Count " + std::to_string(n) + " /Kids [";
  for (size_t i = 0; i < n; ++i) pdf += std::to_string(5 + 2 * i) + " 0 R ";
  pdf += "] >>\nendobj\n";
  begin(3);
  pdf += "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n";
  begin(4);
  pdf += "<< /Title " + pdfString(title) + " /Producer (folio bench_ingest) >>\nendobj\n";
  for (size_t i = 0; i < n; ++i) {
    begin(5 + 2 * i);
    pdf += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
           std::to_string(6 + 2 * i) + " 0 R >>\nendobj\n";
    std::string content = "BT\n/F1 10 Tf\n12 TL\n50 750 Td\n";
    for (const auto& line : pages[i]) content += pdfString(line) + " Tj T*\n";
    content += "ET\n";
    begin(6 + 2 * i);
    pdf += "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream\nendobj\n";
  }
  appendXrefAndTrailer(pdf, offsets, "/Info 4 0 R");
  return pdf;
}

void appendXrefAndTrailer(std::string& pdf, const std::vector<size_t>& offsets, const std::string& trailer_extra) {
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  char entry[32];
  for (size_t off : offsets) {
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R " + trailer_extra +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

}  // namespace folio::bench
