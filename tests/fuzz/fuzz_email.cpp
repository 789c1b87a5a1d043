// Fuzzes e-mail extraction (MIME structure, transfer encodings, charsets, encoded words): any bytes give
// valid UTF-8 text whose chunks keep their provenance.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extract.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const SourceType email{SourceKind::Email, ""};
  auto r = extractBytes(in, email, "fuzz.eml");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.eml") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, email);
  return 0;
}
