#include "ingest/office/text_blocks.h"

#include <algorithm>

#include "ingest/chunker.h"

namespace folio::ingest::office {
namespace {

// The blocks as text: one per line, a blank line between them, page starts where breaks fall.
enum class Marks { None, Unnumbered, All };

ExtractedText renderBlocks(const std::vector<Block>& blocks, Marks marked) {
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
    const bool mark =
        b.heading >= 0 && (marked == Marks::All || (marked == Marks::Unnumbered && !b.numbered && !b.title));
    const std::string marks = mark ? std::string(static_cast<size_t>(std::min(b.heading + 1, 6)), '#') + " " : "";
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

}  // namespace

std::string TextBlocks::addParagraph(const ParagraphText& p) {
  Block b;
  b.heading = p.heading;
  b.numbered = !p.label.empty();
  b.title = p.title;
  const std::string prefix = p.label.empty() ? std::string() : p.label + (p.space_after_label ? " " : "");
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
  if (!cells_.empty()) {
    Cell& cell = cells_.back();
    if (!b.page_breaks.empty()) cell.page_break = true;
    if (!b.text.empty()) {
      if (!cell.text.empty()) cell.text += ' ';
      cell.text += b.text;
    }
    if (!cell.boxes.empty()) {
      if (!cell.text.empty()) cell.text += ' ';
      cell.text += cell.boxes;
      cell.boxes.clear();
    }
    return b.text;
  }
  std::string written = b.text;
  push(std::move(b));
  return written;
}

void TextBlocks::push(Block b) {
  std::vector<Block>& to = floating_depth_ == 0 ? blocks_ : floating_[floating_depth_ - 1];
  to.push_back(std::move(b));
  // The text boxes anchored in this paragraph follow it.
  if (floating_depth_ < floating_.size()) {
    std::vector<Block>& held = floating_[floating_depth_];
    for (Block& h : held) to.push_back(std::move(h));
    held.clear();
  }
}

void TextBlocks::beginFloating() {
  ++floating_depth_;
  if (floating_.size() < floating_depth_) floating_.resize(floating_depth_);
  open_boxes_.push_back({cells_.size(), cells_.empty() ? 0 : cells_.back().text.size()});
}

void TextBlocks::endFloating() {
  if (floating_depth_ > 0) --floating_depth_;
  if (open_boxes_.empty()) return;
  const OpenBox box = open_boxes_.back();
  open_boxes_.pop_back();
  // In a table cell the box's text went into the cell: move it after the anchor paragraph's text.
  if (box.cells == 0 || box.cells != cells_.size() || box.cell_length > cells_.back().text.size()) return;
  Cell& cell = cells_.back();
  std::string text = cell.text.substr(box.cell_length);
  cell.text.resize(box.cell_length);
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);
  if (text.empty()) return;
  if (!cell.boxes.empty()) cell.boxes += ' ';
  cell.boxes += text;
}

void TextBlocks::flushFloating() {
  // Text boxes whose anchor never came (a damaged file) stay in the body, in the order they came.
  for (auto& held : floating_) {
    for (Block& h : held) blocks_.push_back(std::move(h));
    held.clear();
  }
  floating_depth_ = 0;
  open_boxes_.clear();
}

std::vector<std::string> TextBlocks::lines() const {
  std::vector<std::string> out;
  for (const Block& b : blocks_) {
    if (!b.text.empty()) out.push_back(b.text);
  }
  for (const auto& held : floating_) {
    for (const Block& b : held) {
      if (!b.text.empty()) out.push_back(b.text);
    }
  }
  return out;
}

void TextBlocks::beginRow() { rows_.emplace_back(); }

void TextBlocks::beginCell() { cells_.emplace_back(); }

void TextBlocks::endCell() {
  if (cells_.empty()) return;
  if (!cells_.back().boxes.empty()) {  // boxes whose anchor paragraph never ended (a damaged file)
    if (!cells_.back().text.empty()) cells_.back().text += ' ';
    cells_.back().text += cells_.back().boxes;
  }
  if (!rows_.empty()) {
    rows_.back().cells.push_back(std::move(cells_.back().text));
    if (cells_.back().page_break) rows_.back().page_break = true;
  }
  cells_.pop_back();
}

void TextBlocks::endRow() {
  if (rows_.empty()) return;
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
  push(std::move(b));
}

void TextBlocks::addNotes(const std::vector<std::string>& notes) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < notes.size(); ++i) lines.push_back("[" + std::to_string(i + 1) + "] " + notes[i]);
  addSection("Notes", lines);
}

void TextBlocks::addSection(const std::string& title, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  flushFloating();
  // A heading of its own: the notes are no part of the clause or section before them.
  blocks_.push_back(Block{title, 0, {}, false, false});
  for (const auto& line : lines) blocks_.push_back(Block{line, -1, {}, false, false});
}

ExtractedText TextBlocks::render() const {
  if (std::any_of(floating_.begin(), floating_.end(), [](const auto& held) { return !held.empty(); })) {
    TextBlocks whole = *this;
    whole.flushFloating();
    return whole.render();
  }
  ExtractedText out = renderBlocks(blocks_, Marks::None);
  const bool has_headings = std::any_of(blocks_.begin(), blocks_.end(), [](const Block& b) { return b.heading >= 0; });
  if (!has_headings) return out;
  switch (classifyText(out.text)) {
    case TextGenre::Generic: return renderBlocks(blocks_, Marks::All);
    case TextGenre::Legal: return renderBlocks(blocks_, Marks::Unnumbered);
    case TextGenre::Paper: return out;
  }
  return out;
}

}  // namespace folio::ingest::office
