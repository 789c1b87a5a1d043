// The charts on an Excel worksheet or chart sheet: the sheet's drawing parts (relationship type
// .../drawing), each walked for the graphic frames that hold a chart (c:chart, or cx:chart in the
// chosen branch of alternate content), in the order the drawing anchors them, and each chart read
// through the drawing's relationships (related_charts.h). A chart that could not be read is its error
// (chartNotRead's words); the workbook's reader fills the others' cacheless points (chart_cells.h)
// before it writes them.
#pragma once

#include <string>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/chart_data.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

std::vector<Result<Chart>> sheetCharts(const OfficePackage& package, const std::string& sheet_part);

}  // namespace folio::ingest::office
