#include "ingest/office/docx_body.h"

#include <algorithm>

#include "ingest/office/page_labels.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

bool onValue(std::string_view v) { return v.empty() || (v != "0" && v != "false" && v != "off"); }

int parseLevel(std::string_view v) {
  const int n = attributeInt(v, -1);
  return n >= 0 && n <= 9 ? n : -1;  // 9: body text
}

constexpr size_t kMaxFieldCode = 256;  // a page field's name comes first; the rest need not be kept

}  // namespace

bool docxSkippedSubtree(std::string_view name) {
  return name == "del" || name == "moveFrom" || name == "pPrChange" || name == "rPrChange" || name == "Fallback" ||
         name == "sectPrChange" || name == "tblPrChange" || name == "trPrChange" || name == "tcPrChange";
}

XmlHandler DocxBodyReader::handler() {
  XmlHandler h;
  h.start = [this](std::string_view name, const XmlAttributes& a) { start(name, a); };
  h.end = [this](std::string_view name) { end(name); };
  h.text = [this](std::string_view t) { text(t); };
  return h;
}

void DocxBodyReader::text(std::string_view t) {
  if (skipper_.skipping() || hidden_ || paragraphs_.empty()) return;
  if (in_instruction_ && !fields_.empty() && fields_.back().code.size() < kMaxFieldCode) {
    fields_.back().code += t.substr(0, kMaxFieldCode);
  }
  if (in_text_ && !inPageField()) appendValidUtf8(paragraphs_.back().text, t);
}

// A section's properties: its header and footer references and whether its first page differs.
bool DocxBodyReader::sectionElement(std::string_view name, const XmlAttributes& a) {
  if (name == "sectPr") {
    sections.emplace_back();
    in_sectpr_ = true;
    return true;
  }
  if (!in_sectpr_) return false;
  if (name == "headerReference" || name == "footerReference") {
    sections.back().refs.push_back({name == "footerReference", std::string(a.get("type", "default")), std::string(a.get("id"))});
  } else if (name == "titlePg") {
    sections.back().title_page = onValue(a.get("val"));
  }
  return true;
}

// Complex fields (w:fldChar begin/separate/end around w:instrText) and simple ones (w:fldSimple):
// tracked in headers only, where page numbers are left out.
void DocxBodyReader::fieldElement(std::string_view name, const XmlAttributes& a) {
  if (name == "fldChar") {
    const std::string_view type = a.get("fldCharType");
    if (type == "begin") {
      fields_.emplace_back();
    } else if (type == "separate" && !fields_.empty()) {
      fields_.back().result = true;
      fields_.back().page = pageFieldCode(fields_.back().code);
      if (fields_.back().page && !paragraphs_.empty()) paragraphs_.back().page_field = true;
    } else if (type == "end" && !fields_.empty()) {
      fields_.pop_back();
    }
  } else if (name == "instrText") {
    in_instruction_ = true;
  }
}

bool DocxBodyReader::inPageField() const {
  return std::any_of(fields_.begin(), fields_.end(), [](const Field& f) { return f.result && f.page; });
}

