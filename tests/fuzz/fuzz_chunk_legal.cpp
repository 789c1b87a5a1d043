// Fuzzes the legal and paper chunkers and the genre classifier; the input's form feeds mark pages.
// Half the inputs first lose their running header and footer lines (removeRunningLines), which must
// keep one ascending page start per page within the text.
// fuzz-link: folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/chunker.h"
#include "ingest/running_lines.h"
#include "ingest/utf8_text.h"
#include "fuzz_chunk_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  ExtractedText doc;
  const std::string text = normalizeText(std::string_view(reinterpret_cast<const char*>(data), size));
  doc.page_starts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\f') {
      doc.text.push_back('\n');
      if (i + 1 < text.size()) doc.page_starts.push_back(static_cast<int64_t>(doc.text.size()));
    } else {
      doc.text.push_back(text[i]);
    }
  }
  if (size > 0 && (data[0] & 1)) {
    const size_t pages = doc.page_starts.size();
    (void)removeRunningLines(doc);
    if (doc.page_starts.size() != pages) std::abort();
    for (size_t p = 0; p < pages; ++p) {
      if (doc.page_starts[p] > static_cast<int64_t>(doc.text.size())) std::abort();
      if (p > 0 && doc.page_starts[p] < doc.page_starts[p - 1]) std::abort();
    }
  }
  const EstimatingTokenCounter tokens;
  ChunkOptions options;
  options.target_tokens = size % 2 ? 24 : 512;
  for (const auto& chunks : {chunkLegal(doc, tokens, options), chunkPaper(doc, tokens, options)}) {
    fuzz::checkChunks(doc, chunks);
    fuzz::checkNoOverlap(chunks);
  }
  (void)classifyText(doc.text);
  return 0;
}
