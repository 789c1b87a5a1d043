// Mailboxes (.mbox: Thunderbird's folders, Google Takeout's Gmail export, mailing-list archives) ->
// ExtractedText: each message a page — so a citation's page is the message's place in the mailbox —
// opening with a "# Message N of M: <subject>" heading line, then the message as an .eml is read
// (email_extract.h: fields, text, attached messages and files). Messages are separated by "From " lines
// (mboxo and mboxrd: ">From " in a body loses one '>'). A single message after a separator line (as
// Thunderbird saves an .eml) is read as that message.
#pragma once

#include <string_view>

#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"

namespace folio::ingest::mail {

// Whether `bytes` are a mailbox: they start with a "From " separator line (a single message starts
// with header fields, "From:" among them).
bool isMailbox(std::string_view bytes);

ExtractedText extractMailbox(std::string_view bytes, const AttachmentReader& attachments = {});

}  // namespace folio::ingest::mail
