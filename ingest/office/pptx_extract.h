// PowerPoint presentations (.pptx, .pptm) -> ExtractedText as slide_text.h writes it: each slide, in the
// presentation's order, a page opening "Slide N: <title>", then the text of its shapes in the order the
// slide lists them (one paragraph per line, tables as "cell | cell" rows, charts under a "Chart: <title>"
// heading as chart_text.h writes them), then its speaker notes. Slide numbers, dates and footers
// repeated on every slide, pictures and SmartArt are left out; hidden slides are read and named so.
//
// Untrusted input: parts are bounded by the package's part cap; XML with a DOCTYPE is refused.
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractPptx(const OfficePackage& package, const std::string& name);

}  // namespace folio::ingest::office
