// E-mail (.eml, RFC 5322 with MIME) -> ExtractedText: the message's header fields a reader looks at
// (Subject, From, To, Cc, Date) and its text — the plain-text alternative where there is one, else the
// HTML one as text — then each attached message (a forwarded one) the same way, the text of attached
// files of the kinds Folio reads, and the names of the other attachments. Title: the subject; author:
// the sender.
//
// Untrusted input: any bytes give text (a message without MIME structure is its body as it is);
// nesting and the number of parts are bounded.
#pragma once

#include <string>
#include <string_view>

#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"

namespace folio::ingest::mail {

// Attached files are read through `attachments` (message_text.h) where it reads their kind.
ExtractedText extractEmail(std::string_view bytes, const AttachmentReader& attachments = {});

// The value of header field `name` (any case) in a block of Internet header lines (a message's head,
// Outlook's transport headers): unfolded, encoded words decoded; "" when there is none.
std::string headerField(std::string_view headers, std::string_view name);

// CRLF and lone CR line ends as LF (mail travels with CRLF; extracted text has LF lines).
std::string lfLineEnds(std::string_view bytes);

}  // namespace folio::ingest::mail
