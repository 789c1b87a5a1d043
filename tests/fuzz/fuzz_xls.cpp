// Fuzzes the Excel 97-2003 (.xls) reader (records and CONTINUE, shared strings, formats, sheets and their
// cells, BIFF8 and BIFF5): the input is the Workbook stream, put in a compound file, so mutations reach
// the workbook's records rather than the container. Any bytes give an error naming the file, or valid
// UTF-8 whose page starts increase inside the text and whose chunks keep their provenance. Seeds:
// tools/xls/make_xls.py --fuzz-seeds.
// fuzz-link: folio_ingest
// fuzz-sources: support/compound_file_writer.cpp
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_extract_support.h"
#include "ingest/office/xls_extract.h"
#include "ingest/ole/compound_file.h"
#include "support/compound_file_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  if (size > 262144) return 0;
  const std::string workbook(reinterpret_cast<const char*>(data), size);
  using folio::test::CfbNode;
  const std::string bytes = folio::test::compoundFileBytes({CfbNode::stream("Workbook", workbook)});
  auto file = ole::CompoundFile::open(bytes, "fuzz.xls");
  if (!file.ok()) std::abort();  // the writer's files always open
  auto r = office::extractXls(*file, "fuzz.xls");
  if (!r.ok()) {
    if (r.error().message.rfind("fuzz.xls: ", 0) != 0) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, SourceType{SourceKind::Spreadsheet, ""});
  return 0;
}
