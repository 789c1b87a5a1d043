// Cached chart numbers in their number format (number_format.h), for the chart readers. Kept apart from
// chart_data.h, which Word's readers include beside their own list NumberFormat.
#pragma once

#include <string>

#include "ingest/office/number_format.h"

namespace folio::ingest::office {

// A cached point's number as the chart shows it, in its format code ("" or "General": General); text
// that is no number stays as it is. Keeps the last code parsed, as a cache's points share one.
class ChartNumberText {
 public:
  std::string show(const std::string& text, const std::string& code, bool date1904);

 private:
  std::string code_;
  NumberFormat format_;
  bool ready_ = false;
};

}  // namespace folio::ingest::office
