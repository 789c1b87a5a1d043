// Fuzzes HTML extraction and the generic chunker (Markdown headings, fences, packing with overlap).
// fuzz-link: folio_ingest
#include <cstdint>
#include <string_view>

#include "ingest/chunker.h"
#include "ingest/html_text.h"
#include "ingest/utf8_text.h"
#include "fuzz_chunk_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const EstimatingTokenCounter tokens;
  ChunkOptions options;
  options.target_tokens = size % 2 ? 20 : 512;
  options.overlap_tokens = size % 3 ? 8 : 0;
  ExtractedText md;
  md.text = normalizeText(in);
  fuzz::checkChunks(md, chunkGeneric(md, tokens, options));
  ExtractedText html;
  html.text = htmlToText(in).text;
  fuzz::checkChunks(html, chunkGeneric(html, tokens, options));
  return 0;
}
