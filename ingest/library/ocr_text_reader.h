// OCR's kept readings of scanned PDF pages (schema v13, ocr_texts.h), looked up for an ingest's
// extraction threads on a read-only connection of the reader's own: a Database is never shared between
// threads, and the ingest's writer holds the library's.
#pragma once

#include <filesystem>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/library/database.h"
#include "ingest/ocr_texts.h"

namespace folio::ingest {

class OcrTextReader {
 public:
  // `library`: the file a Library has open (and migrated to v13 or later).
  static Result<OcrTextReader> open(const std::filesystem::path& library);

  // The readings of the pages of the PDF with this content hash made with these languages and OCR
  // version, whichever document keeps them (a copy of a file in another folder or collection too).
  // None kept: no pages.
  Result<OcrPageTexts> find(std::string_view pdf_hash, std::string_view languages, int version = kOcrVersion);

 private:
  explicit OcrTextReader(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace folio::ingest
