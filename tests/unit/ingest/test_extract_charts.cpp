// Charts in Office Open XML files read where they stand: a sheet's charts after its cells, a slide's in
// the slide, a Word chart after the paragraph that anchors it; titles, kinds, axis titles and each
// series' cached points in their number formats; Office 2016 charts (chartex); references where no
// cache is kept; damaged or missing chart parts noted without failing the file. The chart parts are
// written as Excel 2016 writes them (namespaces, caches, data labels, alternate content).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/office/chart_cells.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"

namespace folio::ingest {
namespace {

constexpr const char* kRels = R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
constexpr const char* kRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
constexpr const char* kChartexRel = "http://schemas.microsoft.com/office/2014/relationships/chartEx";
constexpr const char* kChartNs =
    R"( xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
constexpr const char* kChartexNs =
    R"( xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

std::string rels(const std::vector<std::string>& relationships) {
  std::string out = kRels;
  for (const auto& r : relationships) out += r;
  return out + "</Relationships>";
}

std::string relationship(const std::string& id, const std::string& type, const std::string& target) {
  const std::string full = type.find("://") == std::string::npos ? kRelType + type : type;
  return "<Relationship Id=\"" + id + "\" Type=\"" + full + "\" Target=\"" + target + "\"/>";
}

std::string richTitle(const std::string& text) {
  return "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang=\"en-US\"/><a:t>" + text +
         "</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>";
}

std::string points(const std::vector<std::string>& values) {
  std::string out = "<c:ptCount val=\"" + std::to_string(values.size()) + "\"/>";
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].empty()) out += "<c:pt idx=\"" + std::to_string(i) + "\"><c:v>" + values[i] + "</c:v></c:pt>";
  }
  return out;
}

std::string strRef(const std::string& ref, const std::vector<std::string>& values) {
  return "<c:strRef><c:f>" + ref + "</c:f><c:strCache>" + points(values) + "</c:strCache></c:strRef>";
}

std::string numRef(const std::string& ref, const std::string& format, const std::vector<std::string>& values) {
  return "<c:numRef><c:f>" + ref + "</c:f><c:numCache><c:formatCode>" + format + "</c:formatCode>" + points(values) +
         "</c:numCache></c:numRef>";
}

// A c:ser: its name (a cached reference), categories and values (already wrapped).
std::string series(int idx, const std::string& name_ref, const std::string& name, const std::string& cat, const std::string& val,
                   const std::string& extra = "") {
  const std::string i = std::to_string(idx);
  return "<c:ser><c:idx val=\"" + i + "\"/><c:order val=\"" + i + "\"/><c:tx>" + strRef(name_ref, {name}) + "</c:tx>" + extra +
         "<c:cat>" + cat + "</c:cat><c:val>" + val + "</c:val></c:ser>";
}

std::string chartSpace(const std::string& title, const std::string& plot_area) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n<c:chartSpace" + std::string(kChartNs) +
         "><c:date1904 val=\"0\"/><c:roundedCorners val=\"0\"/><c:chart>" + title +
         "<c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>" + plot_area +
         "</c:plotArea><c:legend><c:legendPos val=\"r\"/></c:legend><c:plotVisOnly val=\"1\"/></c:chart></c:chartSpace>";
}

std::string axis(const std::string& element, int id, int cross, const std::string& position, const std::string& title) {
  return "<c:" + element + "><c:axId val=\"" + std::to_string(id) + "\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling>"
         "<c:delete val=\"0\"/><c:axPos val=\"" + position + "\"/>" + (title.empty() ? "" : richTitle(title)) +
         "<c:crossAx val=\"" + std::to_string(cross) + "\"/></c:" + element + ">";
}

// Revenue as columns and the margin as a line on one chart, as an exhibit in a financial model has it.
std::string revenueChart() {
  const std::string cat = strRef("Model!$A$2:$A$5", {"Q1", "Q2", "Q3", "Q4"});
  // A data label with text of its own, which is no series name.
  const std::string label = "<c:dLbls><c:dLbl><c:idx val=\"3\"/><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Record</a:t></a:r></a:p>"
                            "</c:rich></c:tx><c:showVal val=\"1\"/></c:dLbl><c:showVal val=\"0\"/></c:dLbls>";
  const std::string bars =
      "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>" +
      series(0, "Model!$B$1", "Revenue", cat, numRef("Model!$B$2:$B$5", "\"$\"#,##0", {"1200", "1350", "1500.4", "1720"}), label) +
      "<c:gapWidth val=\"219\"/><c:axId val=\"10\"/><c:axId val=\"20\"/></c:barChart>";
  // The third point has a format of its own; the fourth is blank.
  const std::string margin = "<c:numRef><c:f>Model!$C$2:$C$5</c:f><c:numCache><c:formatCode>0.0%</c:formatCode><c:ptCount val=\"4\"/>"
                             "<c:pt idx=\"0\"><c:v>0.12</c:v></c:pt><c:pt idx=\"1\"><c:v>0.135</c:v></c:pt>"
                             "<c:pt idx=\"2\" formatCode=\"0%\"><c:v>0.14</c:v></c:pt></c:numCache></c:numRef>";
  const std::string line = "<c:lineChart><c:grouping val=\"standard\"/>" + series(1, "Model!$C$1", "Margin", cat, margin) +
                           "<c:marker val=\"1\"/><c:axId val=\"10\"/><c:axId val=\"20\"/></c:lineChart>";
  return chartSpace(richTitle("Revenue by quarter"),
                    bars + line + axis("catAx", 10, 20, "b", "Quarter") + axis("valAx", 20, 10, "l", "Revenue ($k)"));
}

