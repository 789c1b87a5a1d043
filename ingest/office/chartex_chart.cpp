#include "ingest/office/chartex_chart.h"

#include <map>
#include <vector>

#include "ingest/office/chart_numbers.h"
#include "ingest/office/chart_walk.h"

namespace folio::ingest::office {
namespace {

bool leftOutSubtree(std::string_view e) {
  return e == "extLst" || e == "txPr" || e == "spPr" || e == "dataLabels" || e == "dataLabel" || e == "legend" ||
         e == "Fallback" || e == "printSettings" || e == "externalData";
}

// A series' layout as people name the chart ("waterfall", "histogram" …).
std::string layoutKind(std::string_view layout) {
  if (layout == "clusteredColumn") return "histogram";
  if (layout == "paretoLine") return "Pareto";
  if (layout == "boxWhisker") return "box and whisker";
  if (layout == "regionMap") return "map";
  return std::string(layout);  // waterfall, treemap, sunburst, funnel
}

struct Data {
  ChartPoints categories, values;
};

struct PendingSeries {
  size_t series;  // its index in Chart::series
  int data_id;
};

class ChartexReader : public ChartWalk {
 public:
  Chart chart;

  // Each series gets the data it names (chartData comes before the chart, but a series may name data
  // given after it).
  void finish() {
    for (const PendingSeries& p : pending_) {
      const auto it = data_.find(p.data_id);
      if (it == data_.end()) continue;
      chart.series[p.series].categories = it->second.categories;
      chart.series[p.series].values = it->second.values;
    }
  }

 private:
  bool leftOut(std::string_view element) const override { return leftOutSubtree(element); }

  void start(std::string_view name, const XmlAttributes& a) override {
    if (name == "data" && parent() == "chartData") {
      data_id_ = attributeInt(a.get("id"), -1);
    } else if ((name == "strDim" || name == "numDim") && parent() == "data") {
      startDimension(name, a.get("type"));
    } else if (dim_ != nullptr) {
      startInDimension(name, a);
    } else if (name == "title" && title_depth_ == 0) {
      title_depth_ = depth();
      title_text_.clear();
    } else if (title_depth_ > 0) {
      if (name == "p" && !title_text_.empty()) title_text_ += ' ';
      if (name == "t" || name == "v") captureInto(title_text_, Chart::kMaxTitle);
    } else if (name == "series" && parent() == "plotAreaRegion") {
      const std::string kind = layoutKind(a.get("layoutId"));
      chart.addKind(kind);
      series_ = a.get("layoutId") == "paretoLine" ? nullptr : chart.addSeries();  // the line has no data of its own
      series_depth_ = depth();
      if (series_ != nullptr) series_->kind = kind;
    } else if (series_ != nullptr && name == "dataId") {
      pending_.push_back({chart.series.size() - 1, attributeInt(a.get("val"), -1)});
    } else if (series_ != nullptr && name == "tx" && parent() == "series") {
      name_depth_ = depth();
    } else if (name_depth_ > 0 && name == "f") {
      captureInto(series_->name_ref, ChartPoints::kMaxText);
    } else if (name_depth_ > 0 && name == "v") {
      captureInto(series_->name, ChartPoints::kMaxText);
    } else if (name == "axis" && parent() == "plotArea") {
      axis_ = ChartAxis{"", "Category"};
      axis_depth_ = depth();
      axis_hidden_ = a.get("hidden") == "1" || a.get("hidden") == "true";
    } else if (axis_depth_ > 0 && name == "valScaling") {
      axis_.role = "Value";
    }
  }

  // cx:strDim / cx:numDim type="cat" (or "x") holds categories, type="val", "size" or "y" values.
  void startDimension(std::string_view name, std::string_view type) {
    Data& d = data_[data_id_];
    ChartPoints* to = type == "cat" || type == "x" ? &d.categories
                      : type == "val" || type == "size" || type == "y" ? &d.values
                                                                       : nullptr;
    // A dimension given twice (values and sizes) keeps the first.
    if (to == nullptr || to->cached || !to->ref.empty()) return;
    dim_ = to;
    dim_depth_ = depth();
    numeric_ = name == "numDim";
  }

  void startInDimension(std::string_view name, const XmlAttributes& a) {
    if (name == "f" && depth() == dim_depth_ + 1) {
      captureInto(dim_->ref, ChartPoints::kMaxText);
    } else if (name == "lvl") {
      dim_->cached = true;
      dim_->beginLevel();
      level_format_ = std::string(a.get("formatCode"));
    } else if (name == "pt") {
      const int index = attributeInt(a.get("idx"), -1);
      point_index_ = index >= 0 ? static_cast<size_t>(index) : point_count_;
      ++point_count_;
      point_text_.clear();
      point_depth_ = depth();
      captureInto(point_text_, ChartPoints::kMaxText);
    }
  }

  void end(size_t at) override {
    if (point_depth_ == at) {
      dim_->add(point_index_, numeric_ ? numbers_.show(point_text_, level_format_, false) : point_text_);
      point_depth_ = 0;
    }
    if (dim_depth_ == at) {
      dim_ = nullptr;
      dim_depth_ = point_count_ = 0;
    }
    if (title_depth_ == at) finishTitle();
    if (name_depth_ == at) name_depth_ = 0;
    if (series_depth_ == at) {
      series_ = nullptr;
      series_depth_ = 0;
    }
    if (axis_depth_ == at) {
      if (!axis_hidden_) chart.axes.push_back(std::move(axis_));
      axis_depth_ = 0;
    }
  }

  void finishTitle() {
    if (parent() == "chart") chart.title = std::move(title_text_);
    else if (parent() == "axis" && axis_depth_ > 0) axis_.title = std::move(title_text_);
    title_text_.clear();
    title_depth_ = 0;
  }

  std::map<int, Data> data_;
  std::vector<PendingSeries> pending_;
  int data_id_ = -1;
  size_t title_depth_ = 0, series_depth_ = 0, name_depth_ = 0, axis_depth_ = 0, dim_depth_ = 0, point_depth_ = 0;
  std::string title_text_;
  ChartSeries* series_ = nullptr;
  ChartAxis axis_;
  bool axis_hidden_ = false;
  ChartPoints* dim_ = nullptr;
  bool numeric_ = false;
  std::string level_format_, point_text_;
  size_t point_index_ = 0, point_count_ = 0;
  ChartNumberText numbers_;
};

}  // namespace

Result<Chart> readChartex(std::string_view xml, const std::string& part) {
  ChartexReader reader;
  FOLIO_TRY(parseXml(xml, part, reader.handler()));
  reader.finish();
  return std::move(reader.chart);
}

}  // namespace folio::ingest::office
