#include "ingest/office/xlsx_extract.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "ingest/office/cell_formats.h"
#include "ingest/office/chart_cells.h"
#include "ingest/office/sheet_charts.h"
#include "ingest/office/sheet_text.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

constexpr size_t kMaxColumns = 16384;  // Excel's last column, XFD

struct Sheet {
  std::string name;
  std::string rel_id;
  bool hidden = false;
};

// A sheet's chart still to be filled in from the workbook's cells, or its text.
struct SheetChart {
  std::optional<Chart> chart;
  ChartText text;
};

struct Workbook {
  std::vector<Sheet> sheets;
  bool date1904 = false;
};

// parseXml with the file's name in front of the part's in an error.
Status parseIn(const std::string& name, std::string_view xml, const std::string& part, const XmlHandler& h) {
  auto parsed = parseXml(xml, part, h);
  if (!parsed.ok()) return parsed.error().context(name);
  return {};
}

Result<std::string> readPart(const OfficePackage& package, const std::string& part) {
  auto xml = package.read(part);
  if (!xml.ok()) return xml.error();
  return xml->value_or(std::string());
}

Result<Workbook> readWorkbook(const OfficePackage& package, const std::string& part, const std::string& name) {
  auto xml = readPart(package, part);
  if (!xml.ok()) return xml.error();
  Workbook wb;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes& a) {
    if (element == "workbookPr") wb.date1904 = a.get("date1904") == "1" || a.get("date1904") == "true";
    if (element != "sheet") return;
    Sheet s;
    appendValidUtf8(s.name, a.get("name"));
    s.rel_id = std::string(a.get("id"));
    s.hidden = a.get("state") == "hidden" || a.get("state") == "veryHidden";
    wb.sheets.push_back(std::move(s));
  };
  FOLIO_TRY(parseIn(name, *xml, part, h));
  return wb;
}

// Text inside <t> elements of `container` elements (a shared string <si>, an inline string <is>),
// leaving out phonetic guides (<rPh>) that repeat East Asian text in kana.
class StringCollector {
 public:
  explicit StringCollector(std::string_view container) : container_(container) {}
  void start(std::string_view element) {
    if (!skip_.enter(element == "rPh")) return;
    if (element == container_) {
      open_ = true;
      text_.clear();
    }
    in_t_ = open_ && element == "t";
  }
  // True when a container closed: its text is text().
  bool end(std::string_view element) {
    if (!skip_.leave()) return false;
    if (element == "t") in_t_ = false;
    if (element != container_ || !open_) return false;
    open_ = false;
    return true;
  }
  void characters(std::string_view s) {
    if (in_t_ && !skip_.skipping()) appendValidUtf8(text_, s);
  }
  const std::string& text() const { return text_; }

 private:
  std::string_view container_;
  SubtreeSkipper skip_;
  bool open_ = false, in_t_ = false;
  std::string text_;
};

Result<std::vector<std::string>> readSharedStrings(const OfficePackage& package, const std::string& part,
                                                   const std::string& name) {
  std::vector<std::string> strings;
  if (part.empty()) return strings;
  auto xml = readPart(package, part);
  if (!xml.ok()) return xml.error();
  StringCollector si("si");
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes&) { si.start(element); };
  h.end = [&](std::string_view element) {
    if (si.end(element)) strings.push_back(si.text());
  };
  h.text = [&](std::string_view s) { si.characters(s); };
  FOLIO_TRY(parseIn(name, *xml, part, h));
  return strings;
}

// The number format of each cell style (cellXfs index).
Result<CellFormats> readStyles(const OfficePackage& package, const std::string& part, const std::string& name) {
  if (part.empty()) return CellFormats();
  auto xml = readPart(package, part);
  if (!xml.ok()) return xml.error();
  std::map<int, std::string> codes;
  std::vector<int> style_formats;
  bool in_cell_xfs = false;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes& a) {
    if (element == "numFmt") codes[attributeInt(a.get("numFmtId"), -1)] = std::string(a.get("formatCode"));
    if (element == "cellXfs") in_cell_xfs = true;
    if (element == "xf" && in_cell_xfs) style_formats.push_back(attributeInt(a.get("numFmtId"), 0));
  };
  h.end = [&](std::string_view element) {
    if (element == "cellXfs") in_cell_xfs = false;
  };
  FOLIO_TRY(parseIn(name, *xml, part, h));
  return CellFormats(codes, style_formats);
}

