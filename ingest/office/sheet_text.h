// The text of a spreadsheet (Excel, OpenDocument) as Folio extracts it: each sheet a page opening with a
// "## Sheet: <name>" line, then one line per row, "cell | cell | cell", empty cells between filled ones
// kept so columns stay in place, empty rows left out; then the sheet's charts, each after a blank line
// under a "### Chart: <title>" heading (chart_text.h). Bounded: past kMaxWorkbookText the remaining rows
// and sheets are not read, and a line says so.
#pragma once

#include <string>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/office/chart_text.h"

namespace folio::ingest::office {

inline constexpr size_t kMaxWorkbookText = 64u << 20;

class SheetText {
 public:
  // Opens a sheet. False (and nothing written) once the text is full.
  bool beginSheet(const std::string& name, bool hidden);
  // A row's cells by column; line breaks inside a cell become spaces; trailing empty cells dropped.
  void addRow(std::vector<std::string> cells);
  // A chart of the sheet opened last, after its rows.
  void addChart(const ChartText& chart);
  bool full() const { return out_.text.size() >= kMaxWorkbookText; }
  ExtractedText finish();

 private:
  ExtractedText out_;
  int sheets_ = 0;
  bool cut_ = false;
};

}  // namespace folio::ingest::office
