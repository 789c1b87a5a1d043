// One-page PDFs with annotations written at test time (many of them, huge or malformed ones), for the
// PDF comment tests; tests/fixtures/pdf/make_annotated_pdfs.py writes the small committed ones.
#pragma once

#include <string>
#include <vector>

namespace folio::test {

// The object number annotation i of writeAnnotatedPdf gets (for /IRT and /Parent links between them).
constexpr int annotObject(int i) { return 5 + i; }

// A page of Helvetica lines (12 pt, the first baseline at y 720, 16 pt apart, from x 72) whose /Annots
// holds one object per entry of `annots`, each written as given (a dictionary, or anything else).
std::string writeAnnotatedPdf(const std::vector<std::string>& lines, const std::vector<std::string>& annots);

}  // namespace folio::test
