// Where each object of a PowerPoint 97-2003 presentation lies ([MS-PPT] 2.3.3-2.3.5): every save
// appends a UserEditAtom pointing at the previous one and at a PersistDirectoryAtom that maps persist
// ids (slides, notes, the document) to stream offsets. Reading the chain from the newest edit, the
// newest offset of each id wins, so an incremental ("fast") save shows its changes.
//
// Untrusted input: the chain is followed visiting each edit once (a loop fails, as does a record out
// of place); directory entries are read within their atom.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/common/result.h"

namespace folio::ingest::office {

struct PptPersist {
  std::unordered_map<uint32_t, uint32_t> offsets;  // persist id -> offset of its record
  uint32_t document = 0;                            // the DocumentContainer's persist id (newest edit)
  bool encrypted = false;                           // the newest edit names an encryption session

  std::optional<uint32_t> offsetOf(uint32_t id) const {
    const auto it = offsets.find(id);
    return it == offsets.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }
};

// Follows the edits from the UserEditAtom at `current_edit` in `stream` (the "PowerPoint Document").
Result<PptPersist> readPptPersist(std::string_view stream, uint32_t current_edit, const std::string& name);

}  // namespace folio::ingest::office
