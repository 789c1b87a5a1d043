// PDF text extraction in an isolated child process (see extract.h for the contract).
#pragma once

#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/extract.h"

namespace folio::ingest {

// Parses `bytes` with poppler-cpp in a forked child (RLIMIT_AS = the child's current address space
// + pdf_memory_bytes, RLIMIT_CPU = pdf_timeout_s) that streams title, author and the text of each
// page back through a pipe as length-prefixed frames; the parent kills it after pdf_timeout_s of wall
// time. Errors (BadInput) name `name` and the reason. Pages are joined so that page i+1 starts at
// page_starts[i]; each page's text ends with '\n' (form feeds inside a page become '\n'); ligatures
// U+FB00..U+FB06 are expanded to their letters. A page's comments and filled form fields follow its
// text inside its span (pdf_markup.h).
Result<ExtractedText> extractPdfIsolated(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace folio::ingest
