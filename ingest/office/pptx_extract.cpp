#include "ingest/office/pptx_extract.h"

#include <map>
#include <vector>

#include "ingest/office/related_charts.h"
#include "ingest/office/slide_text.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

// Walks a slide's shape tree: text bodies of shapes (<p:sp>), tables and charts in graphic frames
// (<a:tbl>, <c:chart>), group shapes by recursion of the walk itself. Of alternate content only the
// first choice is read (the fallback of an Office 2016 chart is a picture with an "isn't available"
// line).
class SlideReader {
 public:
  // `charts`: the slide's charts, nullptr for a notes page.
  SlideReader(bool notes, RelatedCharts* charts) : notes_(notes), charts_(charts) {}
  SlideText slide;

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view element, const XmlAttributes& a) {
      if (!skip_.enter(element == "Fallback")) return;
      if (element == "chart" && charts_ != nullptr && a.has("id") && table_depth_ == 0) {
        addChart(charts_->text(a.get("id")));
      } else if (element == "sld") {
        slide.hidden = a.get("show") == "0";
      } else if (element == "sp") {
        shape_ = Shape{};
      } else if (element == "ph") {
        const std::string_view type = a.get("type");
        shape_.title = type == "title" || type == "ctrTitle";
        // Repeated on every slide, or (on a notes page) the slide's picture and its number.
        shape_.skip = type == "sldNum" || type == "dt" || type == "ftr" || type == "hdr" || type == "sldImg" ||
                      (notes_ && type != "body");
      } else if (element == "tbl") {
        table_depth_ += 1;
        if (table_depth_ == 1) table_.clear();
      } else if (element == "tr" && table_depth_ == 1) {
        table_.emplace_back();
      } else if (element == "tc" && table_depth_ == 1 && !table_.empty()) {
        table_.back().emplace_back();
      } else if (element == "p") {
        paragraph_.clear();
        in_paragraph_ = true;
      } else if (element == "t") {
        in_t_ = in_paragraph_;
      } else if (element == "br" && in_paragraph_) {
        paragraph_ += '\n';
      } else if (element == "tab" && in_paragraph_) {
        paragraph_ += '\t';
      }
    };
    h.end = [this](std::string_view element) {
      if (!skip_.leave()) return;
      if (element == "t") in_t_ = false;
      if (element == "p" && in_paragraph_) finishParagraph();
      if (element == "tbl" && table_depth_ > 0 && --table_depth_ == 0) {
        slide.items.push_back(SlideItem{{}, std::move(table_)});
        table_.clear();
      }
    };
    h.text = [this](std::string_view s) {
      if (in_t_ && !skip_.skipping()) appendValidUtf8(paragraph_, s);
    };
    return h;
  }

 private:
  struct Shape {
    bool title = false, skip = false;
  };

  void addChart(const ChartText& chart) {
    slide.items.push_back(SlideItem{chart.heading(), {}, true});
    for (const std::string& line : chart.lines) slide.items.push_back(SlideItem{line, {}});
  }

  void finishParagraph() {
    in_paragraph_ = false;
    std::string text = paragraph_;
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (text.empty()) return;
    if (table_depth_ > 0) {  // a cell's paragraphs join into the cell
      if (table_depth_ == 1 && !table_.empty() && !table_.back().empty()) {
        std::string& cell = table_.back().back();
        cell += (cell.empty() ? "" : " ") + text;
      }
      return;
    }
    if (shape_.skip) return;
    if (shape_.title && !notes_) {
      for (char& c : text)
        if (c == '\n' || c == '\t') c = ' ';
      slide.title += (slide.title.empty() ? "" : " ") + text;
      return;
    }
    slide.items.push_back(SlideItem{std::move(text), {}});
  }

  bool notes_;
  RelatedCharts* charts_;
  SubtreeSkipper skip_;
  Shape shape_;
  std::string paragraph_;
  bool in_paragraph_ = false, in_t_ = false;
  int table_depth_ = 0;
  std::vector<std::vector<std::string>> table_;
};

Result<SlideText> readSlide(const OfficePackage& package, const std::string& part, const std::string& name, bool notes) {
  auto xml = package.read(part);
  if (!xml.ok()) return xml.error();
  RelatedCharts charts(package, part);
  SlideReader reader(notes, notes ? nullptr : &charts);
  if (!*xml) return reader.slide;
  auto parsed = parseXml(**xml, part, reader.handler());
  if (!parsed.ok()) return parsed.error().context(name);
  return std::move(reader.slide);
}

}  // namespace

Result<ExtractedText> extractPptx(const OfficePackage& package, const std::string& name) {
  std::string presentation = package.mainPart();
  if (presentation.empty()) presentation = "ppt/presentation.xml";
  auto xml = package.read(presentation);
  if (!xml.ok()) return xml.error();
  if (!*xml) return badInput(name + ": no " + presentation + " (not a PowerPoint presentation?)");
  const auto slide_parts = package.relationships(presentation, "slide");
  // The slide list: <p:sldId id="256" r:id="rId2"/> — both attributes are "id" without their prefixes,
  // so the relationship id is the one the relationships know.
  std::vector<std::string> order;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes& a) {
    if (element != "sldId") return;
    for (const auto& [attribute, value] : a.items) {
      const auto part = slide_parts.find(std::string(value));
      if (attribute == "id" && part != slide_parts.end()) {
        order.push_back(part->second);
        break;
      }
    }
  };
  auto parsed = parseXml(**xml, presentation, h);
  if (!parsed.ok()) return parsed.error().context(name);

  std::vector<SlideText> slides;
  for (const std::string& part : order) {
    auto slide = readSlide(package, part, name, false);
    if (!slide.ok()) return slide.error();
    const std::string notes_part = package.related(part, "notesSlide");
    if (!notes_part.empty()) {
      auto notes = readSlide(package, notes_part, name, true);
      if (!notes.ok()) return notes.error();
      slide->notes = std::move(notes->items);
    }
    slides.push_back(std::move(*slide));
  }
  ExtractedText out = renderSlides(slides);
  const CoreProperties properties = package.coreProperties();
  out.title = properties.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
