// The slide lists of a PowerPoint 97-2003 DocumentContainer ([MS-PPT] 2.4.14
// SlideListWithTextContainer): instance 0 lists the slides in show order, instance 2 the notes pages;
// each entry is a SlidePersistAtom (the persist id of the slide's record and the slide's id) followed
// by the texts of the slide's placeholders that PowerPoint keeps there (its outline).
//
// Untrusted input: read within the DocumentContainer; a record past its container fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/ppt_records.h"
#include "ingest/office/ppt_text.h"

namespace folio::ingest::office {

struct PptListEntry {
  uint32_t persist_id = 0;
  uint32_t slide_id = 0;
  std::vector<PptText> texts;
};

struct PptSlideLists {
  std::vector<PptListEntry> slides, notes;
};

Result<PptSlideLists> readPptSlideLists(std::string_view stream, const PptRecord& document, const std::string& name);

}  // namespace folio::ingest::office
