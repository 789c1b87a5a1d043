// The footnotes, endnotes or comments of a Word (.docx) notes part: each one's text by id, paragraphs
// joined by a space, a comment's text starting with its author ("Jane Doe: …"); deleted text left out
// and the tracked changes kept to be numbered when the notes are written in the order of their marks.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/docx_changes.h"

namespace folio::ingest::office {

struct DocxNote {
  std::string text;
  std::vector<ChangeDraft> changes;  // their offsets into text
};

// Formatting changes and paragraph marks go straight to `log`. Errors name `part`.
Result<std::map<std::string, DocxNote>> readDocxNotes(std::string_view xml, const std::string& part, DocxChangeLog& log);

}  // namespace folio::ingest::office
