// Reads a PDF page's comments (markup annotations) and filled form fields for pdf_markup.h. poppler-cpp
// has no annotation API, so this uses poppler's core classes (libpoppler-private-dev: the same
// libpoppler that poppler-cpp wraps, which parses, decrypts and repairs the file); the dictionaries'
// values are read here with every count, length and chain bounded. Runs only in the PDF child process.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ingest/pdf_markup.h"

namespace folio::ingest {

class PdfMarkupReader {
 public:
  // `bytes` must outlive the reader. Needs poppler's globalParams, which a live poppler::document (or
  // the caller) provides.
  explicit PdfMarkupReader(std::string_view bytes);
  ~PdfMarkupReader();
  PdfMarkupReader(const PdfMarkupReader&) = delete;
  PdfMarkupReader& operator=(const PdfMarkupReader&) = delete;

  // Page `index` (0-based): its comments and fields, and its words where they are needed to quote a
  // highlight or to see a value drawn there; after its signature fields, those whose widget is in no
  // page's /Annots but names this page (/P), and on the last page those naming none. Empty when the file
  // cannot be read this way.
  PdfPageMarkup page(int index);

  // formatPdfMarkup of page(index).
  std::string pageNotes(int index) { return formatPdfMarkup(index + 1, page(index)); }

 private:
  PdfPageMarkup listedMarkup(int index);  // what the page's /Annots list

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::ingest
