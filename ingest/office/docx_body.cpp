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
  if (paragraphs_.empty()) return;
  Paragraph& p = paragraphs_.back();
  if (skipper_.skipping()) return scanner_.skippedText(t, &p.changes);
  if (hidden_) return;
  if (in_instruction_ && !fields_.empty() && fields_.back().code.size() < kMaxFieldCode) {
    fields_.back().code += t.substr(0, kMaxFieldCode);
  }
  if (in_text_ && !inPageField()) {
    const size_t from = p.text.size();
    appendValidUtf8(p.text, t);
    noteShown(p, from);
  }
}

// Text shown outside any insertion: the paragraph is not wholly inserted or deleted.
void DocxBodyReader::noteShown(Paragraph& p, size_t from) {
  if (p.changes.inserting()) return;
  if (p.text.find_first_not_of(" \t\n", from) != std::string::npos) p.changes.unchangedText();
}

void DocxBodyReader::appendShown(Paragraph& p, std::string_view text) {
  const size_t from = p.text.size();
  p.text += text;
  noteShown(p, from);
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
  Paragraph* open = paragraphs_.empty() ? nullptr : &paragraphs_.back();
  scanner_.start(name, a, open ? &open->changes : nullptr, open ? open->text.size() : 0,
                 rows_.empty() ? nullptr : &rows_.back().whole.change, skipper_.skipping());
  if (!skipper_.enter(docxSkippedSubtree(name))) return;
  if (name == "p") {
    openPendingCell();
    paragraphs_.emplace_back();
    return;
  }
  if (name == "sectPr" && in_ppr_ && !paragraphs_.empty()) paragraphs_.back().section_end = true;
  if (sectionElement(name, a)) return;
  if (name == "tbl") {
    // A paragraph mark before a table joins nothing: Word keeps the paragraph.
    flushJoined();
    openPendingCell();
    if (table_rows_.empty()) places_.startTable();
    table_rows_.push_back(0);
    return;
  }
  if (name == "tr") {
    rows_.push_back(Row{});
    rows_.back().index = table_rows_.empty() ? 1 : ++table_rows_.back();
    if (table_rows_.size() == 1) places_.startRow(rows_.back().index);
    return blocks.beginRow();
  }
  if (name == "tc") {
    if (rows_.empty()) return blocks.beginCell();
    Row& row = rows_.back();
    ++row.column;
    row.whole.new_cell = true;
    row.cell = ChangedPart{};
    row.cell_pending = true;  // opened at its first paragraph or table, once its w:tcPr is read
    return;
  }
  if (name == "tblHeader" && !rows_.empty()) {
    rows_.back().header = onValue(a.get("val"));
    return;
  }
  if ((name == "cellIns" || name == "cellDel") && !rows_.empty()) {
    return rows_.back().cell.change.set(name == "cellIns" ? ChangeMark::Inserted : ChangeMark::Deleted, a);
  }
  if (name == "txbxContent") {
    flushJoined();
    ++boxes_;
    return blocks.beginFloating();
  }
  if (paragraphs_.empty()) return;
  if (name == "chart" && charts != nullptr && a.has("id")) return placeChart(charts->text(a.get("id")));
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
    else if (name == "noBreakHyphen") appendShown(p, "-");
    else if (name == "lastRenderedPageBreak") p.page_breaks.push_back(p.text.size());
    else if (name == "br") {
      if (a.get("type") == "page") p.page_breaks.push_back(p.text.size());
      else p.text += '\n';
    } else if (name == "commentReference") {
      comments.emplace_back(a.get("id"));
      p.text += markerText("comment", static_cast<int>(comments.size()));
    } else if ((name == "footnoteReference" || name == "endnoteReference") && a.get("customMarkFollows").empty()) {
      notes.push_back(NoteRef{name == "endnoteReference", std::string(a.get("id"))});
      p.text += "[" + std::to_string(notes.size()) + "]";
    }
  }
}

