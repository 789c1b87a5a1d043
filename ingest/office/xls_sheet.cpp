#include "ingest/office/xls_sheet.h"

#include <algorithm>
#include <bit>
#include <map>
#include <vector>

#include "ingest/office/doc_bytes.h"
#include "ingest/office/xls_records.h"
#include "ingest/office/xls_strings.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kMaxColumns = 256;  // BIFF8's last column, IV
constexpr uint16_t kWorksheet = 0x0010;

double doubleAt(const DocBytes& b, uint64_t at) {
  return std::bit_cast<double>(uint64_t{b.u32(at)} | uint64_t{b.u32(at + 4)} << 32);
}

// An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the high 30 bits of a double, maybe × 1/100.
double rkValue(uint32_t rk) {
  const double v = (rk & 0x02) ? static_cast<double>(static_cast<int32_t>(rk) >> 2)
                               : std::bit_cast<double>(uint64_t{rk & 0xFFFFFFFCu} << 32);
  return (rk & 0x01) ? v / 100 : v;
}

// An error value as Excel shows it ([MS-XLS] 2.5.10 BErr).
std::string errorText(uint8_t code) {
  switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    case 0x2B: return "#GETTING_DATA";
    default: return "#ERROR!";
  }
}

std::string boolOrError(uint8_t value, bool error) { return error ? errorText(value) : value ? "TRUE" : "FALSE"; }

// Rows being read, written out in row order. Excel writes cells row by row, but not always in order
// (a row a few back, a block of rows revisited): the last kWindowRows rows (or kWindowBytes of text)
// wait here to be put in order; a cell for a row already written goes on a line of its own.
class RowBuffer {
 public:
  static constexpr size_t kWindowRows = 256;
  static constexpr size_t kWindowBytes = size_t{8} << 20;

  explicit RowBuffer(SheetText& out) : out_(out) {}
  void put(uint16_t row, uint16_t column, std::string text) {
    if (column >= kMaxColumns || text.empty()) return;
    if (written_ >= 0 && row <= written_) {
      std::vector<std::string> late(column + 1u);
      late[column] = std::move(text);
      out_.addRow(std::move(late));
      return;
    }
    if (row != last_row_ || last_cells_ == nullptr) {  // most cells: the row of the cell before
      last_cells_ = &pending_[row];
      last_row_ = row;
    }
    std::vector<std::string>& cells = *last_cells_;
    if (cells.size() <= column) cells.resize(column + 1u);
    bytes_ += text.size();
    cells[column] = std::move(text);
    while (pending_.size() > kWindowRows || (bytes_ > kWindowBytes && pending_.size() > 1)) writeFirst();
  }
  void finish() {
    while (!pending_.empty()) writeFirst();
  }

 private:
  void writeFirst() {
    auto first = pending_.begin();
    if (first->first == last_row_) last_cells_ = nullptr;
    for (const std::string& cell : first->second) bytes_ -= std::min(bytes_, cell.size());
    written_ = first->first;
    out_.addRow(std::move(first->second));
    pending_.erase(first);
  }

  SheetText& out_;
  std::map<uint16_t, std::vector<std::string>> pending_;
  size_t bytes_ = 0;
  int written_ = -1;  // the last row written
  uint16_t last_row_ = 0;  // the row last put, and its cells in pending_ (map nodes stay put)
  std::vector<std::string>* last_cells_ = nullptr;
};

class SheetReader {
 public:
  SheetReader(const XlsWorkbook& wb, SheetText& out, const std::string& name) : wb_(wb), rows_(out), name_(name) {}

