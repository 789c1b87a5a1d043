// The workbook globals of an Excel 97-2003 workbook ([MS-XLS] 2.1.7.20.1): the substream at the start
// of the Workbook (BIFF8) or Book (BIFF5/7) stream, up to its EOF record, that lists the sheets (name,
// visibility, kind, where their substream starts) and holds what cells refer to — the shared strings
// (SST), the number formats (FORMAT) and the cell formats (XF), the date system (DATEMODE) and the
// code page of 8-bit strings (CODEPAGE).
//
// Files Folio cannot read fail with what they are: password-protected ones (FILEPASS), Excel 2.x-4.0
// and unknown versions. Untrusted input: records are read within their bodies (a short one fails with
// its offset), a sheet's start is checked against the stream, string and format tables hold only
// what the records carry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/cell_formats.h"

namespace folio::ingest::office {

struct XlsSheetEntry {
  std::string name;  // UTF-8
  uint32_t offset = 0;  // of its BOF record in the stream
  bool hidden = false;
  bool worksheet = true;  // false: a chart sheet, macro sheet or VBA module
};

struct XlsWorkbook {
  bool biff8 = true;  // else BIFF5/7 (Excel 5.0/95): 8-bit strings, no shared strings
  std::string charset = "CP1252";  // iconv's name of the 8-bit strings' code page
  bool date1904 = false;
  std::vector<XlsSheetEntry> sheets;  // in tab order
  std::vector<std::string> strings;   // the SST, UTF-8
  CellFormats formats;                // by XF index
};

// Reads the globals at the start of `stream`. `name` is used in messages.
Result<XlsWorkbook> readXlsWorkbook(std::string_view stream, const std::string& name);

// Fails, saying what to do, when `bytes` open with the BOF record of Excel 2.x-4.0 (BIFF2-4: a bare
// record stream, with no compound file around it).
Status refuseExcel4OrOlder(std::string_view bytes, const std::string& name);

}  // namespace folio::ingest::office
