#include "ingest/office/chart_numbers.h"

#include <charconv>

namespace folio::ingest::office {

std::string ChartNumberText::show(const std::string& text, const std::string& code, bool date1904) {
  double value = 0;
  const char* begin = text.data();
  const auto r = std::from_chars(begin, begin + text.size(), value);
  if (text.empty() || r.ec != std::errc() || r.ptr != begin + text.size()) return text;
  if (!ready_ || code != code_) {
    code_ = code;
    format_ = code.empty() ? NumberFormat() : NumberFormat::parse(code);
    ready_ = true;
  }
  return format_.number(value, date1904);
}

}  // namespace folio::ingest::office
