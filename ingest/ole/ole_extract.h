// Office 97-2003 and Outlook files — OLE compound files (compound_file.h) — read by what they hold,
// whatever their extension: a Word document (a "WordDocument" stream), an Excel workbook ("Workbook",
// or "Book" for Excel 5.0/95), a PowerPoint presentation ("PowerPoint Document"), an Outlook message
// (the "__substg1.0_" property streams). A password-protected Office 2007+ file is also a compound
// file (its encrypted package inside); it fails with what to do.
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
