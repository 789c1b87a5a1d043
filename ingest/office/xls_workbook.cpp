#include "ingest/office/xls_workbook.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "ingest/charset.h"
#include "ingest/office/doc_bytes.h"
#include "ingest/office/xls_records.h"
#include "ingest/office/xls_strings.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kBiff8 = 0x0600, kBiff5 = 0x0500;

class GlobalsReader {
 public:
  GlobalsReader(std::string_view stream, const std::string& name) : stream_(stream), name_(name) {}

  Result<XlsWorkbook> read() {
    XlsRecords records(stream_, 0, stream_.size(), name_ + ": Excel workbook");
    XlsRecord r;
    auto more = records.next(r);
    if (!more.ok()) return more.error();
    FOLIO_TRY(checkBof(*more ? &r : nullptr));
    while (true) {
      more = records.next(r);
      if (!more.ok()) return more.error();
      if (!*more || r.type == xls::kEof) break;
      FOLIO_TRY(record(r));
    }
    // A FORMAT record's code decides, also for a built-in id it redefines (files do: id 52, a date
    // in Excel's table, as "hh:mm AM/PM"; Excel writes ids 5-8 in its locale's currency); an id
    // without one is Excel's built-in format.
    wb_.formats = CellFormats(codes_, xf_formats_);
    return std::move(wb_);
  }

 private:
  Status checkBof(const XlsRecord* r) {
    if (r == nullptr || r->type != xls::kBof) {
      FOLIO_TRY(refuseExcel4OrOlder(stream_, name_));
      return badInput(name_ + ": Excel workbook: its Workbook stream does not open with a BOF record");
    }
    const DocBytes b{r->body()};
    const uint16_t version = b.u16(0), kind = b.u16(2);
    if (version == kBiff5) {
      wb_.biff8 = false;
    } else if (version != kBiff8) {
      return badInput(name_ + ": Excel workbook of an unknown BIFF version (0x" + hex(version) + "), not read");
    }
    if (kind != 0x0005) return badInput(name_ + ": Excel workbook: its first substream is not the workbook globals");
    return {};
  }

  Status record(const XlsRecord& r) {
    const DocBytes b{r.body()};
    switch (r.type) {
      case xls::kFilePass:
        return badInput(name_ + ": a password-protected Excel workbook: remove the password (or save it unprotected) to read it");
      case xls::kCodePage:
        wb_.charset = excelCharset(b.u16(0));
        return {};
      case xls::kDateMode:
        wb_.date1904 = b.u16(0) == 1;
        return {};
      case xls::kXf:
        xf_formats_.push_back(b.u16(2));
        return {};
      case xls::kFormat: return format(r);
      case xls::kBoundSheet: return sheet(r);
      case xls::kSst: return sharedStrings(r);
      default: return {};
    }
  }

  Status format(const XlsRecord& r) {
    XlsCursor c(r.parts);
    uint16_t id = 0;
    std::string code;
    const bool ok = c.u16(id) && (wb_.biff8 ? c.unicodeString(2, code) : c.byteString(1, wb_.charset, code));
    if (!ok) {
      // Some writers count a character more than they write: the code is what the record holds.
      const DocBytes b{r.body()};
      const uint64_t header = wb_.biff8 ? 5 : 3;
      if (!b.has(0, header)) return cutShort("FORMAT", r);
      code = wb_.biff8 && (b.u8(4) & 0x01) ? utf16leToUtf8(b.sub(header, b.data.size() - header))
                                            : toUtf8(b.sub(header, b.data.size() - header), wb_.biff8 ? "ISO-8859-1" : wb_.charset);
    }
    codes_[id] = std::move(code);
    return {};
  }

  Status sheet(const XlsRecord& r) {
    XlsCursor c(r.parts);
    XlsSheetEntry s;
    uint8_t state = 0, type = 0;
    const bool ok = c.u32(s.offset) && c.u8(state) && c.u8(type) &&
                    (wb_.biff8 ? c.unicodeString(1, s.name) : c.byteString(1, wb_.charset, s.name));
    if (!ok) return cutShort("BOUNDSHEET", r);
    if (s.offset >= stream_.size()) {
      return badInput(name_ + ": Excel workbook: sheet \"" + s.name + "\" starts past the end of the stream (offset " +
                      std::to_string(s.offset) + ")");
    }
    s.hidden = (state & 0x03) != 0;  // hidden or "very hidden" (only a macro shows it)
    s.worksheet = type == 0;
    wb_.sheets.push_back(std::move(s));
    return {};
  }

  Status sharedStrings(const XlsRecord& r) {
    if (sst_read_) return {};
    sst_read_ = true;
    XlsCursor c(r.parts);
    uint32_t total = 0, unique = 0;
    if (!c.u32(total) || !c.u32(unique)) return cutShort("SST", r);
    uint64_t bytes = 0;
    for (std::string_view p : r.parts) bytes += p.size();
    wb_.strings.reserve(std::min<uint64_t>(unique, bytes / 3));  // each string takes 3 bytes at least
    for (uint32_t i = 0; i < unique && !c.atEnd(); ++i) {
      std::string s;
      if (!c.unicodeString(2, s)) {
        return badInput(name_ + ": Excel workbook: shared string " + std::to_string(i) + " of " + std::to_string(unique) +
                        " is cut short (SST at offset " + std::to_string(r.offset) + ")");
      }
      wb_.strings.push_back(std::move(s));
    }
    return {};
  }

  Status cutShort(const char* what, const XlsRecord& r) const {
    return badInput(name_ + ": Excel workbook: a " + what + " record cut short at offset " + std::to_string(r.offset));
  }

  static std::string hex(uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", v);
    return buf;
  }

  std::string_view stream_;
  const std::string& name_;
  XlsWorkbook wb_;
  std::map<int, std::string> codes_;
  std::vector<int> xf_formats_;
  bool sst_read_ = false;
};

}  // namespace

Result<XlsWorkbook> readXlsWorkbook(std::string_view stream, const std::string& name) {
  return GlobalsReader(stream, name).read();
}

Status refuseExcel4OrOlder(std::string_view bytes, const std::string& name) {
  // BOF records of BIFF2 (0x0009), BIFF3 (0x0209) and BIFF4 (0x0409), 4 to 16 bytes long.
  const DocBytes b{bytes};
  const uint16_t type = b.u16(0), length = b.u16(2);
  if (b.has(0, 4) && (type == 0x0009 || type == 0x0209 || type == 0x0409) && length >= 4 && length <= 16) {
    return badInput(name + ": an Excel 2.x-4.0 workbook, not read: open it in Excel and save it as .xlsx");
  }
  return {};
}

}  // namespace folio::ingest::office
