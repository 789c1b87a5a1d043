// How a spreadsheet cell's date or time reads as text. A workbook stores numbers only; what a user
// sees comes from the cell's number format (number_format.h). Dates are written as ISO 8601
// ("2024-03-01", "2024-03-01 14:30"), which is unambiguous for search and for the model whatever the
// workbook's locale or the format's own layout ("d-mmm-yy", "[$-409]mmmm d, yyyy").
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest::office {

enum class ValueFormat { General, Date, DateTime, Time };

// A number as a date, date and time, or time of day (General: as generalNumber). `date1904`: the
// workbook counts days from 1904 (old Mac Excel). A value before 1900 or past 9999 reads as General.
std::string formatCellNumber(double value, ValueFormat format, bool date1904);

// A number as Excel's General format shows it in a wide column: up to 15 significant digits, an
// exponent past them or below 0.0001 ("1E+15", "1.5E-07").
std::string generalNumber(double value);

}  // namespace folio::ingest::office
