// Fuzzes the RTF reader (groups, control words, code-page bytes, \u escapes, tables, notes, style
// sheets): any bytes give valid UTF-8 whose page starts increase inside the text and whose chunks keep
// their provenance.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/extract.h"
#include "fuzz_extract_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  // Every input is read as RTF (the reader is chosen by the "{\rtf" opening).
  const std::string in = "{\\rtf1" + std::string(reinterpret_cast<const char*>(data), size);
  const SourceType word{SourceKind::Word, ""};
  auto r = extractBytes(in, word, "fuzz.rtf");
  if (!r.ok()) std::abort();  // RTF never fails: broken input still gives text
  fuzz::checkExtracted(*r, word);
  return 0;
}