// "BC12" -> 54 (0-based column), or -1.
int columnOf(std::string_view ref) {
  long col = 0;
  size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > static_cast<long>(kMaxColumns)) return -1;
  }
  return i == 0 ? -1 : static_cast<int>(col - 1);
}

// "BC12" -> 11 (0-based row), or -1.
long rowOf(std::string_view ref) {
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') ++i;
  long row = 0;
  if (i == ref.size()) return -1;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9' || row > 1048576) return -1;
    row = row * 10 + (ref[i] - '0');
  }
  return row - 1;
}

// A worksheet's rows into `out` (none: only the wanted cells are read) and the cells its workbook's
// charts want into `cells` (none wanted: nullptr).
class SheetReader {
 public:
  SheetReader(const std::vector<std::string>& strings, const CellFormats& formats, bool date1904,
              SheetText* out, SheetCells* cells)
      : strings_(strings), formats_(formats), date1904_(date1904), out_(out), cells_(cells) {}

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view element, const XmlAttributes& a) {
      inline_.start(element);
      if (element == "row") {
        row_cells_.clear();
        if (cells_ != nullptr) {
          const int r = attributeInt(a.get("r"), 0);
          row_ = r > 0 ? r - 1 : row_ + 1;
        }
      } else if (element == "c") {
        const int col = columnOf(a.get("r"));
        column_ = col >= 0 ? static_cast<size_t>(col) : row_cells_.size();
        if (cells_ != nullptr) {
          const long r = rowOf(a.get("r"));
          if (r >= 0) row_ = r;
        }
        type_ = std::string(a.get("t"));
        style_ = static_cast<size_t>(std::max(0, attributeInt(a.get("s"), 0)));
        value_.clear();
      } else if (element == "v") {
        in_v_ = true;
      }
    };
    h.end = [this](std::string_view element) {
      if (inline_.end(element)) value_ = inline_.text();
      if (element == "v") in_v_ = false;
      if (element == "c") finishCell();
      if (element == "row") finishRow();
    };
    h.text = [this](std::string_view s) {
      inline_.characters(s);
      if (in_v_) value_.append(s);
    };
    return h;
  }

 private:
  void finishCell() {
    const bool wanted = cells_ != nullptr && row_ >= 0 && column_ < kMaxColumns &&
                        cells_->wants(static_cast<uint32_t>(row_), static_cast<uint32_t>(column_));
    if (out_ == nullptr && !wanted) {
      // Only placed: a next cell without a reference follows it, as when the row is kept.
      if (!value_.empty() && column_ < kMaxColumns && row_cells_.size() <= column_) row_cells_.resize(column_ + 1);
      return;
    }
    std::string shown = display();
    if (wanted) cells_->keep(static_cast<uint32_t>(row_), static_cast<uint32_t>(column_), shown);
    if (shown.empty() || column_ >= kMaxColumns) return;
    if (row_cells_.size() <= column_) row_cells_.resize(column_ + 1);
    row_cells_[column_] = std::move(shown);
  }

  std::string display() const {
    if (type_ == "s") {
      size_t index = 0;
      const auto r = std::from_chars(value_.data(), value_.data() + value_.size(), index);
      return r.ec == std::errc() && index < strings_.size() ? formats_.text(strings_[index], style_) : std::string();
    }
    if (type_ == "inlineStr") return formats_.text(value_, style_);
    if (type_ == "b") return value_ == "1" ? "TRUE" : "FALSE";
    if (type_ == "str" || type_ == "e" || type_ == "d") {
      std::string text;
      appendValidUtf8(text, value_);
      return type_ == "str" ? formats_.text(text, style_) : text;
    }
    double number = 0;
    const auto r = std::from_chars(value_.data(), value_.data() + value_.size(), number);
    if (r.ec != std::errc() || value_.empty()) {
      std::string text;
      appendValidUtf8(text, value_);
      return text;
    }
    return formats_.number(number, style_, date1904_);
  }

  void finishRow() {
    if (out_ != nullptr) out_->addRow(std::move(row_cells_));
    row_cells_.clear();
  }

  const std::vector<std::string>& strings_;
  const CellFormats& formats_;
  bool date1904_;
  SheetText* out_;
  SheetCells* cells_;
  StringCollector inline_{"is"};
  std::vector<std::string> row_cells_;
  long row_ = -1;  // 0-based, tracked only while cells are wanted
  size_t column_ = 0;
  std::string type_, value_;
  size_t style_ = 0;
  bool in_v_ = false;
};

}  // namespace

