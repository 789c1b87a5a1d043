#include "ingest/ocr_readings_in_run.h"

#include <chrono>
#include <utility>

namespace folio::ingest {

std::optional<OcrPageTexts> OcrReadingsInRun::acquire(const std::string& pdf_hash, const std::atomic<bool>* cancel) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (auto made = made_.find(pdf_hash); made != made_.end()) return made->second;
    const auto reader = reading_.find(pdf_hash);
    if (reader == reading_.end()) {
      reading_.emplace(pdf_hash, std::this_thread::get_id());
      return std::nullopt;
    }
    // Read twice by one thread (the same file attached twice to a message is read in turn, never inside
    // itself); never wait for oneself.
    if (reader->second == std::this_thread::get_id()) return std::nullopt;
    if (cancel != nullptr && cancel->load()) return std::nullopt;
    done_.wait_for(lock, std::chrono::milliseconds(200));  // and look at `cancel` again
  }
}

void OcrReadingsInRun::finished(const std::string& pdf_hash, const OcrPageTexts* readings) {
  {
    std::lock_guard lock(mu_);
    const auto reader = reading_.find(pdf_hash);
    if (reader == reading_.end() || reader->second != std::this_thread::get_id()) return;
    reading_.erase(reader);
    if (readings != nullptr && !readings->pages.empty()) keep(pdf_hash, *readings);
  }
  done_.notify_all();
}

void OcrReadingsInRun::keep(const std::string& pdf_hash, const OcrPageTexts& readings) {
  size_t size = pdf_hash.size();
  for (const auto& [page, text] : readings.pages) size += text.size() + sizeof page;
  if (size > max_bytes_) return;
  if (auto old = made_.find(pdf_hash); old != made_.end()) {  // read again: pages a timeout left unread
    for (auto it = order_.begin(); it != order_.end(); ++it) {
      if (it->first != pdf_hash) continue;
      bytes_ -= it->second;
      order_.erase(it);
      break;
    }
    made_.erase(old);
  }
  while (bytes_ + size > max_bytes_ && !order_.empty()) {
    bytes_ -= order_.front().second;
    made_.erase(order_.front().first);
    order_.pop_front();
  }
  made_.emplace(pdf_hash, readings);
  order_.emplace_back(pdf_hash, size);
  bytes_ += size;
}

size_t OcrReadingsInRun::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace folio::ingest
