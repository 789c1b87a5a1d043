// The charts on an Excel worksheet or chart sheet: the sheet's drawing parts (relationship type
// .../drawing), each walked for the graphic frames that hold a chart (c:chart, or cx:chart in the
// chosen branch of alternate content), in the order the drawing anchors them, and each chart read
// through the drawing's relationships (related_charts.h).
#pragma once

#include <string>
#include <vector>

#include "ingest/office/chart_text.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

std::vector<ChartText> sheetCharts(const OfficePackage& package, const std::string& sheet_part);

}  // namespace folio::ingest::office
