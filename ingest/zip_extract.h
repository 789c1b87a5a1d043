// An archive's files (zip, tar, tar.gz/.bz2/.xz, 7z) as one text, each read as Folio reads its kind: an
// archive attached to a message, or inside another archive, is found and cited file by file (one met in
// a walk is a folder of documents instead: archive_member.h; this reads it where it is given as one, e.g.
// `folio compare`). The text
// lists the archive's files, then holds each file read under "---------- File: <path in the archive>
// ----------" (mail/message_text.h writes it; chunk_message heads its chunks "File: <path>, page 3"),
// then names those not read and why. Untrusted input: every file is read bounded as it inflates, and the
// archive as a whole may expand to at most `max_total_bytes`, so a zip or tar bomb is refused, not unpacked.
// A tar attached (in memory) is read with libarchive's reader over the bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/chunk.h"
#include "ingest/mail/message_text.h"
#include "ingest/walker.h"

namespace folio::ingest {

struct ZipLimits {
  uint64_t max_file_bytes = 512ull << 20;   // one file inside
  uint64_t max_total_bytes = kMaxArchiveExpansion;  // all files read, together, with those of archives inside
  // Bytes read so far by this archive and the archives holding it or held in it; none: its own count.
  std::atomic<uint64_t>* expanded = nullptr;
  size_t max_files = kMaxArchiveFiles;      // files read; the rest are counted, not read
  size_t max_listed = 2000;                 // files named in the opening list
  // A file whose name says no kind is read as text when it looks like text, up to this size (WalkOptions'
  // cap for such files).
  uint64_t max_unknown_text_bytes = 2ull << 20;
  const std::atomic<bool>* cancel = nullptr;
};

// `reader` reads a file of a kind Folio reads (nested archives too, bounded by its depth); `name` is
// used in messages.
Result<ExtractedText> extractZip(std::string_view bytes, const std::string& name, const mail::AttachmentReader& reader,
                                 const ZipLimits& limits = {});

}  // namespace folio::ingest
