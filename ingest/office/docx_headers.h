// The headers and footers of a Word (.docx) document as lines to read once after the body: each
// distinct line of the header and footer parts that Word shows (the default ones, first-page ones
// where a section has w:titlePg, even-page ones where the settings ask for them), in the order of the
// sections that reference them. They repeat on every page, so a line is listed once however many
// sections or parts share it; page numbers are left out (docx_body.h).
#pragma once

#include <string>
#include <vector>

#include "ingest/office/docx_body.h"
#include "ingest/office/office_package.h"

namespace folio::ingest::office {

// A part that cannot be read or parsed is left out: the body stays readable without it. Their tracked
// changes go to `changes` ("header", "footer").
std::vector<std::string> readDocxHeaders(const OfficePackage& package, const std::string& main,
                                         const std::vector<DocxSection>& sections, DocxStyles& styles,
                                         DocxNumbering& numbering, DocxChangeLog& changes);

}  // namespace folio::ingest::office
