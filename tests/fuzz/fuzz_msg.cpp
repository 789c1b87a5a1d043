// Fuzzes Outlook message extraction: the compound file reader (sector chains, the directory tree), the
// property streams and tables, recipients, attachments and attached messages, code pages, and (inputs
// starting with 'L') compressed-RTF bodies. Any bytes give an error naming the file or valid UTF-8
// text whose chunks keep their provenance.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extract.h"
#include "ingest/mail/rtf_compressed.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (!in.empty() && in[0] == 'L') {
    auto rtf = mail::decompressRtf(in.substr(1), 1 << 20);
    if (rtf && rtf->size() > (1u << 20)) std::abort();
    return 0;
  }
  const SourceType email{SourceKind::Email, ""};
  auto r = extractBytes(in, email, "fuzz.msg");
  if (!r.ok()) {
    if (r.error().message.find("fuzz.msg") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, email);
  return 0;
}
