#include "ingest/pdf_ocr.h"

#include <dlfcn.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "ingest/ocr_languages.h"

namespace folio::ingest {

struct PageOcr::Engine {
  tesseract::TessBaseAPI api;
};

bool needsOcr(std::string_view text) {
  int chars = 0;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r' && ++chars >= kOcrMinTextChars) return false;
  }
  return true;
}

namespace {

constexpr std::string_view kUnreadMark = " without a text layer left unread: ";

// Tesseract's LSTM asks OpenMP for 4 threads in its inner loops; on top of the OCR threads and the other
// files' children that read a page in 11-17 s instead of 2 s on 2 cores. OMP_THREAD_LIMIT=1 would stop
// it, but OpenMP reads that once, when a process starts. Instead no parallel region that the calling
// thread starts becomes active (libgomp keeps the setting per thread, so it is made before each page).
// Looked up at run time: libgomp is Tesseract's dependency, not ours (a Tesseract without OpenMP: none).
void serialiseOpenMp() {
  using SetLevels = void (*)(int);
  static const auto set = reinterpret_cast<SetLevels>(::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set) set(0);
}

// Why Tesseract could not load `languages`: the missing language and its package where one is missing.
std::string whyNotLoaded(const std::string& languages) {
  if (languages == kDefaultOcrLanguages)
    return "Tesseract's English language data is missing (install tesseract-ocr-eng, or set TESSDATA_PREFIX)";
  const Status missing = checkOcrLanguages(languages);
  if (!missing) return missing.error().message;
  return "Tesseract could not load its language data for " + languages;  // there, but damaged
}

}  // namespace

std::string unreadPagesNote(int unread, int pages, std::string_view why) {
  // A message's attached scans: the message itself has no pages to count them among.
  std::string note = pages < unread ? std::to_string(unread) + (unread == 1 ? " page" : " pages")
                                    : std::to_string(unread) + " of " + std::to_string(pages) + (pages == 1 ? " page" : " pages");
  note += kUnreadMark;
  note += why;
  return note;
}

bool ocrMayReadUnreadPages(std::string_view note) {
  const size_t mark = note.find(kUnreadMark);
  if (mark == std::string_view::npos) return false;
  const std::string_view why = note.substr(mark + kUnreadMark.size());
  return why == kOcrOff || why.starts_with(kOcrUnavailable);
}

int ocrDpi(const poppler::page& page) {
  const poppler::rectf box = page.page_rect();
  const double width = std::abs(box.width()) / 72.0, height = std::abs(box.height()) / 72.0;  // inches
  double dpi = kOcrDpi;
  if (width * height * dpi * dpi > kOcrMaxPixels) dpi = std::sqrt(kOcrMaxPixels / (width * height));
  if (std::max(width, height) * dpi > kOcrMaxSide) dpi = kOcrMaxSide / std::max(width, height);
  if (!std::isfinite(dpi)) return kOcrDpi;  // casting a NaN to int is undefined
  return std::clamp(static_cast<int>(dpi), 1, kOcrDpi);
}

poppler::image renderForOcr(const poppler::page& page, int dpi) {
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  return renderer.render_page(&page, dpi, dpi);
}

PageOcr::PageOcr(std::string languages) : languages_(std::move(languages)) {}
PageOcr::~PageOcr() {
  if (engine_) engine_->api.End();
}

Result<std::string> PageOcr::recognize(const poppler::image& image, int dpi) {
  if (!unavailable_.empty()) return badInput(unavailable_);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) return badInput("the page could not be rendered for OCR");
  if (!engine_) {
    auto engine = std::make_unique<Engine>();
    if (engine->api.Init(nullptr, languages_.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
      unavailable_ = std::string(kOcrUnavailable) + whyNotLoaded(languages_);
      return badInput(unavailable_);
    }
    engine->api.SetPageSegMode(tesseract::PSM_AUTO);
    engine_ = std::move(engine);
  }
  serialiseOpenMp();
  const auto* pixels = reinterpret_cast<const unsigned char*>(image.const_data());
  auto read = readPixels(pixels, image.width(), image.height(), image.bytes_per_row(), dpi);
  if (!read) return badInput("OCR of the page failed");
  // Tesseract turns pages on their side itself, not upside-down ones (a sheet fed the wrong way), which
  // it reads as nonsense of a low mean word confidence (a clean page: 95, upside down: 32).
  if (read->confidence < kOcrUpsideDownConfidence && !needsOcr(read->text)) {
    const size_t width = static_cast<size_t>(image.width()), height = static_cast<size_t>(image.height());
    std::vector<unsigned char> turned(width * height);  // [height, width], rotated by 180 degrees
    for (size_t y = 0; y < height; ++y) {
      const unsigned char* row = pixels + y * static_cast<size_t>(image.bytes_per_row());
      std::reverse_copy(row, row + width,
                        turned.begin() + static_cast<std::ptrdiff_t>((height - 1 - y) * width));
    }
    auto upside_down = readPixels(turned.data(), image.width(), image.height(), image.width(), dpi);
    if (upside_down && upside_down->confidence > read->confidence) read = std::move(upside_down);
  }
  return std::move(read->text);
}

std::optional<PageOcr::Read> PageOcr::readPixels(const unsigned char* pixels, int width, int height,
                                                 int stride, int dpi) {
  engine_->api.SetImage(pixels, width, height, 1, stride);
  engine_->api.SetSourceResolution(dpi);
  std::unique_ptr<char[]> text(engine_->api.GetUTF8Text());
  const int confidence = engine_->api.MeanTextConf();
  engine_->api.Clear();
  if (!text) return std::nullopt;
  return Read{std::string(text.get()), confidence};
}

OcrPool::OcrPool(int threads, std::string languages) : languages_(std::move(languages)) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { work(); });
}

OcrPool::~OcrPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& t : workers_) t.join();
}

void OcrPool::submit(std::unique_ptr<poppler::image> image, int dpi) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return jobs_.size() < 2 * workers_.size(); });
  auto job = std::make_shared<Job>();
  job->image = std::move(image);
  job->dpi = dpi;
  jobs_.push_back(std::move(job));
  changed_.notify_all();
}

Result<std::string> OcrPool::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !jobs_.empty() && jobs_.front()->text.has_value(); });
  Result<std::string> text = std::move(*jobs_.front()->text);
  jobs_.pop_front();
  --next_unclaimed_;  // the front was claimed (it is done)
  changed_.notify_all();
  return text;
}

std::string OcrPool::unavailable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return unavailable_;
}

size_t OcrPool::inFlight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

void OcrPool::work() {
  PageOcr ocr(languages_);  // an engine per thread: Tesseract's engines are not shared between threads
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || next_unclaimed_ < jobs_.size(); });
      if (next_unclaimed_ >= jobs_.size()) return;  // stopping, nothing left
      job = jobs_[next_unclaimed_++];
    }
    Result<std::string> text = ocr.recognize(*job->image, job->dpi);
    job->image.reset();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!ocr.unavailable().empty()) unavailable_ = ocr.unavailable();
      job->text = std::move(text);
    }
    changed_.notify_all();
  }
}

}  // namespace folio::ingest
