// fuzz-link: folio_ingest
// The PDF comment and form reader on arbitrary bytes, as the PDF child runs it: poppler-cpp opens the
// file (and holds poppler's globals), then PdfMarkupReader reads and formats each page's annotations.
// Seeds: tests/fixtures/pdf/make_annotated_pdfs.py's files (comments, replies, forms, malformed ones) and
// tools/pdf/make_signed_pdfs.py's (signatures: two parties, a certification, tampered bytes).
#include <poppler-document.h>
#include <poppler-global.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ingest/pdf_markup_reader.h"

namespace {
void silent(const std::string&, void*) {}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  poppler::set_debug_error_function(silent, nullptr);
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc || doc->is_locked()) return 0;
  folio::ingest::PdfMarkupReader reader(bytes);
  const int pages = std::min(doc->pages(), 4);
  for (int i = 0; i < pages; ++i) (void)reader.pageNotes(i);
  return 0;
}
