#include "ingest/office/docx_extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "ingest/office/docx_numbering.h"
#include "ingest/office/docx_styles.h"
#include "ingest/office/office_package.h"
#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

bool onValue(std::string_view v) { return v.empty() || (v != "0" && v != "false" && v != "off"); }

int parseLevel(std::string_view v) {
  const int n = attributeInt(v, -1);
  return n >= 0 && n <= 9 ? n : -1;  // 9: body text
}

// Elements whose whole subtree is no part of the text Word shows: deleted and moved-away runs,
// the previous properties of tracked formatting changes, and the fallback copy of alternate content
// (text boxes are stored twice, once for older readers).
bool skippedSubtree(std::string_view name) {
  return name == "del" || name == "moveFrom" || name == "pPrChange" || name == "rPrChange" || name == "Fallback" ||
         name == "sectPrChange" || name == "tblPrChange" || name == "trPrChange" || name == "tcPrChange";
}

std::string trimLine(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.pop_back();
  size_t lead = 0;
  while (lead < s.size() && (s[lead] == ' ' || s[lead] == '\n')) ++lead;
  return s.substr(lead);
}

// The text of each footnote, endnote or comment of a notes part, by id, paragraphs joined by a space; a
// comment's text starts with its author ("Jane Doe: …").
Result<std::map<std::string, std::string>> readNotes(std::string_view xml, const std::string& part) {
  std::map<std::string, std::string> notes;
  std::string* current = nullptr;
  SubtreeSkipper skipper;
  bool in_text = false;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    if (!skipper.enter(skippedSubtree(name))) {
      in_text = false;
      return;
    }
    if (name == "footnote" || name == "endnote" || name == "comment") {
      current = &notes[std::string(a.get("id"))];
      if (name == "comment" && !a.get("author").empty()) {
        appendValidUtf8(*current, a.get("author"));
        *current += ": ";
      }
    } else if (current != nullptr && name == "p" && !current->empty() && current->back() != ' ') {
      *current += ' ';
    } else if (current != nullptr && name == "tab") {
      *current += ' ';
    }
    in_text = name == "t";
  };
  h.end = [&](std::string_view name) {
    if (!skipper.leave()) return;
    if (name == "footnote" || name == "endnote" || name == "comment") current = nullptr;
    in_text = false;
  };
  h.text = [&](std::string_view text) {
    if (in_text && current != nullptr && !skipper.skipping()) appendValidUtf8(*current, text);
  };
  FOLIO_TRY(parseXml(xml, part, h));
  for (auto& [id, text] : notes) text = trimLine(std::move(text));
  return notes;
}

