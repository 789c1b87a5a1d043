// One worksheet of an Excel 97-2003 workbook ([MS-XLS] 2.1.7.20.5): the substream from its BOF record
// to its EOF, whose cell records are written as rows (sheet_text.h). Cells show what Excel shows:
// strings (LABELSST from the shared strings, LABEL and RSTRING inline), numbers (NUMBER, RK and MULRK's
// packed ones) in their cell's number format as Excel shows them (number_format.h; dates ISO 8601), formulas'
// cached results (a number, TRUE/FALSE, an error code like #DIV/0!, or text from the STRING record
// after the formula), BOOLERR values. Blank cells, comments, drawings and embedded charts (a nested
// BOF…EOF) are passed over. Rows are written in order (Excel's own files are not always in order:
// rows up to 256 back are put in place); a cell further back starts a line of its own, so nothing is
// lost.
//
// Untrusted input: each record is checked for the size its fields need (a short one fails with its
// offset), columns past 255 are left out, a row holds at most 256 cells, rows waiting to be put in
// order at most 8 MiB of text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/office/sheet_text.h"
#include "ingest/office/xls_workbook.h"

namespace folio::ingest::office {

// Reads the substream of `sheet` that starts at sheet.offset and ends by `end` (the next sheet's start
// or the stream's end) into `out`: a page of its own when it is a worksheet, nothing for a chart or
// macro sheet. False when `out` is full and no further sheet should be read.
Result<bool> readXlsSheet(std::string_view stream, const XlsSheetEntry& sheet, uint64_t end, const XlsWorkbook& workbook,
                          SheetText& out, const std::string& name);

}  // namespace folio::ingest::office
