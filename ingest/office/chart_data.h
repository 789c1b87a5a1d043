// What Folio keeps of an Office chart (a DrawingML c:chartSpace or an Office 2016 cx:chartSpace): its
// title, the kinds of plot it draws, its axes' titles and each series' name and cached points, as
// the chart's readers (ooxml_chart.h, chartex_chart.h) leave them for chart_text.h to write. Points
// are kept as the chart shows them (numbers already in their cache's number format).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace folio::ingest::office {

// A series' categories, values or sizes: the cached points and the reference they were read from.
struct ChartPoints {
  static constexpr size_t kMaxKept = 1000;  // points kept per dimension; the rest are only counted
  static constexpr size_t kMaxText = 200;   // bytes kept of one point's text
  static constexpr size_t kMaxLevels = 8;   // category levels kept (Excel draws a few); deeper ones are dropped

  std::string ref;  // the formula (c:f, cx:f): "Sheet1!$B$2:$B$13", "" for none
  bool cached = false;  // a cache or literal was read (maybe empty)
  // (index, text) of the innermost level, then of each outer level of multi-level categories.
  std::vector<std::vector<std::pair<size_t, std::string>>> levels;
  size_t dropped = 0;  // points past kMaxKept
  bool level_dropped = false;  // the level being read is past kMaxLevels

  void beginLevel();
  // Adds a point to the level begun last (the first one when none was).
  void add(size_t index, std::string_view text);
  // The points of the innermost level in index order, each labelled with its outer levels' labels
  // before its own ("2024 Q1"): an outer label covers the points from its index to the next one's.
  std::vector<std::pair<size_t, std::string>> labelled() const;
  size_t size() const { return (levels.empty() ? 0 : levels.front().size()) + dropped; }
};

struct ChartSeries {
  std::string name;      // the cached or literal name, "" for none
  std::string name_ref;  // its reference, when only that is known
  std::string kind;      // the plot it is drawn in ("line"), for a chart that mixes kinds
  bool xy = false;       // scatter or bubble: categories are x values
  ChartPoints categories, values, sizes;
};

// An axis by its role rather than its side: a bar chart's categories run down the side, and writers
// disagree on c:axPos.
struct ChartAxis {
  std::string title;
  std::string role;  // "Category", "Value", "X", "Y" (a scatter or bubble chart's), "Depth"
};

struct Chart {
  static constexpr size_t kMaxSeries = 256;  // series kept; the rest are counted
  static constexpr size_t kMaxTitle = 500;

  std::string title;
  std::vector<std::string> kinds;  // "column", "stacked area", "pie" …, each once, in plot order
  std::vector<ChartAxis> axes;
  std::vector<ChartSeries> series;
  size_t dropped_series = 0;

  void addKind(std::string kind);
  // A new series, or nullptr (counted) past kMaxSeries.
  ChartSeries* addSeries();
};

// Appends a piece of a title or name, bounded by `limit` bytes and kept valid UTF-8.
void appendBounded(std::string& out, std::string_view text, size_t limit);

}  // namespace folio::ingest::office
