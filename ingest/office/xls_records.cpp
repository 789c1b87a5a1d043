#include "ingest/office/xls_records.h"

#include <algorithm>
#include <cstdio>

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {

XlsRecords::XlsRecords(std::string_view stream, uint64_t begin, uint64_t end, std::string what)
    : stream_(stream), at_(begin), end_(std::min<uint64_t>(end, stream.size())), what_(std::move(what)) {}

Result<bool> XlsRecords::next(XlsRecord& record) {
  const DocBytes b{stream_};
  record.parts.clear();
  // Zero padding after the last record (streams are whole sectors) ends the stream like its end.
  if (at_ >= end_ || (end_ - at_ < 4 && stream_.substr(at_, end_ - at_).find_first_not_of('\0') == std::string_view::npos)) {
    return false;
  }
  bool first = true;
  while (at_ < end_) {
    if (end_ - at_ < 4) {
      if (!first) break;  // looking for a CONTINUE: the next call decides what these bytes are
      return badInput(what_ + ": a record header cut short at offset " + std::to_string(at_));
    }
    const uint16_t type = b.u16(at_);
    if (!first && type != xls::kContinue) break;
    const uint16_t length = b.u16(at_ + 2);
    if (length > end_ - at_ - 4) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X", type);
      return badInput(what_ + ": a record (type 0x" + hex + ") at offset " + std::to_string(at_) +
                      " runs past the end of the stream (" + std::to_string(length) + " bytes announced)");
    }
    if (first) {
      record.type = type;
      record.offset = at_;
      first = false;
    }
    record.parts.push_back(stream_.substr(at_ + 4, length));
    at_ += 4 + uint64_t{length};
  }
  return true;
}

}  // namespace folio::ingest::office