class BodyReader {
 public:
  BodyReader(DocxStyles& styles, DocxNumbering& numbering) : styles_(styles), numbering_(numbering) {}

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view name, const XmlAttributes& a) { start(name, a); };
    h.end = [this](std::string_view name) { end(name); };
    h.text = [this](std::string_view text) {
      if (in_text_ && !skipper_.skipping() && !hidden_ && !paragraphs_.empty()) appendValidUtf8(paragraphs_.back().text, text);
    };
    return h;
  }

  TextBlocks blocks;
  std::string title;
  struct NoteRef {
    bool endnote;
    std::string id;
  };
  std::vector<NoteRef> notes;      // in the order of their marks; mark n is notes[n-1]
  std::vector<std::string> comments;  // comment ids in the order of their marks ("[comment n]")

 private:
  struct Paragraph {
    std::string style;
    std::string num_id;
    int num_level = -1;
    bool has_numbering = false;
    int outline = -1;
    bool page_break_before = false;
    std::string text;
    std::vector<size_t> page_breaks;
  };

  void start(std::string_view name, const XmlAttributes& a) {
    if (!skipper_.enter(skippedSubtree(name))) return;
    if (name == "p") {
      paragraphs_.emplace_back();
      return;
    }
    if (name == "tr") return blocks.beginRow();
    if (name == "tc") return blocks.beginCell();
    if (paragraphs_.empty()) return;
    Paragraph& p = paragraphs_.back();
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

  void end(std::string_view name) {
    if (!skipper_.leave()) return;
    if (name == "t") in_text_ = false;
    else if (name == "pPr") in_ppr_ = false;
    else if (name == "r" && runs_open_ > 0) {
      --runs_open_;
      hidden_ = false;
    }
    else if (name == "p" && !paragraphs_.empty()) finishParagraph();
    else if (name == "tc") blocks.endCell();
    else if (name == "tr") blocks.endRow();
  }

  void finishParagraph() {
    Paragraph p = std::move(paragraphs_.back());
    paragraphs_.pop_back();
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
  std::pair<std::string, int> numberingOf(const Paragraph& p, const std::string& style) const {
    const auto from_style = styles_.numbering(style);
    std::string num_id = p.has_numbering && !p.num_id.empty() ? p.num_id : from_style ? from_style->num_id : "";
    if (num_id.empty() || num_id == "0") return {"", -1};
    int level = p.num_level;
    if (level < 0 && from_style) level = from_style->level;
    if (level < 0) level = numbering_.levelForStyle(num_id, style, styles_);
    return {num_id, std::max(level, 0)};
  }

  DocxStyles& styles_;
  DocxNumbering& numbering_;
  std::vector<Paragraph> paragraphs_;  // nested: a text box's paragraphs sit inside a paragraph
  SubtreeSkipper skipper_;
  int runs_open_ = 0;  // a text box's runs sit inside a run of the paragraph holding it
  bool in_ppr_ = false, in_text_ = false, hidden_ = false;
};

// The part `main` relates to by `kind`, parsed; a default value when the package has none.
template <class T, class Parse>
Result<T> readRelated(const OfficePackage& package, const std::string& main, std::string_view kind,
                      const std::string& name, Parse parse) {
  const std::string part = package.related(main, kind);
  if (part.empty()) return T{};
  auto xml = package.read(part);
  if (!xml.ok()) return xml.error();
  if (!*xml) return T{};
  return parse(**xml, name + ": " + part);
}

}  // namespace

Result<ExtractedText> extractDocx(const OfficePackage& package, const std::string& name) {
  const std::string main = package.wordMainPart();
  auto body = package.read(main);
  if (!body.ok()) return body.error();
  if (!*body) return badInput(name + ": not a Word document (no " + main + ")");

  auto styles = readRelated<DocxStyles>(package, main, "styles", name, DocxStyles::parse);
  if (!styles.ok()) return styles.error();
  auto numbering = readRelated<DocxNumbering>(package, main, "numbering", name, DocxNumbering::parse);
  if (!numbering.ok()) return numbering.error();

  BodyReader reader(*styles, *numbering);
  FOLIO_TRY(parseXml(**body, name + ": " + main, reader.handler()));

  if (!reader.notes.empty()) {
    auto footnotes = readRelated<std::map<std::string, std::string>>(package, main, "footnotes", name, readNotes);
    if (!footnotes.ok()) return footnotes.error();
    auto endnotes = readRelated<std::map<std::string, std::string>>(package, main, "endnotes", name, readNotes);
    if (!endnotes.ok()) return endnotes.error();
    std::vector<std::string> texts;
    for (const auto& ref : reader.notes) {
      const auto& from = ref.endnote ? *endnotes : *footnotes;
      const auto it = from.find(ref.id);
      texts.push_back(it == from.end() ? std::string() : it->second);
    }
    reader.blocks.addNotes(texts);
  }
  if (!reader.comments.empty()) {
    auto comments = readRelated<std::map<std::string, std::string>>(package, main, "comments", name, readNotes);
    if (!comments.ok()) return comments.error();
    std::vector<std::string> lines;
    for (size_t i = 0; i < reader.comments.size(); ++i) {
      const auto it = comments->find(reader.comments[i]);
      lines.push_back("[comment " + std::to_string(i + 1) + "] " + (it == comments->end() ? std::string() : it->second));
    }
    reader.blocks.addSection("Comments", lines);
  }

  ExtractedText out = reader.blocks.render();
  const CoreProperties properties = package.coreProperties();
  out.title = !properties.title.empty() ? properties.title : reader.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
