// Fuzzes the image-to-PDF wrapping of JPEG, PNG and TIFF files (headers, chunk and directory walks,
// strip offsets, PNG inflation and filters): any bytes give an error naming the file or a PDF.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/image_pdf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = folio::ingest::imageAsPdf(in, "fuzz.tif");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.tif") == std::string::npos) std::abort();
    return 0;
  }
  if (r->compare(0, 5, "%PDF-") != 0 || r->find("%%EOF") == std::string::npos) std::abort();
  return 0;
}
