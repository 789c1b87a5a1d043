// A minimal PDF writer for benchmarks: plain-text pages (Helvetica, one Tj per line), uncompressed
// content streams, a correct xref table. Enough for poppler to extract the text page by page.
#pragma once

#include <string>
#include <vector>

namespace folio::bench {

// pages[i] is the lines of page i + 1. Returns the bytes of the PDF file.
std::string writeTextPdf(const std::vector<std::vector<std::string>>& pages, const std::string& title);

}  // namespace folio::bench
