// Fuzzes the comment reader of extractive code summaries (app/pipeline/code_comments.h) over source
// text in every comment syntax it knows: unterminated blocks and docstrings, lone markers, invalid
// UTF-8. Its output is made of the input's comment text: no longer than the input plus a full stop
// and a paragraph break per block, and without the comment markers it strips from line starts.
// fuzz-link: folio_app folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/pipeline/code_comments.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const char* language : {"c", "python", "ruby", "lua", "sql", "cobol"}) {
    const std::string out = folio::app::codeCommentText(in, language);
    if (out.size() > 4 * in.size() + 8) std::abort();
    if (out.find("\n\n\n") != std::string::npos) std::abort();
    if (!out.empty() && (out.front() == ' ' || out.back() == ' ' || out.back() == '\n')) std::abort();
  }
  return 0;
}
