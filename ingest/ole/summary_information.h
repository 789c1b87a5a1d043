// The title and author an Office 97-2003 file keeps in its "\005SummaryInformation" stream ([MS-OLEPS]
// property set: PIDSI_TITLE 2, PIDSI_AUTHOR 4; 8-bit strings in the set's code page, PIDSI_CODEPAGE 1).
//
// Untrusted input: read within the stream; anything out of place gives empty strings.
#pragma once

#include <string>
#include <cstdint>
#include <string_view>

#include "ingest/ole/compound_file.h"

namespace folio::ingest::ole {

struct SummaryInformation {
  std::string title;   // UTF-8
  std::string author;  // UTF-8
};

SummaryInformation readSummaryInformation(std::string_view stream);
// The "\005SummaryInformation" stream of `file` read (up to `max_bytes`); empty when it has none.
SummaryInformation readSummaryInformation(const CompoundFile& file, uint64_t max_bytes);

}  // namespace folio::ingest::ole
