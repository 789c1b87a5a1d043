#include "ingest/office/ooxml_chart.h"

#include <algorithm>
#include <vector>

#include "ingest/office/chart_numbers.h"
#include "ingest/office/chart_walk.h"

namespace folio::ingest::office {
namespace {

// Subtrees that hold no part of the chart's data or titles (data labels and trendline labels have
// c:tx elements of their own, which would otherwise read as series names).
bool leftOutSubtree(std::string_view e) {
  return e == "extLst" || e == "txPr" || e == "spPr" || e == "dLbls" || e == "dLbl" || e == "trendline" ||
         e == "errBars" || e == "legend" || e == "dTable" || e == "dPt" || e == "marker" || e == "Fallback" ||
         e == "pivotFmts" || e == "printSettings" || e == "userShapes" || e == "numFmt";
}

bool isPlot(std::string_view e) {
  return e == "barChart" || e == "bar3DChart" || e == "lineChart" || e == "line3DChart" || e == "pieChart" ||
         e == "pie3DChart" || e == "doughnutChart" || e == "ofPieChart" || e == "areaChart" || e == "area3DChart" ||
         e == "scatterChart" || e == "bubbleChart" || e == "radarChart" || e == "stockChart" ||
         e == "surfaceChart" || e == "surface3DChart";
}

bool onValue(std::string_view v) { return v != "0" && v != "false"; }  // CT_Boolean: absent val is true

struct PlotProps {
  std::string element, bar_dir, grouping, of_pie;
  std::string first_axis;  // its first c:axId
};

// "stacked column", "3-D pie", "bar of pie" …
std::string plotKind(const PlotProps& p) {
  const std::string_view e = p.element;
  const bool three_d = e.find("3D") != std::string_view::npos;
  std::string base;
  if (e.rfind("bar", 0) == 0) base = p.bar_dir == "bar" ? "bar" : "column";
  else if (e.rfind("line", 0) == 0) base = "line";
  else if (e.rfind("area", 0) == 0) base = "area";
  else if (e.rfind("surface", 0) == 0) base = "surface";
  if (!base.empty()) {
    const std::string stacking = p.grouping == "stacked" ? "stacked " : p.grouping == "percentStacked" ? "100% stacked " : "";
    return (three_d ? "3-D " : "") + stacking + base;
  }
  if (e == "pieChart") return "pie";
  if (e == "pie3DChart") return "3-D pie";
  if (e == "doughnutChart") return "doughnut";
  if (e == "ofPieChart") return p.of_pie == "bar" ? "bar of pie" : "pie of pie";
  if (e == "scatterChart") return "scatter";
  if (e == "bubbleChart") return "bubble";
  if (e == "radarChart") return "radar";
  if (e == "stockChart") return "stock";
  return {};
}

class ChartReader : public ChartWalk {
 public:
  Chart chart;

  void finish() {
    // A scatter or bubble chart has two value axes: the one its plot names first holds the x values.
    if (!x_axes_.empty()) {
      for (size_t i = 0; i < chart.axes.size(); ++i) {
        if (chart.axes[i].role != "Value") continue;
        const bool x = std::find(x_axes_.begin(), x_axes_.end(), axis_ids_[i]) != x_axes_.end();
        chart.axes[i].role = x ? "X" : "Y";
      }
    }
    // A title element without text shows the name of a chart's only series (Excel's automatic title).
    if (title_element_ && chart.title.empty() && chart.series.size() == 1) chart.title = chart.series[0].name;
  }

 private:
  bool leftOut(std::string_view element) const override { return leftOutSubtree(element); }

  void start(std::string_view name, const XmlAttributes& a) override {
    if (name == "date1904") {
      date1904_ = onValue(a.get("val"));
    } else if (name == "title" && title_depth_ == 0) {
      title_depth_ = depth();
      title_text_.clear();
      if (parent() == "chart") title_element_ = true;
    } else if (title_depth_ > 0) {
      startInTitle(name);
    } else if (isPlot(name) && parent() == "plotArea") {
      plot_ = PlotProps{std::string(name), "", "", "", ""};
      plot_depth_ = depth();
      plot_first_series_ = chart.series.size();
    } else if (plot_depth_ > 0 && depth() == plot_depth_ + 1 && name != "ser") {
      if (name == "barDir") plot_.bar_dir = a.get("val", "col");
      else if (name == "grouping") plot_.grouping = a.get("val");
      else if (name == "ofPieType") plot_.of_pie = a.get("val", "pie");
      else if (name == "axId" && plot_.first_axis.empty()) plot_.first_axis = a.get("val");
    } else if (name == "ser" && plot_depth_ > 0 && depth() == plot_depth_ + 1) {
      series_ = chart.addSeries();
      series_depth_ = depth();
    } else if ((name == "catAx" || name == "valAx" || name == "dateAx" || name == "serAx") && parent() == "plotArea") {
      axis_ = ChartAxis{"", name == "valAx" ? "Value" : name == "serAx" ? "Depth" : "Category"};
      axis_id_.clear();
      axis_depth_ = depth();
      axis_deleted_ = false;
    } else if (axis_depth_ > 0 && depth() == axis_depth_ + 1) {
      if (name == "delete") axis_deleted_ = onValue(a.get("val"));
      else if (name == "axId") axis_id_ = a.get("val");
    } else if (series_ != nullptr && series_depth_ + 1 == depth()) {
      startSeriesPart(name);
    } else if (series_ != nullptr) {
      startInSeriesPart(name, a);
    }
  }

