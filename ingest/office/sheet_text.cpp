#include "ingest/office/sheet_text.h"

namespace folio::ingest::office {

bool SheetText::beginSheet(const std::string& name, bool hidden) {
  if (full()) {
    cut_ = true;
    return false;
  }
  ++sheets_;
  if (!out_.text.empty()) out_.text += '\n';
  out_.page_starts.push_back(static_cast<int64_t>(out_.text.size()));
  out_.text += "## Sheet: " + (name.empty() ? "Sheet" + std::to_string(sheets_) : name) + (hidden ? " (hidden)" : "") + "\n";
  return true;
}

void SheetText::addRow(std::vector<std::string> cells) {
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  if (cells.empty()) return;
  if (full()) {
    cut_ = true;
    return;
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out_.text += " | ";
    const size_t from = out_.text.size();
    out_.text += cells[i];
    for (char *c = out_.text.data() + from, *end = out_.text.data() + out_.text.size(); c < end; ++c) {
      *c = *c == '\n' || *c == '\r' || *c == '\t' ? ' ' : *c;  // line breaks and tabs become spaces
    }
  }
  out_.text += '\n';
}

void SheetText::addChart(const ChartText& chart) {
  if (full()) {
    cut_ = true;
    return;
  }
  out_.text += "\n### " + chart.heading() + "\n";
  for (const std::string& line : chart.lines) out_.text += line + "\n";
}

ExtractedText SheetText::finish() {
  if (cut_) out_.text += "(the rest of the workbook not read: its text passed 64 MiB)\n";
  if (out_.page_starts.size() <= 1) out_.page_starts.clear();
  return std::move(out_);
}

}  // namespace folio::ingest::office