// An Office 2016 waterfall chart.
std::string bridgeChartex() {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n<cx:chartSpace" + std::string(kChartexNs) +
         "><cx:chartData><cx:externalData r:id=\"rId1\" cx:autoUpdate=\"0\"/><cx:data id=\"0\">"
         "<cx:strDim type=\"cat\"><cx:f>Bridge!$A$2:$A$5</cx:f><cx:lvl ptCount=\"4\"><cx:pt idx=\"0\">FY23</cx:pt><cx:pt idx=\"1\">Price</cx:pt>"
         "<cx:pt idx=\"2\">Volume</cx:pt><cx:pt idx=\"3\">FY24</cx:pt></cx:lvl></cx:strDim>"
         "<cx:numDim type=\"val\"><cx:f>Bridge!$B$2:$B$5</cx:f><cx:lvl ptCount=\"4\" formatCode=\"#,##0;(#,##0)\"><cx:pt idx=\"0\">1000</cx:pt>"
         "<cx:pt idx=\"1\">250</cx:pt><cx:pt idx=\"2\">-75</cx:pt><cx:pt idx=\"3\">1175</cx:pt></cx:lvl></cx:numDim></cx:data></cx:chartData>"
         "<cx:chart><cx:title pos=\"t\" align=\"ctr\" overlay=\"0\"><cx:tx><cx:txData><cx:v>Bridge FY23 to FY24</cx:v></cx:txData></cx:tx>"
         "<cx:txPr><a:bodyPr/><a:p><a:r><a:t>Bridge FY23 to FY24</a:t></a:r></a:p></cx:txPr></cx:title>"
         "<cx:plotArea><cx:plotAreaRegion><cx:series layoutId=\"waterfall\" uniqueId=\"{1}\"><cx:tx><cx:txData><cx:f>Bridge!$B$1</cx:f>"
         "<cx:v>Operating profit</cx:v></cx:txData></cx:tx><cx:dataLabels pos=\"outEnd\"><cx:visibility seriesName=\"0\"/></cx:dataLabels>"
         "<cx:dataId val=\"0\"/><cx:layoutPr><cx:subtotals><cx:idx val=\"0\"/><cx:idx val=\"3\"/></cx:subtotals></cx:layoutPr></cx:series>"
         "</cx:plotAreaRegion><cx:axis id=\"0\"><cx:catScaling gapWidth=\"0.5\"/><cx:tickLabels/></cx:axis>"
         "<cx:axis id=\"1\"><cx:valScaling/><cx:title><cx:tx><cx:txData><cx:v>EUR k</cx:v></cx:txData></cx:tx></cx:title></cx:axis>"
         "</cx:plotArea></cx:chart></cx:chartSpace>";
}

// A scatter chart with literal x values and a cached y series.
std::string doseChart() {
  const std::string ser = "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/><c:tx><c:v>Trial A</c:v></c:tx>"
                          "<c:xVal><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val=\"3\"/><c:pt idx=\"0\"><c:v>1</c:v></c:pt>"
                          "<c:pt idx=\"1\"><c:v>2</c:v></c:pt><c:pt idx=\"2\"><c:v>5</c:v></c:pt></c:numLit></c:xVal>"
                          "<c:yVal>" + numRef("Data!$B$2:$B$4", "0.00", {"2.5", "3.1", "4.75"}) + "</c:yVal></c:ser>";
  return chartSpace(richTitle("Dose response"), "<c:scatterChart><c:scatterStyle val=\"lineMarker\"/>" + ser +
                                                    "<c:axId val=\"7\"/><c:axId val=\"8\"/></c:scatterChart>" +
                                                    axis("valAx", 7, 8, "b", "Dose (mg)") + axis("valAx", 8, 7, "l", "Response"));
}

const std::string kSheetNs =
    R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

// A drawing with a graphic frame per chart id; a "cx:" id is an Office 2016 chart in alternate
// content whose fallback is a text box, as Excel writes it.
std::string drawing(const std::vector<std::string>& ids) {
  std::string out = R"(<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing")"
                    R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">)";
  for (const std::string& id : ids) {
    const bool ex = id.rfind("cx:", 0) == 0;
    const std::string frame = "<xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr><xdr:cNvPr id=\"2\" name=\"Chart 1\"/></xdr:nvGraphicFramePr>"
                              "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">" +
                              std::string(ex ? "<cx:chart xmlns:cx=\"http://schemas.microsoft.com/office/drawing/2014/chartex\"" : "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"") +
                              " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"" + (ex ? id.substr(3) : id) +
                              "\"/></a:graphicData></a:graphic></xdr:graphicFrame>";
    out += "<xdr:twoCellAnchor><xdr:from/><xdr:to/>";
    out += ex ? "<mc:AlternateContent><mc:Choice Requires=\"cx1\">" + frame + "</mc:Choice><mc:Fallback><xdr:sp><xdr:txBody><a:p><a:r>"
                "<a:t>This chart isn't available in your version of Excel.</a:t></a:r></a:p></xdr:txBody></xdr:sp></mc:Fallback></mc:AlternateContent>"
              : frame;
    out += "<xdr:clientData/></xdr:twoCellAnchor>";
  }
  return out + "</xdr:wsDr>";
}

