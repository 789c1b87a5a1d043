// Where the tracked changes of a Word file's body stand: the heading path the chunker gives the passage
// holding each "[change N]" marker ("8. Limitation of Liability › 8.1 Liability Caps"), so a change is
// listed under the clause a citation of it names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ingest/chunk.h"

namespace folio::ingest::office {

// For each change number, the heading path of each of its markers in `body`, in text order.
std::map<int, std::vector<std::string>> changePlacesInBody(const ExtractedText& body);

}  // namespace folio::ingest::office
