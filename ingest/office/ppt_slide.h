// One slide or notes page of a PowerPoint 97-2003 presentation ([MS-PPT] 2.5.1 SlideContainer, 2.5.6
// NotesContainer): whether the slide is hidden from the show (SSSlideInfoAtom fHidden), which notes
// page it has (SlideAtom.notesIdRef) or which slide a notes page belongs to (NotesAtom.slideIdRef),
// and the text shapes of its drawing.
//
// Untrusted input: the record at the persist offset must be a slide or notes container; everything is
// read within it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/ppt_drawing.h"

namespace folio::ingest::office {

struct PptSlide {
  bool hidden = false;
  uint32_t notes_id = 0;  // a slide's notes page, 0 when none
  uint32_t slide_id = 0;  // a notes page's slide
  std::vector<PptShape> shapes;
};

// The slide (or, when `notes`, notes page) whose record is at `offset` of `stream`.
Result<PptSlide> readPptSlide(std::string_view stream, uint32_t offset, bool notes, const std::string& name);

}  // namespace folio::ingest::office
