// The charts that a part of an Office Open XML package draws — a slide, a sheet's drawing, a Word
// document — found through that part's relationships (type .../chart for DrawingML charts,
// .../chartEx for Office 2016 ones), each read into ChartText when its graphic's r:id is met. A
// missing or damaged chart part reads as a note saying so, never as an error of the file. A workbook
// takes the Chart itself, to fill in points from its cells first (chart_cells.h).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/office/chart_text.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

class RelatedCharts {
 public:
  RelatedCharts(const OfficePackage& package, std::string source) : package_(package), source_(std::move(source)) {}

  // The chart `source` relates to by relationship `id` (a c:chart or cx:chart element's r:id).
  ChartText text(std::string_view id);
  // The same chart as read, or why it could not be (chartNotRead's words).
  Result<Chart> chart(std::string_view id);

 private:
  const OfficePackage& package_;
  std::string source_;
  bool loaded_ = false;  // the relationships are read at the first chart: most parts have none
  std::map<std::string, std::string> charts_, chartex_;
};

}  // namespace folio::ingest::office
