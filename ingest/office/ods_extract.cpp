#include "ingest/office/ods_extract.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "ingest/office/odf_reading.h"
#include "ingest/office/sheet_text.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

constexpr size_t kMaxColumns = 16384;
constexpr int kMaxRepeatedFilled = 1000;  // copies of a repeated cell or row that holds text

class SpreadsheetReader {
 public:
  SheetText out;

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view element, const XmlAttributes& a) {
      inline_.start(element, a);
      hidden_styles_.start(element, a);
      if (element == "table" && ++table_depth_ == 1) {
        std::string name;
        appendValidUtf8(name, a.get("name"));
        reading_ = out.beginSheet(name, hidden_styles_.hidden(a.get("style-name")));
      } else if (table_depth_ == 1 && element == "table-row") {
        row_.clear();
        row_repeat_ = std::clamp(attributeInt(a.get("number-rows-repeated"), 1), 1, 1 << 20);
        column_ = 0;
      } else if (table_depth_ == 1 && (element == "table-cell" || element == "covered-table-cell")) {
        cell_repeat_ = std::clamp(attributeInt(a.get("number-columns-repeated"), 1), 1, static_cast<int>(kMaxColumns));
        const std::string_view type = a.get("value-type");
        cell_ = type == "date" ? odfDateTime(a.get("date-value")) : type == "time" ? odfDateTime(a.get("time-value")) : "";
        typed_ = !cell_.empty();
      }
    };
    h.end = [this](std::string_view element) {
      if (inline_.end(element)) {
        const std::string p = inline_.take();
        if (table_depth_ == 1 && !typed_ && !p.empty()) cell_ += (cell_.empty() ? "" : " ") + p;
      }
      if (table_depth_ == 1 && (element == "table-cell" || element == "covered-table-cell")) finishCell();
      if (table_depth_ == 1 && element == "table-row") finishRow();
      if (element == "table" && table_depth_ > 0) --table_depth_;
    };
    h.text = [this](std::string_view s) { inline_.characters(s); };
    return h;
  }

 private:
  void finishCell() {
    const size_t copies = cell_.empty() ? 0 : static_cast<size_t>(std::min(cell_repeat_, kMaxRepeatedFilled));
    if (copies > 0 && column_ < kMaxColumns) {
      const size_t last = std::min(column_ + copies, kMaxColumns);
      row_.resize(std::max(row_.size(), last));
      for (size_t c = column_; c < last; ++c) row_[c] = cell_;
    }
    column_ += static_cast<size_t>(cell_repeat_);
    cell_.clear();
  }

  void finishRow() {
    if (!reading_ || row_.empty()) return;
    for (int i = 0; i < std::min(row_repeat_, kMaxRepeatedFilled); ++i) out.addRow(row_);
  }

  OdfInlineText inline_;
  OdfHiddenStyles hidden_styles_;
  int table_depth_ = 0;  // a table inside a cell (a chart's data) is not a sheet
  bool reading_ = false;
  std::vector<std::string> row_;
  int row_repeat_ = 1, cell_repeat_ = 1;
  size_t column_ = 0;
  std::string cell_;
  bool typed_ = false;  // a date or time: its value, not its displayed text
};

}  // namespace

std::string odfDateTime(std::string_view v) {
  if (v.substr(0, 2) == "PT") {  // a duration: PT09H15M30S (seconds may have a fraction)
    int parts[3] = {0, 0, 0};
    size_t i = 2;
    for (int k = 0; k < 3 && i < v.size(); ++k) {
      int n = 0;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9' && n < 1000000) n = n * 10 + (v[i++] - '0');
      while (i < v.size() && (v[i] == '.' || (v[i] >= '0' && v[i] <= '9'))) ++i;  // a fraction of a second
      if (i >= v.size()) break;
      const char unit = v[i++];
      parts[unit == 'H' ? 0 : unit == 'M' ? 1 : 2] = n;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", parts[0], parts[1]);
    std::string out = buf;
    if (parts[2] != 0) {
      std::snprintf(buf, sizeof buf, ":%02d", parts[2]);
      out += buf;
    }
    return out;
  }
  std::string out;
  appendValidUtf8(out, v.substr(0, 64));
  const size_t t = out.find('T');
  if (t == std::string::npos) return out;
  std::string time = out.substr(t + 1);
  out.resize(t);
  if (time.size() > 8) time.resize(8);  // fractions of a second
  if (time == "00:00:00") return out;
  if (time.size() == 8 && time.substr(5) == ":00") time.resize(5);
  return out + " " + time;
}

Result<ExtractedText> extractOds(const OfficePackage& package, const std::string& name) {
  auto content = package.read("content.xml");
  if (!content.ok()) return content.error();
  if (!*content) return badInput(name + ": not an OpenDocument spreadsheet (no content.xml)");
  SpreadsheetReader reader;
  FOLIO_TRY(parseXml(**content, name + ": content.xml", reader.handler()));
  ExtractedText out = reader.out.finish();
  const CoreProperties properties = package.openDocumentProperties();
  out.title = properties.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
