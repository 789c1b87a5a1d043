#include "ingest/office/odf_reading.h"

#include <algorithm>

#include "ingest/utf8_text.h"

namespace folio::ingest::office {

void OdfInlineText::start(std::string_view element, const XmlAttributes& a) {
  if (!skip_.enter(element == "annotation" || element == "note-citation" || element == "note-body")) return;
  if (element == "p" || element == "h") {
    if (depth_ > 0 && !text_.empty() && text_.back() != ' ') text_ += ' ';
    ++depth_;
  } else if (depth_ > 0 && element == "s") {
    text_.append(static_cast<size_t>(std::min(std::max(attributeInt(a.get("c"), 1), 1), 1000)), ' ');
  } else if (depth_ > 0 && element == "tab") {
    text_ += '\t';
  } else if (depth_ > 0 && element == "line-break") {
    text_ += '\n';
  }
}

bool OdfInlineText::end(std::string_view element) {
  if (!skip_.leave()) return false;
  if ((element != "p" && element != "h") || depth_ == 0) return false;
  return --depth_ == 0;
}

void OdfInlineText::characters(std::string_view text) {
  if (depth_ > 0 && !skip_.skipping()) appendValidUtf8(text_, text);
}

std::string OdfInlineText::take() {
  std::string out = std::move(text_);
  text_.clear();
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\t')) out.pop_back();
  return out;
}

void OdfHiddenStyles::start(std::string_view element, const XmlAttributes& a) {
  if (element == "style") {
    style_ = std::string(a.get("name"));
  } else if ((element == "table-properties" && a.get("display") == "false") ||
             (element == "drawing-page-properties" && a.get("visibility") == "hidden")) {
    hidden_.insert(style_);
  }
}

}  // namespace folio::ingest::office
