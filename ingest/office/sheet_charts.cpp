#include "ingest/office/sheet_charts.h"

#include "ingest/office/related_charts.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

std::vector<Result<Chart>> sheetCharts(const OfficePackage& package, const std::string& sheet_part) {
  std::vector<Result<Chart>> out;
  for (const auto& [id, drawing] : package.relationships(sheet_part, "drawing")) {
    auto xml = package.read(drawing);
    if (!xml.ok() || !*xml) continue;  // a drawing that cannot be read may hold no chart: nothing to say
    RelatedCharts charts(package, drawing);
    std::vector<std::string> ids;
    SubtreeSkipper skip;
    XmlHandler h;
    h.start = [&](std::string_view element, const XmlAttributes& a) {
      if (skip.enter(element == "Fallback") && element == "chart" && a.has("id")) ids.emplace_back(a.get("id"));
    };
    h.end = [&](std::string_view) { skip.leave(); };
    const Status parsed = parseXml(**xml, drawing, h);
    for (const std::string& chart : ids) out.push_back(charts.chart(chart));
    if (parsed.ok()) continue;
    if (!package.relationships(drawing, "chart").empty() || !package.relationships(drawing, "chartEx").empty()) {
      out.push_back(parsed.error());
    }
  }
  return out;
}

}  // namespace folio::ingest::office
