// Outlook messages (.msg, [MS-OXMSG]) -> ExtractedText in the shape of an .eml (message_text.h):
// Subject, From, To, Cc, Date, the body — the plain-text body where Outlook kept one, else the HTML
// body as text, else the compressed RTF body — then attached messages (a forward saved as an
// attachment) read the same way, the text of attached files of the kinds Folio reads (through
// `attachments`, message_text.h), and the names of the other attachments.
// A .msg is an OLE compound file whose properties are streams named "__substg1.0_<id><type>" and a
// table of fixed-size values, with a storage per recipient and per attachment.
//
// Untrusted input: every stream is read up to `max_stream_bytes`; nesting is bounded; a stream that
// cannot be read fails the file with its name and the reason.
#pragma once

#include <cstdint>
#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"
#include "ingest/ole/compound_file.h"

namespace folio::ingest::mail {

Result<ExtractedText> extractMsg(const ole::CompoundFile& file, const std::string& name, uint64_t max_stream_bytes,
                                 const AttachmentReader& attachments = {});

}  // namespace folio::ingest::mail
