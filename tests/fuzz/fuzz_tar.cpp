// Fuzzes tar archive extraction through libarchive (headers, gzip/xz streams, 7-Zip headers, nested
// archives): any bytes give valid UTF-8 text whose chunks keep their provenance, or an error naming the
// archive.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extract.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 262144) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const SourceType tar{SourceKind::Archive, ""};
  auto r = extractBytes(in, tar, "fuzz.tar.gz");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.tar.gz") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, tar);
  return 0;
}
