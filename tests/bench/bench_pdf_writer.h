// A minimal PDF writer for benchmarks: plain-text pages (Helvetica, one Tj per line), uncompressed
// content streams, a correct xref table. Enough for poppler to extract the text page by page.
#pragma once

#include <string>
#include <vector>

namespace folio::bench {

// pages[i] is the lines of page i + 1. Returns the bytes of the PDF file.
std::string writeTextPdf(const std::vector<std::vector<std::string>>& pages, const std::string& title);

// Ends a PDF whose objects 1..n start at offsets[0..n-1] (object 1 the catalog): the xref table and
// the trailer (with `trailer_extra` entries, e.g. "/Info 4 0 R").
void appendXrefAndTrailer(std::string& pdf, const std::vector<size_t>& offsets, const std::string& trailer_extra = "");

}  // namespace folio::bench
