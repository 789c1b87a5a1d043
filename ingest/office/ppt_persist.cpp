#include "ingest/office/ppt_persist.h"

#include <unordered_set>

#include "ingest/office/doc_bytes.h"
#include "ingest/office/ppt_records.h"

namespace folio::ingest::office {
namespace {

// PersistDirectoryAtom: entries of a 32-bit word (persistId 20 bits, cPersist 12 bits) followed by
// cPersist offsets for the ids persistId, persistId + 1, …
Status readDirectory(std::string_view stream, const PptRecord& atom, PptPersist& persist, const std::string& name) {
  const DocBytes b{stream};
  for (uint64_t at = atom.body(); at < atom.end();) {
    if (atom.end() - at < 4) return badInput(pptWhere(name) + "a persist directory entry is cut short at offset " + std::to_string(at));
    const uint32_t word = b.u32(at);
    const uint32_t first = word & 0xFFFFF, count = word >> 20;
    at += 4;
    if ((atom.end() - at) / 4 < count) {
      return badInput(pptWhere(name) + "a persist directory entry at offset " + std::to_string(at - 4) + " lists " +
                      std::to_string(count) + " offsets past its atom's end");
    }
    for (uint32_t i = 0; i < count; ++i, at += 4) persist.offsets.emplace(first + i, b.u32(at));  // newer kept
  }
  return {};
}

}  // namespace

Result<PptPersist> readPptPersist(std::string_view stream, uint32_t current_edit, const std::string& name) {
  const DocBytes b{stream};
  PptPersist persist;
  std::unordered_set<uint32_t> visited;
  bool newest = true;
  for (uint32_t at = current_edit;;) {
    if (!visited.insert(at).second) {
      return badInput(pptWhere(name) + "its chain of edits loops (offset " + std::to_string(at) + " is reached twice)");
    }
    const auto edit = readPptRecord(stream, at, stream.size());
    // lastSlideIdRef, version, offsetLastEdit, offsetPersistDirectory, docPersistIdRef, persistIdSeed, lastView.
    if (!edit || edit->type != kPptUserEditAtom || edit->length < 28) {
      return badInput(pptWhere(name) + "no UserEditAtom at offset " + std::to_string(at) + " (truncated or corrupt file)");
    }
    const uint32_t last = b.u32(edit->body() + 8), directory_at = b.u32(edit->body() + 12);
    if (newest) {
      persist.document = b.u32(edit->body() + 16);
      persist.encrypted = edit->length >= 32 && b.u32(edit->body() + 28) != 0;
      newest = false;
    }
    const auto directory = readPptRecord(stream, directory_at, stream.size());
    if (!directory || directory->type != kPptPersistDirectoryAtom) {
      return badInput(pptWhere(name) + "no PersistDirectoryAtom at offset " + std::to_string(directory_at) +
                      " (truncated or corrupt file)");
    }
    if (auto read = readDirectory(stream, *directory, persist, name); !read.ok()) return read.error();
    if (last == 0) break;  // the first save
    at = last;
  }
  return persist;
}

}  // namespace folio::ingest::office
