#include "ingest/office/docx_extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/office/docx_numbering.h"
#include "ingest/office/docx_styles.h"
#include "ingest/office/office_package.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

// One line of the extracted text: a paragraph or a table row.
struct Block {
  std::string text;
  int heading = -1;                 // 0-based outline level, -1 for body text
  std::vector<size_t> page_breaks;  // offsets into text where a new page starts
};

bool onValue(std::string_view v) { return v.empty() || (v != "0" && v != "false" && v != "off"); }

int parseLevel(std::string_view v) {
  if (v.size() != 1 || v[0] < '0' || v[0] > '9') return -1;
  return v[0] - '0';
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

// The text of each footnote or endnote of a notes part, by id, paragraphs joined by a space.
Result<std::map<std::string, std::string>> readNotes(std::string_view xml, const std::string& part) {
  std::map<std::string, std::string> notes;
  std::string* current = nullptr;
  int depth = 0, skip_until = -1;
  bool in_text = false;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    ++depth;
    if (skip_until >= 0) return;
    if (skippedSubtree(name)) {
      skip_until = depth;
    } else if (name == "footnote" || name == "endnote") {
      current = &notes[std::string(a.get("id"))];
    } else if (current != nullptr && name == "p" && !current->empty()) {
      *current += ' ';
    } else if (current != nullptr && name == "tab") {
      *current += ' ';
    }
    in_text = name == "t";
  };
  h.end = [&](std::string_view name) {
    if (skip_until == depth) skip_until = -1;
    --depth;
    if (name == "footnote" || name == "endnote") current = nullptr;
    in_text = false;
  };
  h.text = [&](std::string_view text) {
    if (in_text && current != nullptr && skip_until < 0) appendValidUtf8(*current, text);
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
      if (in_text_ && skip_until_ < 0 && !hidden_ && !paragraphs_.empty()) appendValidUtf8(paragraphs_.back().text, text);
    };
    return h;
  }

  std::vector<Block> blocks;
  std::string title;
  struct NoteRef {
    bool endnote;
    std::string id;
  };
  std::vector<NoteRef> notes;  // in the order of their marks; mark n is notes[n-1]

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
    ++depth_;
    if (skip_until_ >= 0) return;
    if (skippedSubtree(name)) {
      skip_until_ = depth_;
      return;
    }
    if (name == "p") {
      paragraphs_.emplace_back();
      return;
    }
    if (name == "tr") {
      rows_.emplace_back();
      return;
    }
    if (name == "tc") {
      cells_.emplace_back();
      return;
    }
    if (paragraphs_.empty()) return;
    Paragraph& p = paragraphs_.back();
    if (name == "pPr") {
      in_ppr_ = true;
    } else if (name == "r") {
      in_run_ = true;
      hidden_ = false;
    } else if (in_ppr_) {
      if (name == "pStyle") p.style = std::string(a.get("val"));
      else if (name == "numPr") p.has_numbering = true;
      else if (name == "numId") p.num_id = std::string(a.get("val"));
      else if (name == "ilvl") p.num_level = parseLevel(a.get("val"));
      else if (name == "outlineLvl") p.outline = parseLevel(a.get("val"));
      else if (name == "pageBreakBefore") p.page_break_before = onValue(a.get("val"));
    } else if (in_run_) {
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
      } else if ((name == "footnoteReference" || name == "endnoteReference") && a.get("customMarkFollows").empty()) {
        notes.push_back(NoteRef{name == "endnoteReference", std::string(a.get("id"))});
        p.text += "[" + std::to_string(notes.size()) + "]";
      }
    }
  }

  void end(std::string_view name) {
    const bool skipping = skip_until_ >= 0;
    if (skip_until_ == depth_) skip_until_ = -1;
    --depth_;
    if (skipping) return;
    if (name == "t") in_text_ = false;
    else if (name == "pPr") in_ppr_ = false;
    else if (name == "r") in_run_ = hidden_ = false;
    else if (name == "p" && !paragraphs_.empty()) finishParagraph();
    else if (name == "tc" && !cells_.empty()) {
      if (!rows_.empty()) rows_.back().cells.push_back(std::move(cells_.back().text));
      if (!rows_.empty() && cells_.back().page_break) rows_.back().page_break = true;
      cells_.pop_back();
    } else if (name == "tr" && !rows_.empty()) {
      finishRow();
    }
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
    Block b;
    b.heading = outline;
    const std::string prefix = label.empty() ? std::string() : label + (space ? " " : "");
    const std::string line = prefix + p.text;
    size_t lead = 0, stop = line.size();
    while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\n')) ++lead;
    while (stop > lead && (line[stop - 1] == ' ' || line[stop - 1] == '\t' || line[stop - 1] == '\n')) --stop;
    b.text = line.substr(lead, stop - lead);
    if (p.page_break_before) b.page_breaks.push_back(0);
    // Breaks inside the text move past the label; one at the paragraph's start stays at the line's.
    for (size_t at : p.page_breaks) {
      const size_t pos = at == 0 ? 0 : at + prefix.size();
      b.page_breaks.push_back(std::min(pos > lead ? pos - lead : 0, b.text.size()));
    }
    if (title.empty() && styles_.isTitle(style)) title = b.text;
    if (!cells_.empty()) {
      Cell& cell = cells_.back();
      if (!b.page_breaks.empty()) cell.page_break = true;
      if (!b.text.empty()) {
        if (!cell.text.empty()) cell.text += ' ';
        cell.text += b.text;
      }
      return;
    }
    blocks.push_back(std::move(b));
  }

  void finishRow() {
    Row row = std::move(rows_.back());
    rows_.pop_back();
    std::string line;
    bool any = false;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      std::string& cell = row.cells[i];
      std::replace(cell.begin(), cell.end(), '\n', ' ');
      if (i > 0) line += " | ";
      line += cell;
      any = any || !cell.empty();
    }
    if (!any) return;
    if (!cells_.empty()) {  // a table inside a cell: its rows become part of that cell's text
      Cell& outer = cells_.back();
      if (!outer.text.empty()) outer.text += " / ";
      outer.text += line;
      outer.page_break = outer.page_break || row.page_break;
      return;
    }
    Block b;
    b.text = std::move(line);
    if (row.page_break) b.page_breaks.push_back(0);
    blocks.push_back(std::move(b));
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

  struct Cell {
    std::string text;
    bool page_break = false;
  };
  struct Row {
    std::vector<std::string> cells;
    bool page_break = false;
  };

  DocxStyles& styles_;
  DocxNumbering& numbering_;
  std::vector<Paragraph> paragraphs_;  // nested: a text box's paragraphs sit inside a paragraph
  std::vector<Row> rows_;
  std::vector<Cell> cells_;
  int depth_ = 0, skip_until_ = -1;
  bool in_ppr_ = false, in_run_ = false, in_text_ = false, hidden_ = false;
};

