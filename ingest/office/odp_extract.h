// OpenDocument presentations (.odp, .otp: LibreOffice Impress) -> ExtractedText as slide_text.h writes
// it: each slide (<draw:page>) a page opening "Slide N: <title>" (its title frame), then the text of its
// frames and shapes in order, tables as rows, then its speaker notes. Page numbers, dates, footers and
// comments are left out; hidden slides are read and named so.
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractOdp(const OfficePackage& package, const std::string& name);

}  // namespace folio::ingest::office
