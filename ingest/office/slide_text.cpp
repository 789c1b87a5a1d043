#include "ingest/office/slide_text.h"

#include "ingest/office/text_blocks.h"

namespace folio::ingest::office {
namespace {

void addItems(TextBlocks& blocks, const std::vector<SlideItem>& items, const std::string& first_prefix) {
  bool first = true;
  for (const SlideItem& item : items) {
    if (item.rows.empty()) {
      ParagraphText p;
      p.text = (first ? first_prefix : std::string()) + item.text;
      if (item.heading) p.heading = 1;
      blocks.addParagraph(p);
    } else {
      for (const auto& row : item.rows) {
        blocks.beginRow();
        for (const auto& cell : row) {
          blocks.beginCell();
          ParagraphText p;
          p.text = cell;
          blocks.addParagraph(p);
          blocks.endCell();
        }
        blocks.endRow();
      }
    }
    first = false;
  }
}

}  // namespace

ExtractedText renderSlides(const std::vector<SlideText>& slides) {
  TextBlocks blocks;
  for (size_t i = 0; i < slides.size(); ++i) {
    const SlideText& slide = slides[i];
    ParagraphText heading;
    heading.text = "Slide " + std::to_string(i + 1) + (slide.hidden ? " (hidden)" : "") +
                   (slide.title.empty() ? "" : ": " + slide.title);
    heading.heading = 0;
    heading.page_break_before = i > 0;
    blocks.addParagraph(heading);
    addItems(blocks, slide.items, "");
    addItems(blocks, slide.notes, "Speaker notes: ");
  }
  return blocks.render();
}

}  // namespace folio::ingest::office
