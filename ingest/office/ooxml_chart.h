// Reads a DrawingML chart part (c:chartSpace, ECMA-376 Part 1 §21.2: xl/charts/chartN.xml and the same in
// ppt/ and word/) into a Chart: the title (rich text or a cached reference), each plot's kind (bar
// direction and grouping, 3-D, pie of pie …), the titles of the axes that are shown, and each series'
// name, categories (c:cat, or c:xVal of a scatter chart) and values (c:val, c:yVal, c:bubbleSize) from
// their caches or literals — numbers in the cache's or the point's formatCode (number_format.h),
// multi-level categories joined — or, without a cache, their references. Data labels, trendlines,
// legends and formatting are left out.
//
// Untrusted input: points and series are bounded (chart_data.h); malformed XML is an error naming the part.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/office/chart_data.h"

namespace folio::ingest::office {

Result<Chart> readOoxmlChart(std::string_view xml, const std::string& part);

}  // namespace folio::ingest::office