  Status cell(const XlsRecord& r) {
    const DocBytes b{r.body()};
    const uint16_t row = b.u16(0), column = b.u16(2), xf = b.u16(4);
    switch (r.type) {
      case xls::kNumber:
        if (!b.has(0, 14)) return cutShort("NUMBER", r);
        rows_.put(row, column, number(doubleAt(b, 6), xf));
        return {};
      case xls::kRk:
        if (!b.has(0, 10)) return cutShort("RK", r);
        rows_.put(row, column, number(rkValue(b.u32(6)), xf));
        return {};
      case xls::kMulRk: {
        // The first column, then (XF, RK) pairs for the columns after it, then the last column.
        if (!b.has(0, 6)) return cutShort("MULRK", r);
        const uint64_t n = (b.data.size() - 6) / 6;
        for (uint64_t i = 0; i < n && column + i < kMaxColumns; ++i) {
          rows_.put(row, static_cast<uint16_t>(column + i), number(rkValue(b.u32(4 + 6 * i + 2)), b.u16(4 + 6 * i)));
        }
        return {};
      }
      case xls::kLabelSst: {
        if (!b.has(0, 10)) return cutShort("LABELSST", r);
        const uint32_t index = b.u32(6);
        if (index < wb_.strings.size()) rows_.put(row, column, wb_.formats.text(wb_.strings[index], xf));  // a bad index reads as nothing
        return {};
      }
      case xls::kLabel:
      case xls::kRString: {
        std::string text;
        if (!b.has(0, 6) || !inlineString(r, 6, text)) return cutShort(r.type == xls::kLabel ? "LABEL" : "RSTRING", r);
        rows_.put(row, column, wb_.formats.text(text, xf));
        return {};
      }
      case xls::kBoolErr:
        if (!b.has(0, 8)) return cutShort("BOOLERR", r);
        rows_.put(row, column, boolOrError(b.u8(6), b.u8(7) != 0));
        return {};
      case xls::kFormula:
      case xls::kFormula3:
      case xls::kFormula4: return formula(r, b, row, column, xf);
      case xls::kString: {
        // The text result of the formula just before (other records, like SHRFMLA, may come between).
        if (!pending_string_) return {};
        pending_string_ = false;
        std::string text;
        if (!inlineString(r, 0, text)) return cutShort("STRING", r);
        rows_.put(pending_row_, pending_column_, wb_.formats.text(text, pending_xf_));
        return {};
      }
      default: return {};
    }
  }

  void finish() { rows_.finish(); }

 private:
  Status formula(const XlsRecord& r, const DocBytes& b, uint16_t row, uint16_t column, uint16_t xf) {
    if (!b.has(0, 14)) return cutShort("FORMULA", r);
    pending_string_ = false;
    if (b.u16(12) != 0xFFFF) {  // the cached result is a number
      rows_.put(row, column, number(doubleAt(b, 6), xf));
      return {};
    }
    switch (b.u8(6)) {
      case 0:  // a string, in the STRING record that follows
        pending_string_ = true;
        pending_row_ = row;
        pending_column_ = column;
        pending_xf_ = xf;
        break;
      case 1: rows_.put(row, column, boolOrError(b.u8(8), false)); break;
      case 2: rows_.put(row, column, boolOrError(b.u8(8), true)); break;
      default: break;  // 3: an empty string
    }
    return {};
  }

  bool inlineString(const XlsRecord& r, uint64_t at, std::string& text) const {
    XlsCursor c(r.parts, at);
    return wb_.biff8 ? c.unicodeString(2, text) : c.byteString(2, wb_.charset, text);
  }

  std::string number(double value, uint16_t xf) const { return wb_.formats.number(value, xf, wb_.date1904); }

  Status cutShort(const char* what, const XlsRecord& r) const {
    return badInput(name_ + ": Excel workbook: a " + what + " record cut short at offset " + std::to_string(r.offset));
  }

  const XlsWorkbook& wb_;
  RowBuffer rows_;
  const std::string& name_;
  bool pending_string_ = false;
  uint16_t pending_row_ = 0, pending_column_ = 0, pending_xf_ = 0;
};

}  // namespace

Result<bool> readXlsSheet(std::string_view stream, const XlsSheetEntry& sheet, uint64_t end, const XlsWorkbook& workbook,
                          SheetText& out, const std::string& name) {
  XlsRecords records(stream, sheet.offset, end, name + ": Excel workbook, sheet \"" + sheet.name + "\"");
  XlsRecord r;
  auto more = records.next(r);
  if (!more.ok()) return more.error();
  if (!*more || r.type != xls::kBof) {
    return badInput(name + ": Excel workbook: sheet \"" + sheet.name + "\" does not start with a BOF record (offset " +
                    std::to_string(sheet.offset) + ")");
  }
  if (!sheet.worksheet || DocBytes{r.body()}.u16(2) != kWorksheet) return true;  // a chart, macro or dialog sheet
  if (!out.beginSheet(sheet.name, sheet.hidden)) return false;
  SheetReader reader(workbook, out, name);
  int nested = 0;  // embedded charts: BOF … EOF substreams inside the sheet's
  while (!out.full()) {  // a full text stops here; the row left in the reader marks it cut
    more = records.next(r);
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (r.type == xls::kBof) {
      ++nested;
    } else if (r.type == xls::kEof) {
      if (nested == 0) break;
      --nested;
    } else if (nested == 0) {
      FOLIO_TRY(reader.cell(r));
    }
  }
  reader.finish();
  return !out.full();
}

}  // namespace folio::ingest::office
