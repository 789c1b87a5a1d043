// A paragraph whose mark alone was deleted (a tracked deletion of the mark, not of its text): accepted,
// Word runs it on into the next paragraph, the joined one keeping the first one's number and style
// (ECMA-376 17.13.5.15). The .docx and .doc readers hold it here until the next paragraph comes, and
// write it alone where Word joins nothing: before a table, at a cell's or a story's end, before a text
// box, and at a section's end (which they never hold).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/office/text_blocks.h"

namespace folio::ingest::office {

class ParagraphJoin {
 public:
  bool holding() const { return held_.has_value(); }
  void hold(ParagraphText line) { held_ = std::move(line); }
  // The markers of a wholly deleted paragraph met while holding: they follow the held text. False when
  // nothing is held.
  bool appendMarkers(const std::string& markers) {
    if (!held_) return false;
    held_->text += markers;
    return true;
  }
  // The held paragraph with `text` (the next paragraph's, its page breaks at `page_breaks`) run on after
  // it; nothing is held after.
  ParagraphText joinedWith(const std::string& text, const std::vector<size_t>& page_breaks) {
    ParagraphText line = std::move(*held_);
    held_.reset();
    for (const size_t b : page_breaks) line.page_breaks.push_back(line.text.size() + b);
    line.text += text;
    return line;
  }
  // The held paragraph, to be written alone; nothing is held after.
  std::optional<ParagraphText> release() {
    std::optional<ParagraphText> out = std::move(held_);
    held_.reset();
    return out;
  }

 private:
  std::optional<ParagraphText> held_;
};

}  // namespace folio::ingest::office
