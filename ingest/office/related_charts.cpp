#include "ingest/office/related_charts.h"

#include "ingest/office/chartex_chart.h"
#include "ingest/office/ooxml_chart.h"

namespace folio::ingest::office {

ChartText RelatedCharts::text(std::string_view id) {
  auto read = chart(id);
  return read.ok() ? chartText(*read) : chartNotRead(read.error().message);
}

Result<Chart> RelatedCharts::chart(std::string_view id) {
  if (!loaded_) {
    charts_ = package_.relationships(source_, "chart");
    chartex_ = package_.relationships(source_, "chartEx");
    loaded_ = true;
  }
  const std::string key(id);
  const auto ooxml = charts_.find(key);
  const auto chartex = ooxml == charts_.end() ? chartex_.find(key) : chartex_.end();
  if (ooxml == charts_.end() && chartex == chartex_.end()) {
    return badInput(source_ + " names no chart part for relationship " + key);
  }
  const std::string& part = ooxml != charts_.end() ? ooxml->second : chartex->second;
  auto xml = package_.read(part);
  if (!xml.ok()) return xml.error();
  if (!*xml) return notFound(part + " is missing from the file");
  return ooxml != charts_.end() ? readOoxmlChart(**xml, part) : readChartex(**xml, part);
}

}  // namespace folio::ingest::office
