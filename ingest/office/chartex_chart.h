// Reads an Office 2016 chart part (cx:chartSpace: waterfall, treemap, sunburst, histogram, Pareto, box
// and whisker, funnel and map charts; xl/charts/chartExN.xml and the same in ppt/ and word/) into a
// Chart: its title, the kind of each series' layout, the axes' titles, and each series' name with the
// points of the data it draws (cx:chartData: categories, values or sizes, multi-level categories
// joined, numbers in their level's formatCode) or, without cached points, the data's references.
//
// Untrusted input: points and series are bounded (chart_data.h); malformed XML is an error naming the part.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/office/chart_data.h"

namespace folio::ingest::office {

Result<Chart> readChartex(std::string_view xml, const std::string& part);

}  // namespace folio::ingest::office
