// RTF -> ExtractedText, written as the Word reader writes its text (office/text_blocks.h): one
// paragraph per line, table rows as "cell | cell", footnote marks "[n]" with the notes after the body,
// pages at hard page breaks, headings by outline level. List numbers are read from the text Word
// stores beside each numbered paragraph (\listtext), so clause numbers appear as Word shows them.
// Bytes escaped as \'hh are in the document's code page (\ansicpgN); \uN gives Unicode. Font tables,
// style sheets, pictures, embedded objects, headers and footers, field instructions, comments and
// hidden text are left out; the title and author come from the \info group.
//
// Untrusted input: any bytes give text; group nesting is bounded.
#pragma once

#include <string_view>

#include "ingest/chunk.h"

namespace folio::ingest::rtf {

ExtractedText extractRtf(std::string_view bytes);

}  // namespace folio::ingest::rtf
