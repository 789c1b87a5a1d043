#include "ingest/office/office_extract.h"

#include "ingest/office/docx_extract.h"
#include "ingest/office/odp_extract.h"
#include "ingest/office/ods_extract.h"
#include "ingest/office/odt_extract.h"
#include "ingest/office/office_package.h"
#include "ingest/office/pptx_extract.h"
#include "ingest/office/xlsx_extract.h"

namespace folio::ingest::office {

Result<ExtractedText> extractOfficeDocument(std::string_view bytes, const std::string& name, uint64_t max_part_bytes) {
  // libzip opens zero bytes as an empty archive, which would fail as a document without its main part.
  if (bytes.empty()) return badInput(name + ": an empty file (0 bytes)");
  auto package = OfficePackage::open(bytes, name, max_part_bytes);
  if (!package.ok()) return package.error();
  const std::string odf = package->openDocumentType();
  if (odf.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) == 0) return extractOds(*package, name);
  if (odf.rfind("application/vnd.oasis.opendocument.presentation", 0) == 0) return extractOdp(*package, name);
  if (odf.rfind("application/vnd.oasis.opendocument.text", 0) == 0) return extractOdt(*package, name);
  const std::string main = package->mainPart();
  const auto endsWith = [&main](std::string_view tail) {
    return main.size() >= tail.size() && main.compare(main.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (endsWith("/workbook.xml")) return extractXlsx(*package, name);
  if (endsWith("/presentation.xml")) return extractPptx(*package, name);
  return extractDocx(*package, name);
}

}  // namespace folio::ingest::office
