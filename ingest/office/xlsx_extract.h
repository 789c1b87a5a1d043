// Excel workbooks (.xlsx, .xlsm) -> ExtractedText: each worksheet in workbook order is a page that opens
// with a "## Sheet: <name>" line, then one line per row with its cells as "cell | cell | cell" (empty
// cells kept between filled ones, so columns stay in place; empty rows left out). Cells show the
// value Excel last computed (a formula's cached result): shared and inline strings, numbers in their
// cell's number format as Excel shows them ("$1,250.00", "(300)", "12.5%"; number_format.h), dates
// and times as ISO 8601 (sheet_values.h), TRUE/FALSE, error codes. After a sheet's rows come its charts
// (sheet_charts.h; "### Chart: <title>", chart_text.h), a series kept without cached points read from
// the workbook's cells (chart_cells.h); a chart sheet is a page with its chart. Pictures,
// comments and hidden rows' hiding are not read; hidden sheets are read and named so.
//
// The text is written as sheet_text.h says. Untrusted input: parts are bounded by the package's part
// cap, the text by kMaxWorkbookText (a 1,000,000-row export stops there, saying so), shared-string and
// style indexes are checked.
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractXlsx(const OfficePackage& package, const std::string& name);

}  // namespace folio::ingest::office
