// What OCR read on a PDF's scanned pages, kept in the library (schema v13, table ocr_texts) so that a
// file extracted again (a chunker update re-chunks it, --reread, a re-read from the desktop) does not
// pay ~2 s of CPU a page again. A reading is determined by the PDF's bytes, the page, the languages
// Tesseract was given and how pages are rendered and read (kOcrVersion): those are its key.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace folio::ingest {

// Bump when rendering or Tesseract's settings change (dpi, page segmentation, the upside-down rule...):
// readings kept under another version are not used, and documents read again are read by OCR again.
inline constexpr int kOcrVersion = 1;

// Tesseract's language setting when none is given: English.
inline constexpr std::string_view kDefaultOcrLanguages = "eng";

struct OcrPageTexts {
  std::string pdf_hash;   // contentHashHex() of the PDF's bytes; "" for none
  std::string languages;  // Tesseract's setting the pages were read with, "eng", "deu+eng"
  int version = kOcrVersion;
  // 0-based page index -> OCR's text of the page (normalized UTF-8; "" for a blank page).
  std::map<int, std::string> pages;
};

}  // namespace folio::ingest
