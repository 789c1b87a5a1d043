// OCR of PDF pages that have no text layer (scans, faxes, photographed exhibits), inside the PDF
// extraction child (pdf_extract.cpp): the page is rendered by poppler and read by Tesseract. No Qt.
#pragma once

#include <memory>
#include <string>

#include "engine/common/result.h"

namespace poppler {
class page;
}

namespace folio::ingest {

// Pages whose text layer holds fewer non-space characters than this are read by OCR.
inline constexpr int kOcrMinTextChars = 16;

// Whether `text` (a page's text layer) is too thin to be the page's text.
bool needsOcr(const std::string& text);

class PageOcr {
 public:
  PageOcr();
  ~PageOcr();
  PageOcr(const PageOcr&) = delete;
  PageOcr& operator=(const PageOcr&) = delete;

  // The text of `page` rendered at `dpi`. The engine starts on first use (English, one thread); when
  // its language data is missing the error says so, and says it again for every page.
  Result<std::string> read(const poppler::page& page, int dpi = 300);

 private:
  struct Engine;
  std::unique_ptr<Engine> engine_;
  std::string unavailable_;  // why the engine could not start, once it failed
};

}  // namespace folio::ingest
