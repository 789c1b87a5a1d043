// PDFs with scanned pages for the OCR tests: a page is either text (Helvetica lines, a text layer) or a
// grayscale image with no text layer, as a scanner writes it. The image of a text page is rendered by
// poppler from a text PDF, so the words on it are known.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::test {

struct GrayImage {
  int width = 0, height = 0;
  int dpi = 200;
  std::vector<uint8_t> pixels;  // row by row, 0 black .. 255 white
};

struct PdfPageSpec {
  std::vector<std::string> lines;  // a text page when `image` is empty
  GrayImage image;                 // an image-only page
};

// The lines rendered as a scan would show them (a page of the benchmark's text PDF at `dpi`).
GrayImage renderTextPage(const std::vector<std::string>& lines, int dpi = 200);

// The bytes of a PDF with these pages.
std::string writeMixedPdf(const std::vector<PdfPageSpec>& pages);

}  // namespace folio::test
