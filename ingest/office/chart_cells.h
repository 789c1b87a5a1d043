// A workbook's chart data kept only as references to its own cells: a series whose name, categories,
// values or bubble sizes have no cached points (openpyxl writes none, only "'Sheet1'!$B$2:$B$13") is
// given the text of those cells as the workbook's sheets are read, each cell as the sheet shows it (in
// its number format). Cached points, where a chart has them, are what Excel last drew and are kept.
//
// A reference is read when it is a plain range of this workbook ("Sheet1!$B$2:$B$13", "'My Sheet'!B2",
// "Sheet1!$B:$B", "Sheet1!$2:$2"); another workbook's cells ("[1]Sheet1!A1"), defined names, unions
// and other formulas keep the reference (chart_text.h writes "values from …"). Only cells that hold a
// value are points, so a range past the sheet's used range gives the cells in it.
//
// Bounded: of each line along a range the first kMaxPoints cells with a value are kept (the rest are
// counted, never stored: a whole-column range costs no more than the cells the sheet holds), across it
// the innermost ChartPoints::kMaxLevels lines; at most kMaxRanges ranges and kMaxKeptCells cells a
// workbook.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/chart_data.h"
#include "ingest/office/chart_text.h"

namespace folio::ingest::office {

// A rectangle of a named sheet's cells, 0-based and inclusive.
struct CellRange {
  std::string sheet;
  uint32_t top = 0, left = 0, bottom = 0, right = 0;
};

// The plain range a chart formula names, or nullopt for anything else.
std::optional<CellRange> parseCellRange(std::string_view formula);

// The wanted cells of one sheet, kept as the sheet is read.
class SheetCells {
 public:
  struct Cell {
    uint32_t position, inner;  // along the range's points; lines from the innermost (the last) one
    uint32_t row, column;
    std::string text;
  };
  struct Range {
    uint32_t top, left, bottom, right;
    bool levels = false;  // categories: lines across the range are levels, all kept
    std::vector<Cell> kept;
    uint32_t kept_in[ChartPoints::kMaxLevels] = {};  // cells kept of each line, from the innermost
    size_t more = 0;  // cells with a value on the innermost line past its first kMaxPoints
  };

  // Whether the cell at (row, column) lies in a wanted range.
  bool wants(uint32_t row, uint32_t column) const;
  // The shown text of a wanted cell ("" for an empty one, which is no point).
  void keep(uint32_t row, uint32_t column, const std::string& text);
  void markRead() { read_ = true; }
  bool read() const { return read_; }

 private:
  friend class ChartCells;
  std::vector<Range> ranges_;
  uint32_t box_top_ = UINT32_MAX, box_left_ = UINT32_MAX, box_bottom_ = 0, box_right_ = 0;
  bool read_ = false;
};

class ChartCells {
 public:
  static constexpr size_t kMaxPoints = ChartText::kShownPoints;
  static constexpr size_t kMaxRanges = 1024;
  static constexpr size_t kMaxKeptCells = 100000;

  // Whether `chart` has references without cached text.
  static bool uncached(const Chart& chart);
  // Notes those references, to keep their cells as the sheets are read.
  void want(const Chart& chart);
  bool empty() const { return sheets_.empty(); }
  // The wanted cells of the sheet named `name` (matched ignoring ASCII case, as Excel matches sheet
  // names), or nullptr when none are wanted there.
  SheetCells* sheet(std::string_view name);
  // The sheets whose cells `chart` wants that have not been read.
  std::vector<std::string> unread(const Chart& chart) const;
  // Puts the kept cells in `chart`'s names and points that have no cached text.
  void fill(Chart& chart) const;

 private:
  void wantRange(const std::string& formula, bool levels);
  const SheetCells::Range* find(const std::string& formula) const;

  std::map<std::string, SheetCells> sheets_;  // by the sheet's name in lower case
  size_t ranges_ = 0, cells_ = 0;  // wanted so far, and the most cells they may keep
};

}  // namespace folio::ingest::office
