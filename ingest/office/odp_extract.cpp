#include "ingest/office/odp_extract.h"

#include <vector>

#include "ingest/office/odf_reading.h"
#include "ingest/office/slide_text.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {
namespace {

class PresentationReader {
 public:
  std::vector<SlideText> slides;

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view element, const XmlAttributes& a) {
      inline_.start(element, a);
      hidden_styles_.start(element, a);
      if (element == "page" && !in_notes_) {
        slides.emplace_back();
        slides.back().hidden = hidden_styles_.hidden(a.get("style-name"));
      } else if (element == "notes" && !slides.empty()) {
        in_notes_ = true;
      } else if (element == "frame" || element == "custom-shape" || element == "rect" || element == "ellipse") {
        const std::string_view cls = a.get("class");
        frames_.push_back(cls == "title" ? Frame::Title
                          : cls == "page-number" || cls == "footer" || cls == "date-time" || cls == "header" ||
                                  (in_notes_ && cls != "notes")
                              ? Frame::Skipped
                              : Frame::Text);
      } else if (element == "table" && ++table_depth_ == 1) {
        table_.clear();
      } else if (table_depth_ == 1 && element == "table-row") {
        table_.emplace_back();
      } else if (table_depth_ == 1 && element == "table-cell" && !table_.empty()) {
        table_.back().emplace_back();
      }
    };
    h.end = [this](std::string_view element) {
      if (inline_.end(element)) paragraph(inline_.take());
      if (element == "frame" || element == "custom-shape" || element == "rect" || element == "ellipse") {
        if (!frames_.empty()) frames_.pop_back();
      } else if (element == "notes") {
        in_notes_ = false;
      } else if (element == "table" && table_depth_ > 0 && --table_depth_ == 0 && !slides.empty()) {
        target().push_back(SlideItem{{}, std::move(table_)});
        table_.clear();
      }
    };
    h.text = [this](std::string_view s) { inline_.characters(s); };
    return h;
  }

 private:
  enum class Frame { Text, Title, Skipped };

  std::vector<SlideItem>& target() { return in_notes_ ? slides.back().notes : slides.back().items; }

  void paragraph(std::string text) {
    if (slides.empty() || text.empty()) return;
    const Frame frame = frames_.empty() ? Frame::Text : frames_.back();
    if (frame == Frame::Skipped) return;
    if (table_depth_ > 0) {  // a cell's paragraphs join into the cell
      if (table_depth_ == 1 && !table_.empty() && !table_.back().empty()) {
        std::string& cell = table_.back().back();
        cell += (cell.empty() ? "" : " ") + text;
      }
      return;
    }
    if (frame == Frame::Title && !in_notes_) {
      for (char& c : text)
        if (c == '\n' || c == '\t') c = ' ';
      std::string& title = slides.back().title;
      title += (title.empty() ? "" : " ") + text;
      return;
    }
    target().push_back(SlideItem{std::move(text), {}});
  }

  OdfInlineText inline_;
  OdfHiddenStyles hidden_styles_;
  std::vector<Frame> frames_;
  bool in_notes_ = false;
  int table_depth_ = 0;
  std::vector<std::vector<std::string>> table_;
};

}  // namespace

Result<ExtractedText> extractOdp(const OfficePackage& package, const std::string& name) {
  auto content = package.read("content.xml");
  if (!content.ok()) return content.error();
  if (!*content) return badInput(name + ": not an OpenDocument presentation (no content.xml)");
  PresentationReader reader;
  FOLIO_TRY(parseXml(**content, name + ": content.xml", reader.handler()));
  ExtractedText out = renderSlides(reader.slides);
  const CoreProperties properties = package.openDocumentProperties();
  out.title = properties.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