// The blocks as text: one per line, a blank line between them, page starts where breaks fall.
ExtractedText render(const std::vector<Block>& blocks, bool heading_marks) {
  ExtractedText out;
  bool pending = false;  // a break after the previous line's text: the next line starts a page
  auto startPage = [&out](size_t offset) {
    if (out.page_starts.empty()) out.page_starts.push_back(0);
    if (offset > static_cast<size_t>(out.page_starts.back())) out.page_starts.push_back(static_cast<int64_t>(offset));
  };
  for (const Block& b : blocks) {
    if (b.text.empty()) {
      pending = pending || !b.page_breaks.empty();
      continue;
    }
    const std::string marks =
        heading_marks && b.heading >= 0 ? std::string(static_cast<size_t>(std::min(b.heading + 1, 6)), '#') + " " : "";
    const size_t line_start = out.text.size();
    if (pending) startPage(line_start);
    pending = false;
    for (size_t at : b.page_breaks) {
      if (at >= b.text.size()) pending = true;
      else startPage(line_start + (at == 0 ? 0 : marks.size() + at));
    }
    out.text += marks;
    out.text += b.text;
    out.text += "\n\n";
  }
  if (out.page_starts.size() == 1) out.page_starts.clear();
  return out;
}

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

Result<ExtractedText> extractDocx(std::string_view bytes, const std::string& name, uint64_t max_part_bytes) {
  auto package = OfficePackage::open(bytes, name, max_part_bytes);
  if (!package.ok()) return package.error();
  const std::string main = package->wordMainPart();
  auto body = package->read(main);
  if (!body.ok()) return body.error();
  if (!*body) return badInput(name + ": not a Word document (no " + main + ")");

  auto styles = readRelated<DocxStyles>(*package, main, "styles", name, DocxStyles::parse);
  if (!styles.ok()) return styles.error();
  auto numbering = readRelated<DocxNumbering>(*package, main, "numbering", name, DocxNumbering::parse);
  if (!numbering.ok()) return numbering.error();

  BodyReader reader(*styles, *numbering);
  FOLIO_TRY(parseXml(**body, name + ": " + main, reader.handler()));

  if (!reader.notes.empty()) {
    auto footnotes = readRelated<std::map<std::string, std::string>>(*package, main, "footnotes", name, readNotes);
    if (!footnotes.ok()) return footnotes.error();
    auto endnotes = readRelated<std::map<std::string, std::string>>(*package, main, "endnotes", name, readNotes);
    if (!endnotes.ok()) return endnotes.error();
    Block heading;
    heading.text = "Notes";
    reader.blocks.push_back(std::move(heading));
    for (size_t i = 0; i < reader.notes.size(); ++i) {
      const auto& ref = reader.notes[i];
      const auto& from = ref.endnote ? *endnotes : *footnotes;
      const auto it = from.find(ref.id);
      Block note;
      note.text = "[" + std::to_string(i + 1) + "] " + (it == from.end() ? std::string() : it->second);
      reader.blocks.push_back(std::move(note));
    }
  }

  ExtractedText out = render(reader.blocks, false);
  const bool has_headings =
      std::any_of(reader.blocks.begin(), reader.blocks.end(), [](const Block& b) { return b.heading >= 0; });
  if (has_headings && classifyText(out.text) == TextGenre::Generic) out = render(reader.blocks, true);

  const auto properties = package->coreProperties();
  if (!properties.ok()) return properties.error();
  out.title = !properties->title.empty() ? properties->title : reader.title;
  out.author = properties->author;
  return out;
}

}  // namespace folio::ingest::office
