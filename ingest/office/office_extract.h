// Office documents in zip packages: Word (.docx, docx_extract.h), Excel (.xlsx, xlsx_extract.h),
// PowerPoint (.pptx, pptx_extract.h) and OpenDocument text, spreadsheets and presentations (.odt, .ods,
// .odp: odt_extract.h, ods_extract.h, odp_extract.h), told apart by their
// contents (an OpenDocument package names its type in its "mimetype" part; an Office Open XML package
// its main part), so a file is read by what it is whatever its extension.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"

namespace folio::ingest::office {

Result<ExtractedText> extractOfficeDocument(std::string_view bytes, const std::string& name, uint64_t max_part_bytes);

}  // namespace folio::ingest::office