void DocxBodyReader::end(std::string_view name) {
  Paragraph* open = paragraphs_.empty() ? nullptr : &paragraphs_.back();
  scanner_.end(open ? &open->changes : nullptr, open ? &open->text : nullptr);
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
  else if (name == "tc") finishCell();
  else if (name == "tr") finishRow();
  else if (name == "tbl" && !table_rows_.empty()) table_rows_.pop_back();
  else if (name == "txbxContent") {
    flushJoined();
    boxes_ = std::max(boxes_ - 1, 0);
    blocks.endFloating();
  }
  else if (name == "body" || name == "hdr" || name == "ftr") flushJoined();
}

void DocxBodyReader::openPendingCell() {
  if (rows_.empty() || !rows_.back().cell_pending) return;
  Row& row = rows_.back();
  row.cell_pending = false;
  if (row.cell.deleted()) return;  // accepted, the cell is gone from its row
  row.cell_open = true;
  blocks.beginCell();
}

void DocxBodyReader::finishCell() {
  if (rows_.empty()) return blocks.endCell();
  openPendingCell();  // an empty cell is still a cell
  flushJoined();      // the last paragraph of a cell joins nothing after it
  Row& row = rows_.back();
  if (row.cell_open) blocks.endCell();
  row.cell_open = false;
  ChangedPart cell = std::move(row.cell);
  row.cell = ChangedPart{};
  if (cell.change.mark == ChangeMark::None || row.whole.change.mark != ChangeMark::None) return;
  ChangeDraft d;
  d.kind = cell.deleted() ? ChangeDraft::Kind::DeletedCell : ChangeDraft::Kind::InsertedCell;
  d.author = std::move(cell.change.author);
  d.date = std::move(cell.change.date);
  (cell.deleted() ? d.deleted : d.inserted) = std::move(cell.text);
  row.cell_changes.emplace_back(std::move(d), row.column);
}

void DocxBodyReader::addLine(ParagraphText line) {
  const bool is_title = line.title;
  const std::string written = blocks.addParagraph(line);
  if (title.empty() && is_title) title = written;
}

void DocxBodyReader::flushJoined() {
  if (std::optional<ParagraphText> line = joined_.release()) addLine(std::move(*line));
}

// The innermost open row or cell inserted or deleted as a whole (a row before its own cell): its
// paragraphs' changes are that one change.
DocxBodyReader::ChangedPart* DocxBodyReader::changedPart() {
  for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
    if (it->whole.change.mark != ChangeMark::None) return &it->whole;
    if (it->cell.change.mark != ChangeMark::None) return &it->cell;
  }
  return nullptr;
}

// A change in a table is placed by the outermost table's row and cell (as a .doc's reader places it).
ChangeSite DocxBodyReader::site() const {
  if (boxes_ > 0) return {story_, "text box"};
  if (!rows_.empty()) return {story_, cellPlace(rows_.front().column)};
  if (!table_rows_.empty()) return {story_, tableRowPlace(table_rows_.front())};
  return {story_, ""};
}

// Cell `column` of the outermost table's row being read, as the list names it.
std::string DocxBodyReader::cellPlace(size_t column) const {
  return table_rows_.size() == rows_.size() ? places_.place(column) : tableRowPlace(rows_.front().index);
}

void DocxBodyReader::finishRow() {
  blocks.endRow();
  if (rows_.empty()) return;
  // The markers stand on a line of their own after the row (the row's last cell is written by then).
  if (!rows_.back().cell_changes.empty()) {
    ParagraphText markers;
    for (const auto& [d, column] : rows_.back().cell_changes) {
      markers.text += changes_.markerLine({d}, {story_, cellPlace(rows_.size() == 1 ? column : rows_.front().column)}).text;
    }
    blocks.addParagraph(markers);
  }
  Row row = std::move(rows_.back());
  rows_.pop_back();
  if (rows_.empty() && table_rows_.size() == 1) places_.endRow(row.header);
  const ChangeSite where{story_, tableRowPlace(row.index)};
  if (row.whole.change.mark == ChangeMark::None) return;
  ChangeDraft d;
  const bool deleted = row.whole.deleted();
  d.kind = deleted ? ChangeDraft::Kind::DeletedRow : ChangeDraft::Kind::InsertedRow;
  d.author = std::move(row.whole.change.author);
  d.date = std::move(row.whole.change.date);
  (deleted ? d.deleted : d.inserted) = std::move(row.whole.text);
  blocks.addParagraph(changes_.markerLine({d}, where));
}

