// A chart as the lines Folio writes where the chart stands (a sheet after its cells, a slide, a Word
// paragraph): a heading "Chart: <title>", a line with its kind and axis titles ("Column chart.
// Horizontal axis: Quarter. Vertical axis: Revenue ($k)."), then a line per series, "Series: Revenue —
// Q1 $1,200; Q2 $1,350; …" (scatter points as "(x, y)"; the plot's kind after the name when the chart
// mixes kinds). A series lists at most kShownPoints points and says how many more it has; one without
// cached points names its references ("values from Sheet1!$B$2:$B$13").
#pragma once

#include <string>
#include <vector>

#include "ingest/office/chart_data.h"

namespace folio::ingest::office {

struct ChartText {
  static constexpr size_t kShownPoints = 100;

  std::string title;               // "" for an untitled chart
  std::vector<std::string> lines;  // the lines under the heading

  std::string heading() const { return title.empty() ? "Chart" : "Chart: " + title; }
};

ChartText chartText(const Chart& chart);
// A chart that could not be read (a missing or damaged part): an untitled chart whose one line says why.
ChartText chartNotRead(const std::string& why);

}  // namespace folio::ingest::office
