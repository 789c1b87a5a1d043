#include "ingest/office/ppt_slide.h"

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kHiddenFlag = 0x0004;  // SSSlideInfoAtom: fManualAdvance, reserved, fHidden, …

}  // namespace

Result<PptSlide> readPptSlide(std::string_view stream, uint32_t offset, bool notes, const std::string& name) {
  const DocBytes b{stream};
  const uint16_t type = notes ? kPptNotes : kPptSlide;
  const auto record = readPptRecord(stream, offset, stream.size());
  if (!record || record->type != type || !record->container()) {
    return badInput(pptWhere(name) + "no " + (notes ? "notes page" : "slide") + " record at offset " + std::to_string(offset) +
                    " (truncated or corrupt file)");
  }
  auto children = pptChildren(stream, *record, name);
  if (!children.ok()) return children.error();
  PptSlide slide;
  for (const PptRecord& r : *children) {
    if (r.type == kPptSlideAtom && r.length >= 20) {
      slide.notes_id = b.u32(r.body() + 16);  // geom, rgPlaceholderTypes[8], masterIdRef, notesIdRef
    } else if (r.type == kPptNotesAtom && r.length >= 4) {
      slide.slide_id = b.u32(r.body());
    } else if (r.type == kPptSlideShowSlideInfoAtom && r.length >= 12) {
      slide.hidden = (b.u16(r.body() + 10) & kHiddenFlag) != 0;  // slideTime, soundIdRef, direction, type
    } else if (r.type == kPptDrawing && slide.shapes.empty()) {
      auto shapes = readPptDrawing(stream, r, name);
      if (!shapes.ok()) return shapes.error();
      slide.shapes = std::move(*shapes);
    }
  }
  return slide;
}

}  // namespace folio::ingest::office
