// The text shapes of a PowerPoint 97-2003 slide's drawing (PPDrawing → OfficeArtDgContainer, [MS-ODRAW]):
// each OfficeArtSpContainer with a ClientTextbox, its placeholder role (OEPlaceholderAtom), group
// shapes walked in drawing order. A table (PowerPoint 97 keeps one as a group whose group shape has
// the tableProperties property, one rectangle a cell) comes back as one shape of rows: its cells
// ordered by their anchors, top to bottom then left to right.
//
// Untrusted input: read within the drawing, descending at most kMaxPptDepth containers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/ppt_records.h"
#include "ingest/office/ppt_text.h"

namespace folio::ingest::office {

// OEPlaceholderAtom.placementId values Folio tells apart ([MS-PPT] 2.13.21 PlaceholderEnum).
enum PptPlaceholder : int {
  kPhMasterTitle = 0x01, kPhMasterCenterTitle = 0x03, kPhMasterNotesBody = 0x06, kPhMasterDate = 0x07,
  kPhMasterSlideNumber = 0x08, kPhMasterFooter = 0x09, kPhMasterHeader = 0x0A, kPhNotesBody = 0x0C,
  kPhTitle = 0x0D, kPhCenterTitle = 0x0F, kPhVerticalTitle = 0x11,
};

struct PptShape {
  int placeholder = -1;  // PptPlaceholder; -1 when the shape is no placeholder
  std::vector<PptText> texts;
  std::vector<std::vector<std::string>> rows;  // a table's cells
};

// The shapes with text (or tables) inside `drawing` (a PPDrawing record), in drawing order.
Result<std::vector<PptShape>> readPptDrawing(std::string_view stream, const PptRecord& drawing, const std::string& name);

}  // namespace folio::ingest::office
