// OpenDocument text (.odt) -> ExtractedText, written as the Word reader writes it (text_blocks.h): list
// and heading numbers written out (odt_lists.h), table rows as "cell | cell", note marks "[n]" with
// the notes after the body, pages where the file recorded its soft page breaks. Tracked changes'
// deleted text, comments, indexes and tables of contents are left out.
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractOdt(const OfficePackage& package, const std::string& name);

}  // namespace folio::ingest::office
