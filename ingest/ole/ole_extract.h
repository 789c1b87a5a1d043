// Office 97-2003 and Outlook files — OLE compound files (compound_file.h) — read by what they hold,
// whatever their extension: a Word document (a "WordDocument" stream), an Outlook message (the
// "__substg1.0_" property streams). A password-protected Word 2007+ file is also a compound file (its
// encrypted package inside); it, Excel and PowerPoint files fail with what they are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"

namespace folio::ingest::ole {

// A message's attached files are read through `attachments` (mail/message_text.h).
Result<ExtractedText> extractCompoundFile(std::string_view bytes, const std::string& name, uint64_t max_stream_bytes,
                                          const mail::AttachmentReader& attachments = {});

}  // namespace folio::ingest::ole
