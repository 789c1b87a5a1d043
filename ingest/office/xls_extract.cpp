#include "ingest/office/xls_extract.h"

#include <set>

#include "ingest/office/sheet_text.h"
#include "ingest/office/xls_sheet.h"
#include "ingest/office/xls_workbook.h"
#include "ingest/ole/summary_information.h"

namespace folio::ingest::office {

Result<ExtractedText> extractXls(const ole::CompoundFile& file, const std::string& name, uint64_t max_stream_bytes) {
  auto entry = file.find("Workbook");
  if (!entry || entry->storage) entry = file.find("Book");  // Excel 5.0/95
  if (!entry || entry->storage) return badInput(name + ": Excel workbook without its Workbook stream");
  auto stream = file.read(*entry, max_stream_bytes);
  if (!stream.ok()) return stream.error();
  auto workbook = readXlsWorkbook(*stream, name);
  if (!workbook.ok()) return workbook.error();

  // Each sheet's substream ends where the next one (in stream order) starts; one claimed twice is read once.
  std::set<uint64_t> starts;
  for (const XlsSheetEntry& s : workbook->sheets) starts.insert(s.offset);
  std::set<uint64_t> read;
  SheetText text;
  for (const XlsSheetEntry& sheet : workbook->sheets) {
    if (!read.insert(sheet.offset).second) continue;
    const auto next = starts.upper_bound(sheet.offset);
    const uint64_t end = next == starts.end() ? stream->size() : *next;
    auto more = readXlsSheet(*stream, sheet, end, *workbook, text, name);
    if (!more.ok()) return more.error();
    if (!*more) break;
  }
  ExtractedText out = text.finish();
  const ole::SummaryInformation summary = ole::readSummaryInformation(file, max_stream_bytes);
  out.title = summary.title;
  out.author = summary.author;
  return out;
}

}  // namespace folio::ingest::office
