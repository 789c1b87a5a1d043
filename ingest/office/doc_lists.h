// Automatic list numbering of a Word 97-2003 document ([MS-DOC] 2.9.147 LSTF, 2.9.150 LVL, 2.9.131
// LFO): the list definitions (PlfLst, each followed in the table stream by its 1 or 9 levels) and the
// list instances paragraphs name by 1-based index (PlfLfo, with per-level start and format overrides).
// They feed the same counting and formatting as the .docx reader (docx_numbering.h): lists by their
// lsid, instances by their LFO index, level texts rewritten to "%1.%2." form.
//
// Untrusted input: read within the table stream; what is cut short or inconsistent is left out, so a
// broken list table costs labels, not the text.
#pragma once

#include <string_view>

#include "ingest/office/doc_fib.h"
#include "ingest/office/docx_numbering.h"

namespace folio::ingest::office {

// Bullets in a symbol font (Wingdings "l", Symbol U+F0B7) read as "•", as the .docx reader reads them.
void readDocLists(std::string_view table, const DocFib& fib, DocxNumbering& numbering);

}  // namespace folio::ingest::office
