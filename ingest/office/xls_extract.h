// Excel 97-2003 workbooks (.xls, .xlt) -> ExtractedText, in the same shape as the .xlsx reader
// (sheet_text.h): each worksheet in tab order a page opening with "## Sheet: <name>" (hidden ones named
// so), one line per row, "cell | cell", cells as Excel shows them (xls_sheet.h). Chart sheets, macro
// sheets and VBA modules are left out. Title and author come from the SummaryInformation stream.
// BIFF8 (Excel 97 and later, the "Workbook" stream) and BIFF5/7 (Excel 5.0/95, "Book") are read;
// password-protected workbooks and Excel 2.x-4.0 ones fail with what they are.
//
// Untrusted input: see xls_records.h, xls_workbook.h, xls_sheet.h; each sheet's substream is read once
// and ends where the next begins, so the work is linear in the stream; the text is bounded by
// kMaxWorkbookText.
#pragma once

#include <cstdint>
#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/ole/compound_file.h"

namespace folio::ingest::office {

// `max_stream_bytes` bounds each stream read from the file.
Result<ExtractedText> extractXls(const ole::CompoundFile& file, const std::string& name,
                                 uint64_t max_stream_bytes = uint64_t{512} << 20);

}  // namespace folio::ingest::office
