// The record stream of an Excel 97-2003 workbook ([MS-XLS] 2.1.4): the "Workbook" (BIFF8) or "Book"
// (BIFF5/7) stream is a sequence of records, each a 16-bit type, a 16-bit length and that many bytes.
// A record too long for one (past 8,224 bytes) goes on in CONTINUE records that follow it; the reader
// hands a record over with its continuations as parts, since strings split across them restart their
// character width at each part (xls_strings.h).
//
// Untrusted input: a header or body cut short by the end of the stream (or of the range being read)
// fails with its offset; every read is within the stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::office {

namespace xls {
// Record types read ([MS-XLS] 2.3).
enum RecordType : uint16_t {
  kFormula = 0x0006, kEof = 0x000A, kDateMode = 0x0022, kFilePass = 0x002F, kContinue = 0x003C, kCodePage = 0x0042,
  kFormula3 = 0x0206, kFormula4 = 0x0406,  // Excel 3 and 4's FORMULA ids, which some writers still use
  kBoundSheet = 0x0085, kMulRk = 0x00BD, kRString = 0x00D6, kSst = 0x00FC, kLabelSst = 0x00FD, kNumber = 0x0203,
  kLabel = 0x0204, kBoolErr = 0x0205, kString = 0x0207, kRk = 0x027E, kFormat = 0x041E, kXf = 0x00E0, kBof = 0x0809,
};
}  // namespace xls

struct XlsRecord {
  uint16_t type = 0;
  uint64_t offset = 0;                  // of its header in the stream
  std::vector<std::string_view> parts;  // its body, then each CONTINUE's body
  std::string_view body() const { return parts.empty() ? std::string_view() : parts.front(); }
};

class XlsRecords {
 public:
  // The records in [begin, end) of `stream`; `what` names the stream in messages ("book.xls: …").
  XlsRecords(std::string_view stream, uint64_t begin, uint64_t end, std::string what);
  // The next record into `record` (its parts reused); false at the end of the range.
  Result<bool> next(XlsRecord& record);
  uint64_t offset() const { return at_; }

 private:
  std::string_view stream_;
  uint64_t at_, end_;
  std::string what_;
};

}  // namespace folio::ingest::office