std::string workbookWithCharts(std::vector<std::pair<std::string, std::string>> chart_parts, const std::vector<std::string>& drawing_rels,
                               const std::vector<std::string>& drawing_ids) {
  std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", rels({relationship("rId1", "officeDocument", "xl/workbook.xml")})},
      {"xl/workbook.xml", "<workbook" + kSheetNs + "><sheets><sheet name=\"Model\" sheetId=\"1\" r:id=\"rId1\"/>"
                          "<sheet name=\"Dashboard\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels", rels({relationship("rId1", "worksheet", "worksheets/sheet1.xml"),
                                           relationship("rId2", "chartsheet", "chartsheets/sheet1.xml")})},
      {"xl/worksheets/sheet1.xml", "<worksheet" + kSheetNs + "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Quarter</t></is></c>"
                                   "<c r=\"B1\" t=\"inlineStr\"><is><t>Revenue</t></is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Q1</t></is></c>"
                                   "<c r=\"B2\"><v>1200</v></c></row></sheetData><drawing r:id=\"rId1\"/></worksheet>"},
      {"xl/worksheets/_rels/sheet1.xml.rels", rels({relationship("rId1", "drawing", "../drawings/drawing1.xml")})},
      {"xl/drawings/drawing1.xml", drawing(drawing_ids)},
      {"xl/drawings/_rels/drawing1.xml.rels", rels(drawing_rels)},
      {"xl/chartsheets/sheet1.xml", "<chartsheet" + kSheetNs + "><sheetViews/><drawing r:id=\"rId1\"/></chartsheet>"},
      {"xl/chartsheets/_rels/sheet1.xml.rels", rels({relationship("rId1", "drawing", "../drawings/drawing2.xml")})},
      {"xl/drawings/drawing2.xml", drawing({"rId1"})},
      {"xl/drawings/_rels/drawing2.xml.rels", rels({relationship("rId1", "chart", "../charts/chart3.xml")})},
      {"xl/charts/chart3.xml", doseChart()},
  };
  for (auto& p : chart_parts) parts.push_back(std::move(p));
  return test::zipBytes(parts);
}

TEST(ExtractCharts, AWorkbooksChartsFollowTheirSheetsCells) {
  const std::string book =
      workbookWithCharts({{"xl/charts/chart1.xml", revenueChart()}, {"xl/charts/chartEx1.xml", bridgeChartex()}},
                         {relationship("rId1", "chart", "../charts/chart1.xml"), relationship("rId2", kChartexRel, "../charts/chartEx1.xml")},
                         {"rId1", "cx:rId2"});
  auto r = extractBytes(book, classifySource("model.xlsx"), "model.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "## Sheet: Model\n"
            "Quarter | Revenue\n"
            "Q1 | 1200\n"
            "\n### Chart: Revenue by quarter\n"
            "Column and line chart. Category axis: Quarter. Value axis: Revenue ($k).\n"
            "Series: Revenue (column) — Q1 $1,200; Q2 $1,350; Q3 $1,500; Q4 $1,720\n"
            "Series: Margin (line) — Q1 12.0%; Q2 13.5%; Q3 14%\n"
            "\n### Chart: Bridge FY23 to FY24\n"
            "Waterfall chart. Value axis: EUR k.\n"
            "Series: Operating profit — FY23 1,000; Price 250; Volume (75); FY24 1,175\n"
            "\n## Sheet: Dashboard\n"
            "\n### Chart: Dose response\n"
            "Scatter chart. X axis: Dose (mg). Y axis: Response.\n"
            "Series: Trial A — (1, 2.50); (2, 3.10); (5, 4.75)\n");
  ASSERT_EQ(r->page_starts.size(), 2u);  // the chart sheet is a page
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 20), "## Sheet: Dashboard\n");
}

