#include "ingest/office/office_extract.h"

#include "ingest/office/docx_extract.h"
#include "ingest/office/odt_extract.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

Result<ExtractedText> extractWordProcessing(std::string_view bytes, const std::string& name, uint64_t max_part_bytes) {
  auto package = OfficePackage::open(bytes, name, max_part_bytes);
  if (!package.ok()) return package.error();
  return package->isOpenDocumentText() ? extractOdt(*package, name) : extractDocx(*package, name);
}

}  // namespace folio::ingest::office
