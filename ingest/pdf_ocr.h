// OCR of PDF pages that have no text layer (scans, faxes, photographed exhibits), inside the PDF
// extraction child (pdf_extract.cpp): the page is rendered by poppler and read by Tesseract. No Qt.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/common/result.h"
#include "ingest/ocr_texts.h"

namespace poppler {
class image;
class page;
}  // namespace poppler

namespace folio::ingest {

// Pages whose text layer holds fewer non-space characters than this are read by OCR.
inline constexpr int kOcrMinTextChars = 16;
inline constexpr int kOcrDpi = 300;
// A page larger than this at kOcrDpi (a drawing, a poster exhibit; A3 is 17 million) is read at the
// resolution that fits: 1 byte a pixel, and up to 2 x threads renderings wait for the OCR threads.
inline constexpr double kOcrMaxPixels = 24e6;
inline constexpr double kOcrMaxSide = 30000;  // Tesseract's coordinates are 16-bit
// A page read with a mean word confidence below this is read again upside down, and the better kept.
inline constexpr int kOcrUpsideDownConfidence = 50;

// Whether `text` (a page's text layer) is too thin to be the page's text.
bool needsOcr(std::string_view text);

// Why pages without a text layer were left empty, when OCR was off or could not start (missing
// language data): a later ingest with OCR on reads such a document again.
inline constexpr std::string_view kOcrOff = "OCR is off (--no-ocr)";
inline constexpr std::string_view kOcrUnavailable = "OCR is unavailable: ";

// The note a document keeps (DocumentRecord::error of an ok document) when `unread` of its `pages` have
// no text layer and were left empty, and `why` (kOcrOff, kOcrUnavailable..., a page OCR failed on).
std::string unreadPagesNote(int unread, int pages, std::string_view why);
// Whether `note` is such a note for pages left empty because OCR was off or unavailable, which OCR may
// read now (the other reasons come again with the same bytes).
bool ocrMayReadUnreadPages(std::string_view note);

// The resolution `page` is read at: kOcrDpi, less for a page of more than kOcrMaxPixels (or a side of
// more than kOcrMaxSide) at kOcrDpi.
int ocrDpi(const poppler::page& page);

// A grayscale rendering of `page` for OCR (poppler, which must stay on one thread).
poppler::image renderForOcr(const poppler::page& page, int dpi = kOcrDpi);

// One Tesseract engine (one thread) for `languages` (ocr_languages.h: "eng", "deu+eng"), started on
// first use. When its language data is missing the error says so, and says it again for every page.
class PageOcr {
 public:
  explicit PageOcr(std::string languages = std::string(kDefaultOcrLanguages));
  ~PageOcr();
  PageOcr(const PageOcr&) = delete;
  PageOcr& operator=(const PageOcr&) = delete;

  Result<std::string> recognize(const poppler::image& image, int dpi = kOcrDpi);
  // Why the engine cannot start (kOcrUnavailable...), once a recognize() found out; "" until then.
  const std::string& unavailable() const { return unavailable_; }

 private:
  struct Engine;
  struct Read {
    std::string text;
    int confidence = 0;  // Tesseract's mean word confidence, 0..100
  };
  std::optional<Read> readPixels(const unsigned char* pixels, int width, int height, int stride, int dpi);

  std::string languages_;
  std::unique_ptr<Engine> engine_;
  std::string unavailable_;  // why the engine could not start, once it failed
};

// Rendered pages read on `threads` threads, each with an engine of its own; the texts come back in the
// order the pages went in. At most 2 × threads pages wait (a rendering is ~8 MB for a letter page, at
// most 24 MB).
class OcrPool {
 public:
  OcrPool(int threads, std::string languages);
  ~OcrPool();
  OcrPool(const OcrPool&) = delete;
  OcrPool& operator=(const OcrPool&) = delete;

  void submit(std::unique_ptr<poppler::image> image, int dpi);  // waits while the pool is full
  Result<std::string> next();                          // the oldest page's text, once read
  size_t inFlight() const;
  // Why the engines cannot start, once one of them found out: the pages after need not be rendered.
  std::string unavailable() const;
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  struct Job {
    std::unique_ptr<poppler::image> image;
    int dpi = kOcrDpi;
    std::optional<Result<std::string>> text;
  };
  void work();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Job>> jobs_;  // in submission order
  size_t next_unclaimed_ = 0;              // index into jobs_ of the first job no worker took
  bool stopping_ = false;
  std::string unavailable_;
  const std::string languages_;
  std::vector<std::thread> workers_;
};

}  // namespace folio::ingest
