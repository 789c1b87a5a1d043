// What the OpenDocument spreadsheet and presentation readers share. OdfInlineText: the text inside
// paragraphs (<text:p>, <text:h>): runs of text, <text:s text:c="n"/> spaces, tabs and line breaks, links' text; comments
// (<office:annotation>) and notes' bodies left out. Feed it every element event; it says when a
// paragraph ends and hands over its text.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

class OdfInlineText {
 public:
  void start(std::string_view element, const XmlAttributes& a);
  // True when a paragraph just ended: its text is taken with take().
  bool end(std::string_view element);
  void characters(std::string_view text);
  std::string take();
  bool inParagraph() const { return depth_ > 0; }

 private:
  SubtreeSkipper skip_;
  int depth_ = 0;  // paragraphs open (a paragraph in a frame in a paragraph counts twice)
  std::string text_;
};

// Which automatic styles hide what they style: a sheet (<style:table-properties table:display="false">)
// or a slide (<style:drawing-page-properties presentation:visibility="hidden">). Feed it every start
// element; the styles come before the body that names them.
class OdfHiddenStyles {
 public:
  void start(std::string_view element, const XmlAttributes& a);
  bool hidden(std::string_view style) const { return hidden_.count(std::string(style)) > 0; }

 private:
  std::string style_;
  std::set<std::string> hidden_;
};

}  // namespace folio::ingest::office
