// The version of what Folio reads from each kind of file (the text its extractor gives), stored with a
// document (documents.reader_version, schema v15) like its chunker's version: an ordinary ingest reads
// again, in place, the documents whose kind's reader changed since, and no others (a Word reader that now
// reads headers re-reads Word files, not every PDF), and tries again those that failed (a tiled TIFF once
// refused). Bump a kind's version whenever the text it gives changes; documents stored before schema
// v15 count as version 1.
#pragma once

#include "ingest/source_kind.h"

namespace folio::ingest {

int readerVersion(SourceKind kind);

}  // namespace folio::ingest
