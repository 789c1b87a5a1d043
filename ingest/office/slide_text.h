// The text of a presentation (PowerPoint, OpenDocument) as Folio extracts it: each slide a page — so a
// citation's page is the slide number — opening with a "Slide N: <title>" heading line ("Slide N
// (hidden): …" for a slide left out of the show), then its paragraphs and tables ("cell | cell" rows) in
// order, then its speaker notes ("Speaker notes: …").
#pragma once

#include <string>
#include <vector>

#include "ingest/chunk.h"

namespace folio::ingest::office {

// A paragraph, or a table.
struct SlideItem {
  std::string text;
  std::vector<std::vector<std::string>> rows;
  bool heading = false;  // a heading inside the slide (a chart's "Chart: <title>")
};

struct SlideText {
  std::string title;
  bool hidden = false;
  std::vector<SlideItem> items;
  std::vector<SlideItem> notes;
};

ExtractedText renderSlides(const std::vector<SlideText>& slides);

}  // namespace folio::ingest::office
