// Finds the tracked changes among the elements of a WordprocessingML story as a reader walks it, for
// the body, header and notes readers alike: run-level w:ins/w:del/w:moveFrom/w:moveTo open and close
// changes of the paragraph being read (collecting the deleted text the reader leaves out), a paragraph
// mark's change (w:pPr/w:rPr/w:ins) and a table row's (w:trPr/w:del) are recorded, a move takes the name
// of its range (w:moveFromRangeStart w:name), and changes of formatting only are counted.
#pragma once

#include <string>
#include <string_view>

#include "ingest/office/docx_changes.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

class DocxChangeScanner {
 public:
  explicit DocxChangeScanner(DocxChangeLog& log) : log_(log) {}

  // Every start tag, before the reader handles it. `paragraph`: the changes of the paragraph being read
  // (nullptr outside one) whose text is `text_size` long; `row`: the innermost table row's change
  // (nullptr outside a table); `skipping`: the reader leaves this element's subtree out.
  void start(std::string_view name, const XmlAttributes& a, ParagraphChanges* paragraph, size_t text_size,
             RowChange* row, bool skipping);
  // Every end tag, before the reader handles it; `text`: the paragraph's text.
  void end(ParagraphChanges* paragraph, const std::string* text);
  // Character data the reader leaves out (inside a deletion it is the deleted text).
  void skippedText(std::string_view text, ParagraphChanges* paragraph);

 private:
  DocxChangeLog& log_;
  int depth_ = 0;
  // The depth of the open element of each kind, 0 when none is open.
  int ppr_ = 0, rpr_ = 0, trpr_ = 0, deleted_text_ = 0, left_out_ = 0;
  std::string move_from_, move_to_;  // the names of the open move ranges
};

}  // namespace folio::ingest::office