Result<ExtractedText> extractXlsx(const OfficePackage& package, const std::string& name) {
  std::string workbook_part = package.mainPart();
  if (workbook_part.empty()) workbook_part = "xl/workbook.xml";
  auto workbook = readWorkbook(package, workbook_part, name);
  if (!workbook.ok()) return workbook.error();
  auto strings = readSharedStrings(package, package.related(workbook_part, "sharedStrings"), name);
  if (!strings.ok()) return strings.error();
  auto formats = readStyles(package, package.related(workbook_part, "styles"), name);
  if (!formats.ok()) return formats.error();
  const auto parts = package.relationships(workbook_part, "worksheet");
  const auto chart_sheets = package.relationships(workbook_part, "chartsheet");
  const std::vector<Sheet>& sheets = workbook->sheets;

  // The charts first: the cells their references name without a cache are kept as the sheets are read.
  // A chart with nothing to fill in is its text at once.
  std::vector<std::vector<SheetChart>> charts(sheets.size());
  ChartCells wanted;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const auto worksheet = parts.find(sheets[i].rel_id);
    const auto chart_sheet = chart_sheets.find(sheets[i].rel_id);
    std::vector<Result<Chart>> read;
    if (worksheet != parts.end()) read = sheetCharts(package, worksheet->second);
    else if (chart_sheet != chart_sheets.end()) read = sheetCharts(package, chart_sheet->second);
    for (Result<Chart>& chart : read) {
      if (!chart.ok()) {
        charts[i].push_back({std::nullopt, chartNotRead(chart.error().message)});
      } else if (!ChartCells::uncached(*chart)) {
        charts[i].push_back({std::nullopt, chartText(*chart)});
      } else {
        wanted.want(*chart);
        charts[i].push_back({std::move(*chart), {}});
      }
    }
  }
  // The wanted cells of a sheet not read yet (a chart on an earlier sheet draws them), read alone. A
  // sheet that cannot be read gives none; its own turn says why.
  const auto readAhead = [&](const std::string& sheet_name) {
    SheetCells* target = wanted.sheet(sheet_name);
    if (target == nullptr || target->read()) return;
    target->markRead();
    for (const Sheet& sheet : sheets) {
      const auto part = parts.find(sheet.rel_id);
      if (part == parts.end() || wanted.sheet(sheet.name) != target) continue;
      auto xml = readPart(package, part->second);
      SheetReader reader(*strings, *formats, workbook->date1904, nullptr, target);
      if (xml.ok()) (void)parseXml(*xml, part->second, reader.handler());
      return;
    }
  };

  SheetText text;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const Sheet& sheet = sheets[i];
    const auto part = parts.find(sheet.rel_id);
    if (part == parts.end()) {
      // A chart sheet is a page with its chart; one without any (or a dangling reference) is left out.
      if (charts[i].empty()) continue;
      if (!text.beginSheet(sheet.name, sheet.hidden)) break;
    } else {
      if (!text.beginSheet(sheet.name, sheet.hidden)) break;
      auto xml = readPart(package, part->second);
      if (!xml.ok()) return xml.error();
      SheetCells* cells = wanted.sheet(sheet.name);
      if (cells != nullptr && cells->read()) cells = nullptr;  // read ahead already (or a second sheet of that name)
      SheetReader reader(*strings, *formats, workbook->date1904, &text, cells);
      FOLIO_TRY(parseIn(name, *xml, part->second, reader.handler()));
      if (cells != nullptr) cells->markRead();
    }
    for (SheetChart& chart : charts[i]) {
      if (chart.chart) {
        for (const std::string& other : wanted.unread(*chart.chart)) readAhead(other);
        wanted.fill(*chart.chart);
        chart.text = chartText(*chart.chart);
      }
      text.addChart(chart.text);
    }
    charts[i].clear();
  }
  ExtractedText out = text.finish();
  const CoreProperties properties = package.coreProperties();
  out.title = properties.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
