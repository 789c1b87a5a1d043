#include "ingest/office/chart_cells.h"

#include <algorithm>

namespace folio::ingest::office {
namespace {

constexpr uint32_t kRows = 1048576;  // Excel's last row
constexpr uint32_t kColumns = 16384;  // and column, XFD

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// One end of a range: "$B$2", "B2", "$B" (a whole column) or "$2" (a whole row). A missing part is -1.
struct CellEnd {
  long row = -1, column = -1;
};

std::optional<CellEnd> parseEnd(std::string_view s) {
  CellEnd end;
  size_t i = 0;
  if (i < s.size() && s[i] == '$') ++i;
  long column = 0;
  size_t letters = 0;
  for (; i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')); ++i, ++letters) {
    column = column * 26 + ((s[i] | 0x20) - 'a' + 1);
    if (column > static_cast<long>(kColumns)) return std::nullopt;
  }
  if (letters > 0) end.column = column - 1;
  if (i < s.size() && s[i] == '$') {
    if (letters == 0 && i > 0) return std::nullopt;  // "$$2"
    ++i;
  }
  long row = 0;
  size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
    row = row * 10 + (s[i] - '0');
    if (row > static_cast<long>(kRows)) return std::nullopt;
  }
  if (digits > 0) {
    if (row == 0) return std::nullopt;
    end.row = row - 1;
  }
  if (i != s.size() || (letters == 0 && digits == 0)) return std::nullopt;
  return end;
}

// The sheet name before '!': quoted ('My Sheet', with '' for a quote) or a plain name. Characters that
// make a formula of it (operators, brackets of another workbook, unions) are refused.
std::optional<std::string> parseSheet(std::string_view f, size_t& i) {
  std::string sheet;
  if (!f.empty() && f[0] == '\'') {
    for (i = 1;; ++i) {
      if (i >= f.size()) return std::nullopt;
      if (f[i] == '\'') {
        if (i + 1 < f.size() && f[i + 1] == '\'') {
          sheet += '\'';
          ++i;
          continue;
        }
        ++i;
        break;
      }
      sheet += f[i];
    }
  } else {
    i = f.find('!');
    if (i == std::string_view::npos) return std::nullopt;  // a defined name, or a range without a sheet
    sheet = std::string(f.substr(0, i));
    if (sheet.find_first_of(" ()[]{},;:!'\"+-*/&=<>^%") != std::string::npos) return std::nullopt;
  }
  if (sheet.empty() || sheet.find_first_of("[]") != std::string::npos) return std::nullopt;  // [1]Sheet1: another workbook
  return sheet;
}

size_t length(const SheetCells::Range& r, bool along_rows) { return along_rows ? r.bottom - r.top + 1 : r.right - r.left + 1; }

bool alongRows(const SheetCells::Range& r) { return r.bottom - r.top >= r.right - r.left; }

// The most cells a range may keep.
size_t keepable(const SheetCells::Range& r, bool levels) {
  const bool rows = alongRows(r);
  const size_t lines = levels ? std::min(length(r, !rows), ChartPoints::kMaxLevels) : 1;
  return std::min(length(r, rows), ChartCells::kMaxPoints) * lines;
}

bool sameCells(const SheetCells::Range& r, const CellRange& c) {
  return r.top == c.top && r.left == c.left && r.bottom == c.bottom && r.right == c.right;
}

// Calls `f(formula, levels)` for each of a chart's references without cached text: series names,
// categories (whose lines are levels), values and sizes.
template <class F>
void eachUncached(const Chart& chart, F&& f) {
  for (const ChartSeries& s : chart.series) {
    if (s.name.empty() && !s.name_ref.empty()) f(s.name_ref, false);
    if (s.categories.size() == 0 && !s.categories.ref.empty()) f(s.categories.ref, true);
    if (s.values.size() == 0 && !s.values.ref.empty()) f(s.values.ref, false);
    if (s.sizes.size() == 0 && !s.sizes.ref.empty()) f(s.sizes.ref, false);
  }
}

}  // namespace

std::optional<CellRange> parseCellRange(std::string_view f) {
  while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
  while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
  if (f.size() >= 2 && f.front() == '(' && f.back() == ')') f = f.substr(1, f.size() - 2);
  size_t i = 0;
  auto sheet = parseSheet(f, i);
  if (!sheet || i >= f.size() || f[i] != '!') return std::nullopt;
  const std::string_view cells = f.substr(i + 1);
  const size_t colon = cells.find(':');
  const auto first = parseEnd(cells.substr(0, colon));
  if (!first) return std::nullopt;
  CellEnd second = *first;
  if (colon != std::string_view::npos) {
    const auto end = parseEnd(cells.substr(colon + 1));
    if (!end) return std::nullopt;
    second = *end;
  } else if (first->row < 0 || first->column < 0) {
    return std::nullopt;  // "Sheet1!B" names no cell
  }
  // Both ends of one kind: cells, whole columns or whole rows.
  if ((first->row < 0) != (second.row < 0) || (first->column < 0) != (second.column < 0)) return std::nullopt;
  CellRange r;
  r.sheet = std::move(*sheet);
  const auto span = [](long a, long b, long last, uint32_t& lo, uint32_t& hi) {
    lo = static_cast<uint32_t>(a < 0 ? 0 : std::min(a, b));
    hi = static_cast<uint32_t>(a < 0 ? last : std::max(a, b));
  };
  span(first->row, second.row, kRows - 1, r.top, r.bottom);
  span(first->column, second.column, kColumns - 1, r.left, r.right);
  return r;
}

