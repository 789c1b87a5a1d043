// Fuzzes e-mail extraction (MIME structure, transfer encodings, charsets, encoded words): any bytes give
// valid UTF-8 text whose chunks keep their provenance.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/utf8_text.h"

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
  for (const std::string* s : {&r->text, &r->title, &r->author}) {
    for (size_t i = 0; i < s->size();) {
      const size_t n = utf8SequenceLength(*s, i);
      if (n == 0) std::abort();
      i += n;
    }
  }
  const EstimatingTokenCounter tokens;
  for (const Chunk& c : chunkDocument(*r, email, tokens)) {
    if (c.byte_begin < 0 || c.byte_end > static_cast<int64_t>(r->text.size()) || c.byte_begin >= c.byte_end) std::abort();
  }
  return 0;
}
