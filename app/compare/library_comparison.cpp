#include "app/compare/library_comparison.h"

#include <string>
#include <tuple>

namespace folio::app {

bool isOlderVersion(const ingest::DocumentRecord& a, const ingest::DocumentRecord& b) {
  return std::tie(a.mtime_ns, a.ingested_at, a.id) < std::tie(b.mtime_ns, b.ingested_at, b.id);
}

namespace {

Result<std::shared_ptr<const ComparedDocument>> readSide(ingest::Library& library, int64_t id, const char* side) {
  const std::string ref = std::to_string(id);
  auto doc = findComparedDocument(&library, ref);
  if (!doc) {
    // findComparedDocument opens its messages with the name it was given, here the bare id.
    std::string why = doc.error().message;
    if (why.starts_with(ref + ": ")) why.erase(0, ref.size() + 2);
    return Error{doc.error().kind, std::string(side) + ": " + why};
  }
  return std::make_shared<const ComparedDocument>(std::move(*doc));
}

// The two sides compared, old → new.
Result<LibraryComparison> comparedPair(std::shared_ptr<const ComparedDocument> old_doc,
                                       std::shared_ptr<const ComparedDocument> new_doc, const std::atomic<bool>* cancel,
                                       const CompareProgressFn& progress) {
  auto compared = compareVersions(old_doc->text, new_doc->text, cancel, progress);
  if (!compared) return compared.error();
  return LibraryComparison{std::move(old_doc), std::move(new_doc), std::move(*compared)};
}

}  // namespace

Result<LibraryComparison> compareLibraryDocuments(ingest::Library& library, int64_t old_id, int64_t new_id,
                                                  const std::atomic<bool>* cancel, const CompareProgressFn& progress) {
  const auto stopped = [cancel] { return cancel && cancel->load(); };
  auto old_doc = readSide(library, old_id, "the old version");
  if (!old_doc) return old_doc.error();
  if (stopped()) return cancelled();
  auto new_doc = readSide(library, new_id, "the new version");
  if (!new_doc) return new_doc.error();
  if (stopped()) return cancelled();
  return comparedPair(std::move(*old_doc), std::move(*new_doc), cancel, progress);
}

Result<LibraryComparison> swappedComparison(const LibraryComparison& c, const std::atomic<bool>* cancel,
                                            const CompareProgressFn& progress) {
  return comparedPair(c.new_doc, c.old_doc, cancel, progress);
}

std::vector<ListedChange> listedChanges(const VersionComparison& c) {
  std::vector<ListedChange> out;
  auto add = [&out](const VersionChange& ch, bool inside_move) {
    ListedChange l;
    l.change = &ch;
    l.inside_move = inside_move;
    l.in_old = ch.kind == ChangeKind::ClauseRemoved || ch.new_place.chunk_id == 0;
    l.chunk_id = l.in_old ? ch.old_place.chunk_id : ch.new_place.chunk_id;
    out.push_back(l);
  };
  for (const VersionChange& ch : c.changes) {
    add(ch, false);
    for (const VersionChange& inner : ch.inner) add(inner, true);
  }
  return out;
}

const ingest::StoredChunk* comparedChunk(const ComparedDocument& d, int64_t chunk_id) {
  if (chunk_id == 0) return nullptr;
  for (const ingest::StoredChunk& c : d.text.chunks)
    if (c.id == chunk_id) return &c;
  return nullptr;
}

}  // namespace folio::app