TEST(ExtractCharts, DamagedOrMissingChartPartsAreNotedAndTheRestIsRead) {
  const std::string book = workbookWithCharts(
      {{"xl/charts/chart1.xml", "<c:chartSpace" + std::string(kChartNs) + "><c:chart><c:title></c:chart>"}},
      {relationship("rId1", "chart", "../charts/chart1.xml"), relationship("rId2", "chart", "../charts/chart2.xml")},
      {"rId1", "rId2", "rId9"});
  auto r = extractBytes(book, classifySource("model.xlsx"), "model.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("Quarter | Revenue\nQ1 | 1200\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("### Chart\n(chart not read: xl/charts/chart1.xml: line 1: mismatched tag)\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("### Chart\n(chart not read: xl/charts/chart2.xml is missing from the file)\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("(chart not read: xl/drawings/drawing1.xml names no chart part for relationship rId9)"), std::string::npos);
  EXPECT_NE(r->text.find("Series: Trial A"), std::string::npos);  // the chart sheet's chart still read

  // A drawing that is not XML at all: a note, and the sheet's cells kept.
  auto again = extractBytes(test::zipBytes({{"_rels/.rels", rels({relationship("rId1", "officeDocument", "xl/workbook.xml")})},
                                            {"xl/workbook.xml", "<workbook" + kSheetNs + "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
                                            {"xl/_rels/workbook.xml.rels", rels({relationship("rId1", "worksheet", "sheet1.xml")})},
                                            {"xl/sheet1.xml", "<worksheet" + kSheetNs + "><sheetData><row><c t=\"inlineStr\"><is><t>kept</t></is></c></row></sheetData></worksheet>"},
                                            {"xl/_rels/sheet1.xml.rels", rels({relationship("rId1", "drawing", "d.xml")})},
                                            {"xl/d.xml", "<wsDr><graphicFrame><chart id=\"rId1\"/>"},
                                            {"xl/_rels/d.xml.rels", rels({relationship("rId1", "chart", "c.xml")})},
                                            {"xl/c.xml", revenueChart()}}),
                            classifySource("s.xlsx"), "s.xlsx");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE(again->text.find("kept\n"), std::string::npos);
  EXPECT_NE(again->text.find("Series: Revenue (column) — Q1 $1,200"), std::string::npos) << again->text;  // read before the break
  EXPECT_NE(again->text.find("(chart not read: xl/d.xml: line 1: "), std::string::npos) << again->text;
}

// Long series are cut with a count of what was left out; multi-level categories read "2023 H1"; dates
// as ISO 8601; a series kept only as references names them.
TEST(ExtractCharts, LongSeriesMultiLevelCategoriesDatesAndReferences) {
  std::vector<std::string> many;
  for (int i = 0; i < 250; ++i) many.push_back(std::to_string(i * 10));
  const std::string multi =
      "<c:multiLvlStrRef><c:f>S!$A$2:$B$5</c:f><c:multiLvlStrCache><c:ptCount val=\"4\"/>"
      "<c:lvl><c:pt idx=\"0\"><c:v>H1</c:v></c:pt><c:pt idx=\"1\"><c:v>H2</c:v></c:pt><c:pt idx=\"2\"><c:v>H1</c:v></c:pt><c:pt idx=\"3\"><c:v>H2</c:v></c:pt></c:lvl>"
      "<c:lvl><c:pt idx=\"0\"><c:v>2023</c:v></c:pt><c:pt idx=\"2\"><c:v>2024</c:v></c:pt></c:lvl></c:multiLvlStrCache></c:multiLvlStrRef>";
  const std::string refs_only = "<c:ser><c:idx val=\"2\"/><c:order val=\"2\"/><c:tx><c:strRef><c:f>S!$D$1</c:f></c:strRef></c:tx>"
                                "<c:cat><c:numRef><c:f>S!$A$2:$A$13</c:f></c:numRef></c:cat><c:val><c:numRef><c:f>S!$D$2:$D$13</c:f></c:numRef></c:val></c:ser>";
  const std::string plot =
      "<c:areaChart><c:grouping val=\"stacked\"/>" + series(0, "S!$C$1", "Daily", numRef("S!$A$2:$A$251", "General", {}), numRef("S!$B$2:$B$251", "General", many)) +
      series(1, "S!$E$1", "Halves", multi, numRef("S!$E$2:$E$5", "0", {"10", "12", "14", "15"})) + refs_only +
      series(3, "S!$F$1", "By date", numRef("S!$F$2:$F$3", "mmm-yy", {"45352", "45383"}), numRef("S!$G$2:$G$3", "0", {"7", "8"})) +
      "<c:axId val=\"1\"/><c:axId val=\"2\"/></c:areaChart>";
  const std::string book = workbookWithCharts({{"xl/charts/chart1.xml", chartSpace("", plot)}},
                                              {relationship("rId1", "chart", "../charts/chart1.xml")}, {"rId1"});
  auto r = extractBytes(book, classifySource("long.xlsx"), "long.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string& t = r->text;
  EXPECT_NE(t.find("\n### Chart\nStacked area chart.\nSeries: Daily — 0; 10; 20; "), std::string::npos) << t;
  // 100 of 250 listed; the categories' cache is empty, so their reference is named.
  EXPECT_NE(t.find("; 980; 990; … (150 more points) (categories from S!$A$2:$A$251)\n"), std::string::npos) << t;
  EXPECT_EQ(t.find("; 1000;"), std::string::npos);
  EXPECT_NE(t.find("Series: Halves — 2023 H1 10; 2023 H2 12; 2024 H1 14; 2024 H2 15\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Series: S!$D$1 — values from S!$D$2:$D$13; categories from S!$A$2:$A$13\n"), std::string::npos) << t;
  EXPECT_NE(t.find("Series: By date — 2024-03-01 7; 2024-04-01 8\n"), std::string::npos) << t;

  // Eight category levels at most: the innermost and the seven around it.
  std::string deep = "<c:multiLvlStrRef><c:f>S!$A$2:$L$2</c:f><c:multiLvlStrCache><c:ptCount val=\"1\"/>";
  for (int level = 0; level < 12; ++level) deep += "<c:lvl><c:pt idx=\"0\"><c:v>L" + std::to_string(level) + "</c:v></c:pt></c:lvl>";
  deep += "</c:multiLvlStrCache></c:multiLvlStrRef>";
  auto deep_book = extractBytes(
      workbookWithCharts({{"xl/charts/chart1.xml", chartSpace("", "<c:barChart>" + series(0, "S!$M$1", "Deep", deep, numRef("S!$M$2", "0", {"5"})) + "</c:barChart>")}},
                         {relationship("rId1", "chart", "../charts/chart1.xml")}, {"rId1"}),
      classifySource("deep.xlsx"), "deep.xlsx");
  ASSERT_TRUE(deep_book.ok()) << deep_book.error().message;
  EXPECT_NE(deep_book->text.find("Series: Deep — L7 L6 L5 L4 L3 L2 L1 L0 5\n"), std::string::npos) << deep_book->text;

  // Past 256 series the rest are counted, not listed.
  std::string crowded = "<c:lineChart><c:grouping val=\"standard\"/>";
  for (int i = 0; i < 260; ++i) crowded += series(i, "S!$A$1", "S" + std::to_string(i), strRef("S!$A$2", {"x"}), numRef("S!$B$2", "0", {"1"}));
  crowded += "</c:lineChart>";
  auto many_series = extractBytes(workbookWithCharts({{"xl/charts/chart1.xml", chartSpace(richTitle("Crowded"), crowded)}},
                                                     {relationship("rId1", "chart", "../charts/chart1.xml")}, {"rId1"}),
                                  classifySource("crowded.xlsx"), "crowded.xlsx");
  ASSERT_TRUE(many_series.ok()) << many_series.error().message;
  EXPECT_NE(many_series->text.find("Series: S255 — x 1\n(4 more series not listed)\n"), std::string::npos) << many_series->text;
  EXPECT_EQ(many_series->text.find("Series: S256"), std::string::npos);
}

// A workbook whose charts keep no cached points (as openpyxl writes them): each sheet its rows and the
// chart parts drawn on it. Styles: 1 "$"#,##0, 2 0.0%, 3 a date.
struct BookSheet {
  std::string name, rows;
  std::vector<std::string> charts;
};

std::string bookWithCachelessCharts(const std::vector<BookSheet>& sheets) {
  std::string list, workbook_rels;
  std::vector<std::pair<std::string, std::string>> parts = {
      {"_rels/.rels", rels({relationship("rId1", "officeDocument", "xl/workbook.xml")})},
      {"xl/styles.xml", "<styleSheet" + kSheetNs + "><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"&quot;$&quot;#,##0\"/>"
                        "<numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts><cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
                        "<xf numFmtId=\"165\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>"}};
  std::vector<std::string> book_rels = {relationship("rIdS", "styles", "styles.xml")};
  int chart = 0;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    list += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    book_rels.push_back(relationship("rId" + n, "worksheet", "worksheets/sheet" + n + ".xml"));
    const bool drawn = !sheets[i].charts.empty();
    parts.emplace_back("xl/worksheets/sheet" + n + ".xml", "<worksheet" + kSheetNs + "><sheetData>" + sheets[i].rows + "</sheetData>" +
                                                               (drawn ? "<drawing r:id=\"rId1\"/>" : "") + "</worksheet>");
    if (!drawn) continue;
    parts.emplace_back("xl/worksheets/_rels/sheet" + n + ".xml.rels", rels({relationship("rId1", "drawing", "../drawings/drawing" + n + ".xml")}));
    std::vector<std::string> ids, drawing_rels;
    for (const std::string& xml : sheets[i].charts) {
      const std::string c = std::to_string(++chart);
      ids.push_back("rId" + c);
      drawing_rels.push_back(relationship("rId" + c, "chart", "../charts/chart" + c + ".xml"));
      parts.emplace_back("xl/charts/chart" + c + ".xml", xml);
    }
    parts.emplace_back("xl/drawings/drawing" + n + ".xml", drawing(ids));
    parts.emplace_back("xl/drawings/_rels/drawing" + n + ".xml.rels", rels(drawing_rels));
  }
  parts.emplace_back("xl/workbook.xml", "<workbook" + kSheetNs + "><sheets>" + list + "</sheets></workbook>");
  parts.emplace_back("xl/_rels/workbook.xml.rels", rels(book_rels));
  return test::zipBytes(parts);
}

std::string textCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

std::string numberCell(const std::string& ref, const std::string& value, int style = 0) {
  return "<c r=\"" + ref + "\"" + (style > 0 ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" + value + "</v></c>";
}

// A series of references only: its name, categories (a c:strRef, c:numRef or c:multiLvlStrRef) and values.
std::string refSeries(int idx, const std::string& name_ref, const std::string& cat_kind, const std::string& cat_ref,
                      const std::string& val_ref) {
  const std::string i = std::to_string(idx);
  return "<c:ser><c:idx val=\"" + i + "\"/><c:order val=\"" + i + "\"/>" +
         (name_ref.empty() ? "" : "<c:tx><c:strRef><c:f>" + name_ref + "</c:f></c:strRef></c:tx>") +
         (cat_ref.empty() ? "" : "<c:cat><c:" + cat_kind + "><c:f>" + cat_ref + "</c:f></c:" + cat_kind + "></c:cat>") +
         "<c:val><c:numRef><c:f>" + val_ref + "</c:f></c:numRef></c:val></c:ser>";
}

std::string lineChart(const std::string& title, const std::string& series) {
  return chartSpace(richTitle(title), "<c:lineChart><c:grouping val=\"standard\"/>" + series +
                                          "<c:axId val=\"1\"/><c:axId val=\"2\"/></c:lineChart>");
}

// The data: a title row, then quarters with revenue ($) and margin (%), a year column for two-level
// categories and dates.
std::string quarterRows() {
  const char* quarters[] = {"Q1", "Q2", "Q3", "Q4"};
  const char* revenue[] = {"1200", "1350", "1500.4", "1720"};
  const char* margin[] = {"0.12", "0.135", "0.15", "0.165"};
  const char* dates[] = {"45352", "45383", "45413", "45444"};
  std::string rows = "<row r=\"1\">" + textCell("A1", "Year") + textCell("B1", "Quarter") + textCell("C1", "Revenue") +
                     textCell("D1", "Margin") + textCell("E1", "Month") + "</row>";
  for (int i = 0; i < 4; ++i) {
    const std::string r = std::to_string(i + 2);
    rows += "<row r=\"" + r + "\">" + (i % 2 == 0 ? numberCell("A" + r, i < 2 ? "2023" : "2024") : "") + textCell("B" + r, quarters[i]) +
            numberCell("C" + r, revenue[i], 1) + numberCell("D" + r, margin[i], 2) + numberCell("E" + r, dates[i], 3) + "</row>";
  }
  return rows;
}

// A series with no cached points reads the cells its references name, in their number formats: on its
// own sheet or on one after the chart's (read ahead), sheet names quoted or not and in any case, one
// cell, two columns as two category levels, a range past the cells the sheet holds, a whole column
// and a whole row (the cells with a value in them).
TEST(ExtractCharts, ASeriesWithoutCachedPointsReadsTheWorkbooksCells) {
  const std::string on_data =
      lineChart("Revenue", refSeries(0, "'My Data'!$C$1", "strRef", "'My Data'!$B$2:$B$5", "'My Data'!$C$2:$C$5") +
                               refSeries(1, "'my data'!D1", "multiLvlStrRef", "'My Data'!$A$2:$B$5", "'My Data'!D2:D5"));
  const std::string ahead =
      lineChart("Ahead", refSeries(0, "'My Data'!$D$1", "numRef", "'My Data'!$E$2:$E$5", "'My Data'!$C$2:$C$200") +
                             refSeries(1, "", "", "", "'My Data'!$C:$C") + refSeries(2, "Notes!A1", "", "", "'My Data'!$C$3") +
                             refSeries(3, "", "", "", "'My Data'!$3:$3"));
  const std::string book =
      bookWithCachelessCharts({{"Summary", "<row r=\"1\">" + textCell("A1", "See charts") + "</row>", {ahead}},
                               {"My Data", quarterRows(), {on_data}},
                               {"Notes", "<row r=\"1\">" + textCell("A1", "Single cell") + "</row>", {}}});
  auto r = extractBytes(book, classifySource("openpyxl.xlsx"), "openpyxl.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string& t = r->text;
  EXPECT_NE(t.find("## Sheet: Summary\nSee charts\n\n### Chart: Ahead\nLine chart.\n"
                   "Series: Margin — 2024-03-01 $1,200; 2024-04-01 $1,350; 2024-05-01 $1,500; 2024-06-01 $1,720\n"
                   "Series: Series 2 — Revenue; $1,200; $1,350; $1,500; $1,720\n"
                   "Series: Single cell — $1,350\n"
                   "Series: Series 4 — Q2; $1,350; 13.5%; 2024-04-01\n\n## Sheet: My Data\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Q4 | $1,720 | 16.5% | 2024-06-01\n\n### Chart: Revenue\nLine chart.\n"
                   "Series: Revenue — Q1 $1,200; Q2 $1,350; Q3 $1,500; Q4 $1,720\n"
                   "Series: Margin — 2023 Q1 12.0%; 2023 Q2 13.5%; 2024 Q3 15.0%; 2024 Q4 16.5%\n"),
            std::string::npos)
      << t;
  EXPECT_EQ(t.find("values from"), std::string::npos) << t;
}

// Cached points win over the cells (they are what Excel last drew); references Folio cannot read as
// cells — another workbook's, a defined name, a union, a function, a sheet the workbook lacks — keep
// their "values from" wording.
TEST(ExtractCharts, CachesWinAndOtherReferencesAreNamed) {
  const std::string cached = "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/><c:tx>" + strRef("'My Data'!$C$1", {"Booked"}) + "</c:tx><c:cat>" +
                             strRef("'My Data'!$B$2:$B$3", {"H1", "H2"}) + "</c:cat><c:val>" +
                             numRef("'My Data'!$C$2:$C$3", "0.0", {"7", "8"}) + "</c:val></c:ser>";
  const std::string others = refSeries(1, "[1]Data!$C$1", "strRef", "[1]Data!$B$2:$B$5", "[1]Data!$C$2:$C$5") +
                             refSeries(2, "", "", "", "Revenue") +
                             refSeries(3, "", "", "", "('My Data'!$C$2,'My Data'!$C$4)") +
                             refSeries(4, "", "", "", "OFFSET('My Data'!$C$2,0,0,4,1)") +
                             refSeries(5, "", "strRef", "'My Data'!$B$2:$B$5", "Gone!$C$2:$C$5") +
                             refSeries(6, "", "", "", "'[Budget.xlsx]My Data'!$C$2:$C$5");
  const std::string book = bookWithCachelessCharts({{"My Data", quarterRows(), {lineChart("Mixed", cached + others)}}});
  auto r = extractBytes(book, classifySource("mixed.xlsx"), "mixed.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("### Chart: Mixed\nLine chart.\n"
                         "Series: Booked — H1 7.0; H2 8.0\n"
                         "Series: [1]Data!$C$1 — values from [1]Data!$C$2:$C$5; categories from [1]Data!$B$2:$B$5\n"
                         "Series: Series 3 — values from Revenue\n"
                         "Series: Series 4 — values from ('My Data'!$C$2,'My Data'!$C$4)\n"
                         "Series: Series 5 — values from OFFSET('My Data'!$C$2,0,0,4,1)\n"
                         "Series: Series 6 — values from Gone!$C$2:$C$5; categories from 'My Data'!$B$2:$B$5\n"
                         "Series: Series 7 — values from '[Budget.xlsx]My Data'!$C$2:$C$5\n"),
            std::string::npos)
      << r->text;
}

// A range of a million cells keeps 100 points and counts the rest; so does a whole column (its first
// 100 values, wherever they start), and a two-column range as two category levels.
TEST(ExtractCharts, AHugeRangeIsCappedAtAHundredPoints) {
  std::string rows;
  for (int i = 1; i <= 5000; ++i) {
    const std::string r = std::to_string(i);
    rows += "<row r=\"" + r + "\">" + textCell("A" + r, "d" + r) + numberCell("B" + r, std::to_string(i * 2)) +
            (i >= 150 && i <= 400 ? numberCell("C" + r, r) : "") + "</row>";
  }
  const std::string chart = lineChart("Daily", refSeries(0, "", "strRef", "Sheet1!$A$1:$A$1048576", "Sheet1!$B$1:$B$1048576") +
                                                   refSeries(1, "", "multiLvlStrRef", "Sheet1!$A$1:$B$1048576", "Sheet1!$B:$B") +
                                                   refSeries(2, "", "", "", "Sheet1!$C:$C"));
  auto r = extractBytes(bookWithCachelessCharts({{"Sheet1", rows, {chart}}}), classifySource("huge.xlsx"), "huge.xlsx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string& t = r->text;
  EXPECT_NE(t.find("Series: Series 1 — d1 2; d2 4; d3 6; "), std::string::npos) << t.substr(t.size() - 3000);
  EXPECT_NE(t.find("; d100 200; … (4900 more points)\nSeries: Series 2 — d1 2 2; d2 4 4; "), std::string::npos)
      << t.substr(t.size() - 3000);
  EXPECT_NE(t.find("; d100 200 200; … (4900 more points)\n"), std::string::npos) << t.substr(t.size() - 3000);
  EXPECT_EQ(t.find("d101 202;"), std::string::npos);
  // A column whose values start at row 150: its first 100 values, not 100 empty cells.
  EXPECT_NE(t.find("Series: Series 3 — 150; 151; "), std::string::npos) << t.substr(t.size() - 3000);
  EXPECT_NE(t.find("; 249; … (151 more points)\n"), std::string::npos) << t.substr(t.size() - 3000);
}

// The references read as cells, each end reversed or not, and those that are not.
TEST(ExtractCharts, PlainRangesAreTheReferencesReadAsCells) {
  using office::parseCellRange;
  const auto show = [](std::string_view f) {
    const auto r = parseCellRange(f);
    return r ? r->sheet + " " + std::to_string(r->top) + "," + std::to_string(r->left) + ":" + std::to_string(r->bottom) + "," +
                   std::to_string(r->right)
             : std::string("-");
  };
  EXPECT_EQ(show("Sheet1!$B$2:$B$13"), "Sheet1 1,1:12,1");
  EXPECT_EQ(show("'It''s Q1'!c13:B2"), "It's Q1 1,1:12,2");
  EXPECT_EQ(show("(Data!A1)"), "Data 0,0:0,0");
  EXPECT_EQ(show("Data!$B:$C"), "Data 0,1:1048575,2");
  EXPECT_EQ(show("Data!$3:$3"), "Data 2,0:2,16383");
  for (const char* other : {"[1]Sheet1!$A$1", "'[Book.xlsx]S'!A1", "Revenue", "A1:B2", "Data!B", "Data!B2:C", "Data!A0", "Data!XFE1",
                            "Data!A1048577", "Data!A1,Data!A3", "SUM(Data!A1:A3)", "Data!$$1", "'Open!A1", "Data!A1:B2 Data!B1"}) {
    EXPECT_EQ(show(other), "-") << other;
  }
}

const std::string kSlideNs =
    R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
    R"( xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")";

TEST(ExtractCharts, ASlidesChartsReadInTheSlideAndTheirFallbackIsLeftOut) {
  const auto para = [](const std::string& text) { return "<a:p><a:r><a:rPr/><a:t>" + text + "</a:t></a:r></a:p>"; };
  const std::string title = "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr></p:nvSpPr>"
                            "<p:txBody><a:bodyPr/>" + para("Results") + "</p:txBody></p:sp>";
  const std::string body = "<p:sp><p:nvSpPr><p:cNvPr id=\"3\" name=\"Text\"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:txBody><a:bodyPr/>" +
                           para("Ahead of plan") + "</p:txBody></p:sp>";
  const auto frame = [](const std::string& element, const std::string& id) {
    return "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"4\" name=\"Chart\"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>"
           "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><" + element +
           " xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:cx=\"http://schemas.microsoft.com/office/drawing/2014/chartex\" r:id=\"" +
           id + "\"/></a:graphicData></a:graphic></p:graphicFrame>";
  };
  const std::string chartex = "<mc:AlternateContent><mc:Choice Requires=\"cx1\">" + frame("cx:chart", "rId3") +
                              "</mc:Choice><mc:Fallback><p:sp><p:txBody><a:bodyPr/>" +
                              para("This chart isn't available in your version of PowerPoint.") + "</p:txBody></p:sp></mc:Fallback></mc:AlternateContent>";
  const std::string slide = "<p:sld" + kSlideNs + "><p:cSld><p:spTree>" + title + body + frame("c:chart", "rId2") + chartex +
                            "</p:spTree></p:cSld></p:sld>";
  const std::string deck = test::zipBytes({
      {"_rels/.rels", rels({relationship("rId1", "officeDocument", "ppt/presentation.xml")})},
      {"ppt/presentation.xml", "<p:presentation" + kSlideNs + "><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>"},
      {"ppt/_rels/presentation.xml.rels", rels({relationship("rId1", "slide", "slides/slide1.xml")})},
      {"ppt/slides/slide1.xml", slide},
      {"ppt/slides/_rels/slide1.xml.rels", rels({relationship("rId1", "slideLayout", "../slideLayouts/slideLayout2.xml"),
                                                 relationship("rId2", "chart", "../charts/chart7.xml"),
                                                 relationship("rId3", kChartexRel, "../charts/chartEx2.xml")})},
      {"ppt/charts/chart7.xml", revenueChart()},
      {"ppt/charts/chartEx2.xml", bridgeChartex()},
  });
  auto r = extractBytes(deck, classifySource("board.pptx"), "board.pptx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Slide 1: Results\n\nAhead of plan\n\n"
            "## Chart: Revenue by quarter\n\n"
            "Column and line chart. Category axis: Quarter. Value axis: Revenue ($k).\n\n"
            "Series: Revenue (column) — Q1 $1,200; Q2 $1,350; Q3 $1,500; Q4 $1,720\n\n"
            "Series: Margin (line) — Q1 12.0%; Q2 13.5%; Q3 14%\n\n"
            "## Chart: Bridge FY23 to FY24\n\n"
            "Waterfall chart. Value axis: EUR k.\n\n"
            "Series: Operating profit — FY23 1,000; Price 250; Volume (75); FY24 1,175\n\n");
}

// In Word the chart follows the paragraph its graphic is anchored in, before the next paragraph.
TEST(ExtractCharts, AWordChartFollowsTheParagraphThatAnchorsIt) {
  const std::string inline_chart =
      "<w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><wp:extent cx=\"5486400\" cy=\"3200400\"/>"
      "<wp:docPr id=\"1\" name=\"Chart 1\"/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
      "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\""
      " r:id=\"rId5\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>";
  const std::string body = test::wordParagraph("Revenue grew in every quarter.") +
           "<w:p><w:r><w:t xml:space=\"preserve\">Figure 1 </w:t></w:r>" + inline_chart + "</w:p>" +
           "<w:p><w:del w:id=\"1\" w:author=\"A\" w:date=\"2024-01-01T00:00:00Z\">" + inline_chart + "</w:del></w:p>" +
           test::wordParagraph("Costs were flat.") +
           // An Office 2016 chart in a table cell, its fallback picture's caption left out.
           "<w:tbl><w:tr><w:tc>" + test::wordParagraph("Bridge") + "</w:tc><w:tc><w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"cx1\">"
           "<w:drawing><wp:anchor xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
           "<a:graphicData uri=\"http://schemas.microsoft.com/office/drawing/2014/chartex\"><cx:chart xmlns:cx=\"http://schemas.microsoft.com/office/drawing/2014/chartex\" r:id=\"rId6\"/>"
           "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:t>This chart isn't available</w:t></mc:Fallback>"
           "</mc:AlternateContent></w:r></w:p></w:tc></w:tr></w:tbl>";
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"_rels/.rels", rels({relationship("rId1", "officeDocument", "word/document.xml")})},
      {"word/_rels/document.xml.rels", rels({relationship("rId5", "chart", "charts/chart1.xml"),
                                             relationship("rId6", kChartexRel, "charts/chartEx1.xml")})},
      {"word/charts/chart1.xml", doseChart()},
      {"word/charts/chartEx1.xml", bridgeChartex()},
      {"word/document.xml", R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
                            R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")"
                            R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>)" +
                                body + "</w:body></w:document>"},
  };
  auto r = extractBytes(test::zipBytes(parts), classifySource("report.docx"), "report.docx");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "Revenue grew in every quarter.\n\nFigure 1\n\n"
            "Chart: Dose response\n\n"
            "Scatter chart. X axis: Dose (mg). Y axis: Response.\n\n"
            "Series: Trial A — (1, 2.50); (2, 3.10); (5, 4.75)\n\n"
            "Costs were flat.\n\n"  // the chart in a deleted run is gone with it
            "Bridge | Chart: Bridge FY23 to FY24 Waterfall chart. Value axis: EUR k. "
            "Series: Operating profit — FY23 1,000; Price 250; Volume (75); FY24 1,175\n\n");
}

}  // namespace
}  // namespace folio::ingest