void DocxBodyReader::finishParagraph() {
  Paragraph p = std::move(paragraphs_.back());
  paragraphs_.pop_back();
  const std::string& style = p.style.empty() ? styles_.defaultParagraphStyle() : p.style;
  if (styles_.isTableOfContents(style)) return flushJoined();  // the headings are in the text already (so are its changes)
  ParagraphChanges::Outcome changed = p.changes.finish();
  ChangedPart* part = changedPart();
  if (rows_.size() == 1 && table_rows_.size() == 1 && boxes_ == 0 && !changed.removed && !(part != nullptr && part->deleted())) {
    places_.cellText(rows_[0].column, p.text);  // the text as accepted, before its markers
  }
  if (part != nullptr) {
    // Part of a row or cell inserted or deleted as a whole: its text goes to that change.
    const bool deleted = part->deleted();
    std::string piece;
    for (const ChangeDraft& d : changed.changes) piece += d.deleted;
    if (!deleted || piece.empty()) piece = p.text;  // a deleted cell's runs need not be marked deleted
    if (!piece.empty()) {
      if (!part->text.empty()) part->text += part->new_cell ? " | " : " ";
      part->text += piece;
      part->new_cell = false;
    }
    if (deleted || changed.removed) return;
    changed.changes.clear();
    changed.joins_next = false;
  } else {
    changes_.countParagraphMarks(changed.mark_changes);
    if (changed.removed) {
      // Accepted, the paragraph is gone (its number too); its marker stands on a line of its own, or
      // after the text of a paragraph it now runs on from.
      if (changed.changes.empty()) return;
      ParagraphText markers = changes_.markerLine(changed.changes, site());
      if (!joined_.appendMarkers(markers.text)) blocks.addParagraph(markers);
      return;
    }
  }
  if (page_fields_dropped_ && p.page_field) {
    if (pageLabelOnly(p.text)) return flushJoined();
    p.text = withoutDanglingSeparators(std::move(p.text));  // "Confidential — " once its page is out
    p.page_breaks.clear();
  }
  if (!changed.changes.empty()) changes_.place(changed.changes, site(), p.text, &p.page_breaks);
  ParagraphText line;
  if (joined_.holding()) {
    // Joined to the paragraph before it, whose mark was deleted: Word keeps that one's number and style.
    line = joined_.joinedWith(p.text, p.page_breaks);
  } else {
    std::string label;
    bool space = true;
    const auto [num_id, level] = numberingOf(p, style);
    if (!num_id.empty()) {
      label = numbering_.next(num_id, level, styles_);
      space = numbering_.spaceAfter(num_id, level, styles_);
    }
    const int outline = p.outline >= 0 ? (p.outline >= 9 ? -1 : p.outline) : styles_.outlineLevel(style);
    line = {label, space, std::move(p.text), std::move(p.page_breaks), p.page_break_before, outline, styles_.isTitle(style)};
  }
  // A section's last paragraph keeps its mark: the section's properties (its headers, its page) hang on
  // it, and which survive a join Word decides; Folio leaves the two apart.
  if (changed.joins_next && !p.section_end) {
    joined_.hold(std::move(line));
    return;
  }
  addLine(std::move(line));
}

// A chart's lines follow the paragraph that anchors it, as a text box's do; never headings, which
// would open a section of a contract at the chart.
void DocxBodyReader::placeChart(const ChartText& chart) {
  blocks.beginFloating();
  ParagraphText line;
  line.text = chart.heading();
  blocks.addParagraph(line);
  for (const std::string& text : chart.lines) {
    line.text = text;
    blocks.addParagraph(line);
  }
  blocks.endFloating();
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
