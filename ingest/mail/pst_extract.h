// Outlook mail stores (.pst, and Exchange's offline .ost) -> ExtractedText: like a mailbox
// (mbox_extract.h), each message a page — a citation's page is the message's place in the store —
// opening "# Message N of M: <folder path> › <subject>", then the message as an .msg is read
// (mapi_message.h). Messages come in folder order: the folder tree depth-first from the top of the
// store, each folder's messages by delivery time. A message or folder that cannot be read is left
// out and named at the end ("2 messages could not be read: …"), and so is a damaged name-to-id map
// (appointments, contacts and tasks are then read without their own fields: outlook_item_fields.h); a
// store whose header or B-tree roots cannot be read fails with the reason.
//
// Unicode and ANSI stores, and Outlook 2013+ offline stores with 4 KiB pages and deflated blocks
// (pst_header.h), read alike. The store is read through a PstSource: a multi-GiB file a block at a
// time, never whole (a deflated block is inflated on its own, into at most 64 KiB).
#pragma once

#include <atomic>
#include <string>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"
#include "ingest/mail/pst_source.h"

namespace folio::ingest::mail {

struct PstOptions {
  uint64_t max_text_bytes = 1ull << 30;  // messages past this much text are left out (named at the end)
  const std::atomic<bool>* cancel = nullptr;  // checked between messages
};

Result<ExtractedText> extractPst(const PstSource& source, const std::string& name, const AttachmentReader& attachments = {},
                                 const PstOptions& options = {});

}  // namespace folio::ingest::mail
