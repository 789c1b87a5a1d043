// Page numbers in headers and footers: they change on every page, so Folio leaves them out of the
// header and footer lines it lists once (docx_body.h, doc_extract.h), and with them what only labels
// them ("Page 3 of 9" -> "Page of" -> nothing; "Confidential — 3" -> "Confidential").
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest::office {

// A field code that shows a page number or count: PAGE, NUMPAGES, SECTIONPAGES, SECTION.
bool pageFieldCode(std::string_view code);

// What is left of a line once its page numbers are out is only their label: at most two short words
// ("Page of", "Seite von", "- -").
bool pageLabelOnly(std::string_view text);

// `s` without the spaces and separators ("-", "|", "/", ",", en and em dashes) at its ends.
std::string withoutDanglingSeparators(std::string s);

}  // namespace folio::ingest::office
