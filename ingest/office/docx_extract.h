// Word (.docx) -> ExtractedText. The text reads as Word shows it with all tracked changes accepted:
// one paragraph per line with a blank line between paragraphs, automatic numbering written out
// ("5.2 The Supplier shall …", docx_numbering.h), table rows as "cell | cell | cell", footnote and
// endnote marks as "[n]" with their notes after the body ("[n] text"), comments as "[comment n]" with
// their authors and text after those, text boxes and charts (chart_text.h) after the paragraph that
// anchors them, tracked changes marked "[change n]" after each changed span and listed after the
// comments under "Tracked changes"
// (where, who, when, what: docx_changes.h), and each distinct line of the headers and footers once at
// the end under "Headers and footers" (page numbers left out). Deleted text, field codes, hidden text and the table of contents are left out. Pages start where Word
// last broke them (w:lastRenderedPageBreak, which Word writes on save) and at hard page breaks, so
// page citations match what the user sees in Word; a file without either has no pages. Heading
// paragraphs (by outline level) get Markdown marks as text_blocks.h says.
//
// Untrusted input: parts are bounded (the package's part cap), XML with a DOCTYPE is refused, and every
// failure names the file and the part.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractDocx(const OfficePackage& package, const std::string& name);

}  // namespace folio::ingest::office
