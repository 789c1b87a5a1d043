// Outlook's compressed RTF ([MS-OXRTFCP], the "LZFu" format of PR_RTF_COMPRESSED): the body of a
// message saved with only its RTF form. Untrusted input: output is bounded by `max_bytes` and by the
// size the header claims; a malformed stream gives what was decoded before the fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace folio::ingest::mail {

// The RTF text, or nullopt when `bytes` are not compressed RTF (no "LZFu"/"MELA" signature).
std::optional<std::string> decompressRtf(std::string_view bytes, uint64_t max_bytes);

}  // namespace folio::ingest::mail
