// Word 97-2003 (.doc, .dot) -> ExtractedText, in the same shape as the .docx reader (docx_extract.h,
// text_blocks.h): one paragraph per line with a blank line between paragraphs, automatic numbering
// written out ("5.2 The Supplier shall …", doc_lists.h), table rows as "cell | cell" (nested tables
// inside their cell), footnote and endnote marks as "[n]" with the notes after the body, comments as
// "[comment n]" listed after those with their authors, text boxes (the textbox story) after the
// paragraph that anchors them, each distinct line of the headers and footers once at the end under
// "Headers and footers" (page numbers left out), headings marked by outline level, pages where
// the document breaks them by hand (page breaks, page-break-before, section breaks). Fields show their
// result, not their code; characters in symbol fonts as their Unicode equivalents (doc_fonts.h); text
// deleted by a tracked change or hidden is left out, as are pictures, text boxes inside headers, and
// the table of contents (TOC-styled paragraphs inside a field). Title and author come
// from the SummaryInformation stream.
//
// Word 6/95 and older files and password-protected ones fail with what they are and what to do.
// Untrusted input: every structure is read within its stream (see doc_fib.h, doc_pieces.h,
// doc_properties.h); broken structures past the text cost what they describe, not the text.
#pragma once

#include <cstdint>
#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/ole/compound_file.h"

namespace folio::ingest::office {

// `max_stream_bytes` bounds each stream read from the file.
Result<ExtractedText> extractDoc(const ole::CompoundFile& file, const std::string& name,
                                 uint64_t max_stream_bytes = uint64_t{512} << 20);

}  // namespace folio::ingest::office
