// The texts of a PowerPoint 97-2003 slide ([MS-PPT] 2.9 text records): a TextHeaderAtom giving the
// text's placeholder role (title, body, notes, …) followed by its characters — a TextCharsAtom
// (UTF-16) or a TextBytesAtom (one byte a character, the low byte of UTF-16: Latin-1) — or, in a
// shape, an OutlineTextRefAtom pointing at the slide's text kept in the slide list instead.
// Characters: CR ends a paragraph, vertical tab breaks a line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/ppt_records.h"

namespace folio::ingest::office {

// TextHeaderAtom.textType ([MS-PPT] 2.13.33 TextTypeEnum).
enum PptTextType : int { kPptTitle = 0, kPptBody = 1, kPptNotesText = 2, kPptOther = 4, kPptCenterTitle = 6 };

struct PptText {
  int type = -1;         // PptTextType, -1 when no TextHeaderAtom came first
  std::string text;      // UTF-8; paragraphs separated by '\r', line breaks '\v'
  int outline_ref = -1;  // index of the slide list's text this shape shows instead, -1 if none
};

// Appends the texts among `records` (a ClientTextbox's or a slide list's children) to `out`.
void appendPptTexts(std::string_view stream, const std::vector<PptRecord>& records, std::vector<PptText>& out);

// The paragraphs of a text: line breaks as '\n', tabs kept, other control characters dropped,
// trailing spaces trimmed, empty paragraphs left out.
std::vector<std::string> pptParagraphs(std::string_view text);

}  // namespace folio::ingest::office
