// The "Current User" stream of a PowerPoint 97-2003 file ([MS-PPT] 2.3.2 CurrentUserAtom): where in
// the "PowerPoint Document" stream the newest UserEditAtom lies, and whether the file is encrypted
// (its header token says so).
//
// Untrusted input: read within the stream; a short or unknown atom fails naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest::office {

struct PptCurrentUser {
  uint32_t offset_to_current_edit = 0;
  bool encrypted = false;
};

Result<PptCurrentUser> readPptCurrentUser(std::string_view stream, const std::string& name);

}  // namespace folio::ingest::office
