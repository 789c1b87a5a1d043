// The OCR readings made during one ingest run, shared by its extraction threads, so that a PDF met
// twice in a run — the same scan in two folders, one signed contract attached to thirty messages of a
// thread — is read by OCR once. The library keeps readings too (ocr_texts), but only once a document's
// batch is stored, and an attachment's only with its message; this covers the time in between.
//
// A thread about to read a PDF that another thread is reading waits for that reading rather than make its
// own (2 s of CPU a page). A thread holds at most one PDF at a time and waits only when it holds none, so
// two threads never wait on each other.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "ingest/ocr_texts.h"

namespace folio::ingest {

class OcrReadingsInRun {
 public:
  // Readings past this many bytes of text forget the oldest (~3 KB a page: some 20,000 pages).
  static constexpr size_t kDefaultMaxBytes = 64u << 20;

  explicit OcrReadingsInRun(size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // The readings of the PDF with this hash made in this run, after waiting while another thread reads
  // it. None: the calling thread now reads it, and must call finished() with the hash, whatever happens
  // (none too when `cancel` is set while waiting; the caller then stops).
  std::optional<OcrPageTexts> acquire(const std::string& pdf_hash, const std::atomic<bool>* cancel);

  // The calling thread's reading of the PDF it acquired is done: `readings` (its pages read or reused)
  // are kept for the others, or, when null (the reading failed), the next waiting thread reads it. No
  // effect from a thread that did not acquire the hash.
  void finished(const std::string& pdf_hash, const OcrPageTexts* readings);

  size_t bytes() const;

 private:
  void keep(const std::string& pdf_hash, const OcrPageTexts& readings);

  mutable std::mutex mu_;
  std::condition_variable done_;
  std::map<std::string, std::thread::id> reading_;           // PDFs being read, by whom
  std::unordered_map<std::string, OcrPageTexts> made_;       // readings made, by PDF hash
  std::deque<std::pair<std::string, size_t>> order_;         // made_'s keys, oldest first, with their bytes
  size_t bytes_ = 0;
  const size_t max_bytes_;
};

}  // namespace folio::ingest
