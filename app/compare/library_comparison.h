// Two library documents compared as the desktop app shows them (ui/comparison_window.h): which of them is
// the older version, both read and compared off the GUI thread with a way to stop between the steps, the
// same two compared the other way round without reading them again, and, for each difference the redline
// lists, the stored chunk that shows it in the reader.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "app/compare/compared_document.h"
#include "app/compare/version_compare.h"
#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

// True when `a` is the older version of the two. The rule: the file's modification time as ingested
// (when that version was saved), since a folder of versions is usually ingested in one go and their
// ingest times then tie to the second; equal times fall back on the ingest time, then on the lower id
// (the one stored first).
bool isOlderVersion(const ingest::DocumentRecord& a, const ingest::DocumentRecord& b);

struct LibraryComparison {
  std::shared_ptr<const ComparedDocument> old_doc, new_doc;
  VersionComparison comparison;
};

// Reads both documents from the library (as `folio compare ID ID` does) and compares them. An error
// says which side and names the document: "the old version, document 7 (v1/MSA.docx): … has no text to
// compare: skipped: binary". `cancel` (may be null) is looked at between reading the two and inside the
// comparison (version_compare.h): a set flag ends the run with ErrorKind::Cancelled. `progress`: the
// comparison's (version_compare.h), once both are read.
Result<LibraryComparison> compareLibraryDocuments(ingest::Library& library, int64_t old_id, int64_t new_id,
                                                  const std::atomic<bool>* cancel = nullptr,
                                                  const CompareProgressFn& progress = {});

// The same two documents, new as old and old as new, compared again (nothing is read); as above.
Result<LibraryComparison> swappedComparison(const LibraryComparison& c, const std::atomic<bool>* cancel = nullptr,
                                            const CompareProgressFn& progress = {});

// One difference as comparisonReport lists it (a moved passage's own edits right after it): the change,
// and where it is shown — the new version's chunk, or the old version's for a removed clause (which the
// new version lacks). chunk_id 0: no stored chunk to show (a file read outside the library).
struct ListedChange {
  const VersionChange* change = nullptr;
  bool inside_move = false;  // one of a moved passage's own edits
  bool in_old = false;       // chunk_id is the old version's
  int64_t chunk_id = 0;
};
std::vector<ListedChange> listedChanges(const VersionComparison& c);

// The stored chunk `chunk_id` of a compared document; null when it has none of that id.
const ingest::StoredChunk* comparedChunk(const ComparedDocument& d, int64_t chunk_id);

}  // namespace folio::app