bool SheetCells::wants(uint32_t row, uint32_t column) const {
  if (row < box_top_ || row > box_bottom_ || column < box_left_ || column > box_right_) return false;
  return std::any_of(ranges_.begin(), ranges_.end(), [&](const Range& r) {
    return row >= r.top && row <= r.bottom && column >= r.left && column <= r.right;
  });
}

void SheetCells::keep(uint32_t row, uint32_t column, const std::string& text) {
  if (text.empty()) return;
  for (Range& r : ranges_) {
    if (row < r.top || row > r.bottom || column < r.left || column > r.right) continue;
    const bool rows = alongRows(r);
    const uint32_t position = rows ? row - r.top : column - r.left;
    const uint32_t line = rows ? column - r.left : row - r.top;
    const uint32_t inner = static_cast<uint32_t>(length(r, !rows)) - 1 - line;
    if (inner >= (r.levels ? ChartPoints::kMaxLevels : 1)) continue;
    if (r.kept_in[inner] >= ChartCells::kMaxPoints) {
      if (inner == 0) ++r.more;
      continue;
    }
    ++r.kept_in[inner];
    std::string shown;
    appendBounded(shown, text, ChartPoints::kMaxText);
    r.kept.push_back(Cell{position, inner, row, column, std::move(shown)});
  }
}

void ChartCells::wantRange(const std::string& formula, bool levels) {
  auto range = parseCellRange(formula);
  if (!range) return;
  const std::string key = lowerAscii(range->sheet);
  if (auto it = sheets_.find(key); it != sheets_.end()) {
    auto& ranges = it->second.ranges_;
    const auto same = [&](const SheetCells::Range& r) { return sameCells(r, *range); };
    if (auto r = std::find_if(ranges.begin(), ranges.end(), same); r != ranges.end()) {
      // Wanted already; as categories now too, when the cells they add fit.
      const size_t extra = keepable(*r, levels) - std::min(keepable(*r, levels), keepable(*r, r->levels));
      if (levels && !r->levels && cells_ + extra <= kMaxKeptCells) {
        r->levels = true;
        cells_ += extra;
      }
      return;
    }
  }
  SheetCells::Range r{range->top, range->left, range->bottom, range->right, levels, {}, {}, 0};
  const size_t cells = keepable(r, levels);
  if (ranges_ >= kMaxRanges || cells_ + cells > kMaxKeptCells) return;
  ++ranges_;
  cells_ += cells;
  SheetCells& sheet = sheets_[key];
  sheet.box_top_ = std::min(sheet.box_top_, r.top);
  sheet.box_left_ = std::min(sheet.box_left_, r.left);
  sheet.box_bottom_ = std::max(sheet.box_bottom_, r.bottom);
  sheet.box_right_ = std::max(sheet.box_right_, r.right);
  sheet.ranges_.push_back(std::move(r));
}

bool ChartCells::uncached(const Chart& chart) {
  bool any = false;
  eachUncached(chart, [&](const std::string&, bool) { any = true; });
  return any;
}

void ChartCells::want(const Chart& chart) {
  eachUncached(chart, [&](const std::string& formula, bool levels) { wantRange(formula, levels); });
}

SheetCells* ChartCells::sheet(std::string_view name) {
  const auto it = sheets_.find(lowerAscii(name));
  return it == sheets_.end() ? nullptr : &it->second;
}

std::vector<std::string> ChartCells::unread(const Chart& chart) const {
  std::vector<std::string> out;
  eachUncached(chart, [&](const std::string& formula, bool) {
    const auto range = parseCellRange(formula);
    if (!range) return;
    const auto it = sheets_.find(lowerAscii(range->sheet));
    if (it == sheets_.end() || it->second.read()) return;
    if (std::find(out.begin(), out.end(), range->sheet) == out.end()) out.push_back(range->sheet);
  });
  return out;
}

const SheetCells::Range* ChartCells::find(const std::string& formula) const {
  const auto range = parseCellRange(formula);
  if (!range) return nullptr;
  const auto it = sheets_.find(lowerAscii(range->sheet));
  if (it == sheets_.end() || !it->second.read()) return nullptr;
  for (const SheetCells::Range& r : it->second.ranges_) {
    if (sameCells(r, *range)) return &r;
  }
  return nullptr;
}

void ChartCells::fill(Chart& chart) const {
  const auto points = [&](ChartPoints& dim, bool levels) {
    if (dim.size() > 0 || dim.ref.empty()) return;
    const SheetCells::Range* r = find(dim.ref);
    if (r == nullptr || (r->kept.empty() && r->more == 0)) return;
    ChartPoints filled;
    filled.ref = dim.ref;
    filled.cached = true;
    // Innermost level first; a line without a value is no level.
    for (uint32_t inner = 0; inner < (levels ? ChartPoints::kMaxLevels : 1); ++inner) {
      bool begun = false;
      for (const SheetCells::Cell& c : r->kept) {
        if (c.inner != inner) continue;
        if (!begun) filled.beginLevel();
        begun = true;
        filled.add(c.position, c.text);
      }
    }
    filled.dropped += r->more;
    dim = std::move(filled);
  };
  for (ChartSeries& s : chart.series) {
    if (s.name.empty() && !s.name_ref.empty()) {
      if (const SheetCells::Range* r = find(s.name_ref)) {
        std::string name;
        for (const SheetCells::Cell& c : r->kept) {
          if (c.inner == 0) appendBounded(name, (name.empty() ? "" : " ") + c.text, ChartPoints::kMaxText);
        }
        s.name = std::move(name);
      }
    }
    points(s.categories, true);
    points(s.values, false);
    points(s.sizes, false);
  }
}

}  // namespace folio::ingest::office
