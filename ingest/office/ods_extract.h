// OpenDocument spreadsheets (.ods, .ots: LibreOffice Calc) -> ExtractedText as sheet_text.h writes it:
// each table a page, each row "cell | cell", cells as LibreOffice displays them (the text it stores
// with each cell), except dates and times, written as ISO 8601 from their values ("2024-03-01",
// "2024-03-01 14:30", "09:15:30"). Repeated rows and cells (number-rows/columns-repeated) are expanded
// only where they hold text — a sheet's million repeated empty rows cost nothing. Comments are left
// out; hidden sheets are read and named so.
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractOds(const OfficePackage& package, const std::string& name);

// An ODF date or time value as ISO 8601 text: "2024-03-01T14:30:00" -> "2024-03-01 14:30",
// "2024-03-01T00:00:00" -> "2024-03-01", "PT09H15M30S" -> "09:15:30".
std::string odfDateTime(std::string_view value);

}  // namespace folio::ingest::office
