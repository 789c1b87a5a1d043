// How a spreadsheet cell's number reads as text. A workbook stores numbers only; what a user sees — a
// date, a percentage — comes from the cell's number format. Dates are written as ISO 8601
// ("2024-03-01", "2024-03-01 14:30"), which is unambiguous for search and for the model whatever
// the workbook's locale; other numbers as Excel's General format shows them (up to 15 significant
// digits).
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest::office {

enum class ValueFormat { General, Date, DateTime, Time, Percent };

// The kind of a number format: a built-in one by id (14 "m/d/yyyy", 22 "m/d/yyyy h:mm", 9 "0%", …) or a
// custom format code ("dd/mm/yyyy", "0.0%", "[$-409]mmmm d, yyyy", "#,##0.00").
ValueFormat valueFormatOf(int format_id, std::string_view format_code);

// A number in that format. `date1904`: the workbook counts days from 1904 (old Mac Excel).
std::string formatCellNumber(double value, ValueFormat format, bool date1904);

}  // namespace folio::ingest::office
