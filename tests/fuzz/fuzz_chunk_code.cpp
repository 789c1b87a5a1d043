// Fuzzes the code chunker: the first byte picks the language (modulo the list's size: the seeds of the
// first eight languages start with bytes 0-7, those of the line-based finders with their index), the
// rest is the source.
// fuzz-link: folio_ingest
#include <array>
#include <cstdint>
#include <string_view>

#include "ingest/chunker.h"
#include "ingest/utf8_text.h"
#include "fuzz_chunk_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr std::array<std::string_view, 25> kLanguages{
      "c",    "cpp",  "python", "javascript", "typescript", "java",       "go",         "rust",
      "ruby", "lua",  "tcl",    "perl",       "shell",      "make",       "sql",        "powershell",
      "dockerfile", "proto", "css", "cmake",  "kotlin",     "swift",      "csharp",     "php",
      "dart"};
  using namespace folio::ingest;
  ExtractedText doc;
  doc.text = normalizeText(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  const EstimatingTokenCounter tokens;
  ChunkOptions options;
  options.target_tokens = 16 + data[0] % 200;
  const auto chunks = chunkCode(doc, kLanguages[data[0] % kLanguages.size()], tokens, options);
  fuzz::checkChunks(doc, chunks);
  fuzz::checkNoOverlap(chunks);
  return 0;
}
