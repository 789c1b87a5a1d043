#include "ingest/office/docx_change_scanner.h"

namespace folio::ingest::office {

void DocxChangeScanner::start(std::string_view name, const XmlAttributes& a, ParagraphChanges* paragraph,
                              size_t text_size, RowChange* row, bool skipping) {
  ++depth_;
  if (skipping) {
    // Inside a left-out subtree only a deletion's text is wanted, and not twice: a text box's fallback
    // copy is left out here too.
    if (left_out_ > 0 || paragraph == nullptr || !paragraph->deleting()) return;
    if (name == "Fallback") left_out_ = depth_;
    else if (name == "delText" || name == "t") deleted_text_ = depth_;
    else if (name == "tab" || name == "br" || name == "cr") paragraph->deletedText(" ");
    return;
  }
  if (name == "pPr") ppr_ = depth_;
  else if (name == "rPr") rpr_ = depth_;
  else if (name == "trPr") trpr_ = depth_;
  const ChangeMark mark = changeMarkOf(name);
  if (mark != ChangeMark::None) {
    if (trpr_ > 0) {
      if (row != nullptr) row->set(mark, a);
    } else if (ppr_ > 0) {
      if (rpr_ > 0 && paragraph != nullptr) paragraph->markParagraph(mark, a);  // the paragraph mark's run properties
    } else if (rpr_ == 0 && paragraph != nullptr) {
      const std::string& move = mark == ChangeMark::MovedFrom ? move_from_ : move_to_;
      paragraph->open(mark, a, mark == ChangeMark::Inserted || mark == ChangeMark::Deleted ? std::string_view() : move,
                      text_size, depth_);
    }
    return;
  }
  if (name == "moveFromRangeStart") move_from_ = a.get("name");
  else if (name == "moveToRangeStart") move_to_ = a.get("name");
  else if (name == "moveFromRangeEnd") move_from_.clear();
  else if (name == "moveToRangeEnd") move_to_.clear();
  else if (isFormattingChange(name)) log_.countFormatting();
}

void DocxChangeScanner::end(ParagraphChanges* paragraph, const std::string* text) {
  if (paragraph != nullptr && text != nullptr) paragraph->close(depth_, *text);
  for (int* open : {&ppr_, &rpr_, &trpr_, &deleted_text_, &left_out_}) {
    if (*open == depth_) *open = 0;
  }
  --depth_;
}

void DocxChangeScanner::skippedText(std::string_view text, ParagraphChanges* paragraph) {
  if (deleted_text_ > 0 && left_out_ == 0 && paragraph != nullptr) paragraph->deletedText(text);
}

}  // namespace folio::ingest::office
