#include "ingest/office/related_charts.h"

#include "ingest/office/chartex_chart.h"
#include "ingest/office/ooxml_chart.h"

namespace folio::ingest::office {

ChartText RelatedCharts::text(std::string_view id) {
  if (!loaded_) {
    charts_ = package_.relationships(source_, "chart");
    chartex_ = package_.relationships(source_, "chartEx");
    loaded_ = true;
  }
  const std::string key(id);
  const auto chart = charts_.find(key);
  const auto chartex = chart == charts_.end() ? chartex_.find(key) : chartex_.end();
  if (chart == charts_.end() && chartex == chartex_.end()) {
    return chartNotRead(source_ + " names no chart part for relationship " + key);
  }
  const std::string& part = chart != charts_.end() ? chart->second : chartex->second;
  auto xml = package_.read(part);
  if (!xml.ok()) return chartNotRead(xml.error().message);
  if (!*xml) return chartNotRead(part + " is missing from the file");
  auto read = chart != charts_.end() ? readOoxmlChart(**xml, part) : readChartex(**xml, part);
  if (!read.ok()) return chartNotRead(read.error().message);
  return chartText(*read);
}

}  // namespace folio::ingest::office