  void startInTitle(std::string_view name) {
    if (name == "p" && !title_text_.empty()) title_text_ += ' ';
    if (name == "t") captureInto(title_text_, Chart::kMaxTitle);
    if (name == "v") captureInto(title_text_, Chart::kMaxTitle);  // a cached reference's text
  }

  void startSeriesPart(std::string_view name) {
    if (name == "tx") {
      name_depth_ = depth();
    } else if (name == "cat" || name == "xVal") {
      dim_ = &series_->categories;
    } else if (name == "val" || name == "yVal") {
      dim_ = &series_->values;
    } else if (name == "bubbleSize") {
      dim_ = &series_->sizes;
    }
    if (name == "xVal" || name == "yVal") series_->xy = true;
    if (dim_ != nullptr) dim_depth_ = depth();
  }

  // Inside a series' name (c:tx) or one of its dimensions: references, caches, literals and points.
  void startInSeriesPart(std::string_view name, const XmlAttributes& a) {
    if (name == "f") {
      if (dim_ != nullptr) captureInto(dim_->ref, ChartPoints::kMaxText);
      else if (name_depth_ > 0) captureInto(series_->name_ref, ChartPoints::kMaxText);
    } else if (name == "numCache" || name == "numLit" || name == "strCache" || name == "strLit" ||
               name == "multiLvlStrCache") {
      numeric_ = name.rfind("num", 0) == 0;
      cache_format_.clear();
      if (dim_ != nullptr) dim_->cached = true;
    } else if (name == "formatCode") {
      captureInto(cache_format_, NumberFormat::kMaxFormatCode + 1);
    } else if (name == "lvl" && dim_ != nullptr) {
      dim_->beginLevel();
    } else if (name == "pt") {
      point_depth_ = depth();
      const int index = attributeInt(a.get("idx"), -1);
      point_index_ = index >= 0 ? static_cast<size_t>(index) : point_count_;
      ++point_count_;
      point_format_ = std::string(a.get("formatCode"));
      point_text_.clear();
    } else if (name == "v") {
      if (point_depth_ > 0) captureInto(point_text_, ChartPoints::kMaxText);
      else if (name_depth_ > 0) captureInto(series_->name, ChartPoints::kMaxText);  // a literal name
    }
  }

  void end(size_t at) override {
    if (point_depth_ == at) finishPoint();
    if (title_depth_ == at) finishTitle();
    if (dim_depth_ == at || name_depth_ == at) {  // points are numbered afresh in each
      dim_ = nullptr;
      dim_depth_ = name_depth_ = point_count_ = 0;
    }
    if (series_depth_ == at) {
      series_ = nullptr;
      series_depth_ = 0;
    }
    if (plot_depth_ == at) finishPlot();
    if (axis_depth_ == at) {
      if (!axis_deleted_) {
        chart.axes.push_back(std::move(axis_));
        axis_ids_.push_back(std::move(axis_id_));
      }
      axis_depth_ = 0;
    }
  }

  void finishPoint() {
    point_depth_ = 0;
    if (dim_ != nullptr) {
      const std::string& code = !point_format_.empty() ? point_format_ : cache_format_;
      dim_->add(point_index_, numeric_ ? numbers_.show(point_text_, code, date1904_) : point_text_);
    } else if (name_depth_ > 0 && series_ != nullptr && series_->name.empty()) {
      series_->name = point_text_;
    }
  }

  void finishTitle() {
    if (parent() == "chart") {
      chart.title = std::move(title_text_);
    } else if (axis_depth_ > 0 && depth() == axis_depth_ + 1) {
      axis_.title = std::move(title_text_);
    }
    title_text_.clear();
    title_depth_ = 0;
  }

  void finishPlot() {
    const std::string kind = plotKind(plot_);
    chart.addKind(kind);
    if ((kind == "scatter" || kind == "bubble") && !plot_.first_axis.empty()) x_axes_.push_back(plot_.first_axis);
    for (size_t i = plot_first_series_; i < chart.series.size(); ++i) chart.series[i].kind = kind;
    plot_depth_ = 0;
  }

  bool date1904_ = false, title_element_ = false;
  // The depth() at which each open element of interest started, 0 when none is open.
  size_t title_depth_ = 0, plot_depth_ = 0, series_depth_ = 0, axis_depth_ = 0, dim_depth_ = 0,
         name_depth_ = 0, point_depth_ = 0;
  std::string title_text_;
  PlotProps plot_;
  size_t plot_first_series_ = 0;
  ChartAxis axis_;
  std::string axis_id_;
  bool axis_deleted_ = false;
  std::vector<std::string> axis_ids_, x_axes_;  // each of chart.axes' c:axId; the x axes of xy plots
  ChartSeries* series_ = nullptr;  // nullptr past Chart::kMaxSeries: its parts are not read
  ChartPoints* dim_ = nullptr;
  bool numeric_ = false;
  std::string cache_format_, point_format_, point_text_;
  size_t point_index_ = 0, point_count_ = 0;
  ChartNumberText numbers_;
};

}  // namespace

Result<Chart> readOoxmlChart(std::string_view xml, const std::string& part) {
  ChartReader reader;
  FOLIO_TRY(parseXml(xml, part, reader.handler()));
  reader.finish();
  return std::move(reader.chart);
}

}  // namespace folio::ingest::office