void DocxBodyReader::start(std::string_view name, const XmlAttributes& a) {
  if (!skipper_.enter(docxSkippedSubtree(name))) return;
  if (name == "p") {
    paragraphs_.emplace_back();
    return;
  }
  if (sectionElement(name, a)) return;
  if (name == "tr") return blocks.beginRow();
  if (name == "tc") return blocks.beginCell();
  if (name == "txbxContent") return blocks.beginFloating();
  if (paragraphs_.empty()) return;
  Paragraph& p = paragraphs_.back();
  if (page_fields_dropped_ && name == "fldSimple") {
    const std::string_view code = a.get("instr");
    fields_.push_back({std::string(code.substr(0, kMaxFieldCode)), true, pageFieldCode(code)});
    p.page_field = p.page_field || fields_.back().page;
    return;
  }
  if (name == "pPr") {
    in_ppr_ = true;
  } else if (name == "r") {
    ++runs_open_;
    hidden_ = false;
  } else if (in_ppr_) {
    if (name == "pStyle") p.style = std::string(a.get("val"));
    else if (name == "numPr") p.has_numbering = true;
    else if (name == "numId") p.num_id = std::string(a.get("val"));
    else if (name == "ilvl") p.num_level = parseLevel(a.get("val"));
    else if (name == "outlineLvl") p.outline = parseLevel(a.get("val"));
    else if (name == "pageBreakBefore") p.page_break_before = onValue(a.get("val"));
  } else if (runs_open_ > 0) {
    if (page_fields_dropped_) fieldElement(name, a);  // a hidden run's field marks still open and close it
    if (name == "vanish") hidden_ = onValue(a.get("val"));
    if (hidden_) return;
    if (name == "t") in_text_ = true;
    else if (name == "tab" || name == "ptab") p.text += '\t';
    else if (name == "cr") p.text += '\n';
    else if (name == "noBreakHyphen") p.text += '-';
    else if (name == "lastRenderedPageBreak") p.page_breaks.push_back(p.text.size());
    else if (name == "br") {
      if (a.get("type") == "page") p.page_breaks.push_back(p.text.size());
      else p.text += '\n';
    } else if (name == "commentReference") {
      comments.emplace_back(a.get("id"));
      p.text += "[comment " + std::to_string(comments.size()) + "]";
    } else if ((name == "footnoteReference" || name == "endnoteReference") && a.get("customMarkFollows").empty()) {
      notes.push_back(NoteRef{name == "endnoteReference", std::string(a.get("id"))});
      p.text += "[" + std::to_string(notes.size()) + "]";
    }
  }
}

void DocxBodyReader::end(std::string_view name) {
  if (!skipper_.leave()) return;
  if (name == "t") in_text_ = false;
  else if (name == "instrText") in_instruction_ = false;
  else if (name == "sectPr") in_sectpr_ = false;
  else if (name == "pPr") in_ppr_ = false;
  else if (name == "fldSimple" && page_fields_dropped_ && !paragraphs_.empty() && !fields_.empty()) fields_.pop_back();
  else if (name == "r" && runs_open_ > 0) {
    --runs_open_;
    hidden_ = false;
  }
  else if (name == "p" && !paragraphs_.empty()) finishParagraph();
  else if (name == "tc") blocks.endCell();
  else if (name == "tr") blocks.endRow();
  else if (name == "txbxContent") blocks.endFloating();
}

void DocxBodyReader::finishParagraph() {
  Paragraph p = std::move(paragraphs_.back());
  paragraphs_.pop_back();
  if (page_fields_dropped_ && p.page_field) {
    if (pageLabelOnly(p.text)) return;
    p.text = withoutDanglingSeparators(std::move(p.text));  // "Confidential — " once its page is out
    p.page_breaks.clear();
  }
  const std::string& style = p.style.empty() ? styles_.defaultParagraphStyle() : p.style;
  if (styles_.isTableOfContents(style)) return;  // the headings are in the text already
  std::string label;
  bool space = true;
  const auto [num_id, level] = numberingOf(p, style);
  if (!num_id.empty()) {
    label = numbering_.next(num_id, level, styles_);
    space = numbering_.spaceAfter(num_id, level, styles_);
  }
  const int outline = p.outline >= 0 ? (p.outline >= 9 ? -1 : p.outline) : styles_.outlineLevel(style);
  const bool is_title = styles_.isTitle(style);
  const std::string line =
      blocks.addParagraph({label, space, std::move(p.text), std::move(p.page_breaks), p.page_break_before, outline, is_title});
  if (title.empty() && is_title) title = line;
}

// The list a paragraph is numbered by and its level: its own w:numPr, else its style's.
std::pair<std::string, int> DocxBodyReader::numberingOf(const Paragraph& p, const std::string& style) const {
  const auto from_style = styles_.numbering(style);
  std::string num_id = p.has_numbering && !p.num_id.empty() ? p.num_id : from_style ? from_style->num_id : "";
  if (num_id.empty() || num_id == "0") return {"", -1};
  int level = p.num_level;
  if (level < 0 && from_style) level = from_style->level;
  if (level < 0) level = numbering_.levelForStyle(num_id, style, styles_);
  return {num_id, std::max(level, 0)};
}

}  // namespace folio::ingest::office
