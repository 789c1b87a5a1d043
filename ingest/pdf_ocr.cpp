#include "ingest/pdf_ocr.h"

#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>

#include <cstdlib>
#include <vector>

namespace folio::ingest {

struct PageOcr::Engine {
  tesseract::TessBaseAPI api;
};

bool needsOcr(const std::string& text) {
  int chars = 0;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r' && ++chars >= kOcrMinTextChars) return false;
  }
  return true;
}

PageOcr::PageOcr() = default;
PageOcr::~PageOcr() {
  if (engine_) engine_->api.End();
}

Result<std::string> PageOcr::read(const poppler::page& page, int dpi) {
  if (!unavailable_.empty()) return badInput(unavailable_);
  if (!engine_) {
    // One thread: ingest runs several extractions side by side, each in its own child.
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    auto engine = std::make_unique<Engine>();
    if (engine->api.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
      unavailable_ =
          "OCR is unavailable: Tesseract's English language data is missing (install tesseract-ocr-eng, or set "
          "TESSDATA_PREFIX)";
      return badInput(unavailable_);
    }
    engine->api.SetPageSegMode(tesseract::PSM_AUTO);
    engine_ = std::move(engine);
  }
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  const poppler::image image = renderer.render_page(&page, dpi, dpi);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) return badInput("the page could not be rendered for OCR");
  engine_->api.SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(), image.height(), 1,
                        image.bytes_per_row());
  engine_->api.SetSourceResolution(dpi);
  std::unique_ptr<char[]> text(engine_->api.GetUTF8Text());
  engine_->api.Clear();
  if (!text) return badInput("OCR of the page failed");
  return std::string(text.get());
}

}  // namespace folio::ingest
