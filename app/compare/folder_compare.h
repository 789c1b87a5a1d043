// What changed between two folders of versions — a data room's March and April copies, the documents
// sent and those returned: each document paired with its other version by its path below the folder,
// else (renamed, or saved in another format: "MSA v1.docx" and "MSA v2.pdf") by the words they share;
// then added, removed, unchanged (same bytes, or the same text in another file) or changed, with what
// changed in it counted (`folio compare` on the pair gives the differences). Both folders must have
// been ingested: their documents are read from the library as stored.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

enum class DocumentChange { Unchanged, Changed, Added, Removed, NotCompared };
std::string_view documentChangeName(DocumentChange change);

struct DocumentPairing {
  DocumentChange change = DocumentChange::Unchanged;
  std::optional<ingest::DocumentRecord> old_doc, new_doc;
  std::string old_name, new_name;  // paths below their folders
  bool paired_by_text = false;     // not by path: renamed or saved in another format
  bool same_bytes = false;
  std::string summary;             // a changed pair's comparisonSummary; why it was not compared
  size_t differences = 0;
};

struct FolderComparison {
  std::string old_folder, new_folder;
  size_t old_documents = 0, new_documents = 0;
  std::vector<DocumentPairing> documents;  // changed first, then added, removed, not compared, unchanged; by name
  bool paired_by_path_only = false;        // too many unpaired documents to pair by their text
  size_t count(DocumentChange change) const;
};

// `progress(done, total)` after each pair compared; `cancel` stops between documents and inside a pair's
// comparison (Cancelled).
using FolderProgressFn = std::function<void(size_t done, size_t total)>;
// Whether `ref` is compared as a folder: a folder, or a zip archive whose files the library holds as
// documents (an ingested data room's March and April exports); a zip not ingested is compared as a file.
bool comparesAsFolder(ingest::Library* library, const std::string& ref);

Result<FolderComparison> compareFolders(ingest::Library& library, const std::string& old_folder,
                                        const std::string& new_folder, const FolderProgressFn& progress = {},
                                        const std::atomic<bool>* cancel = nullptr);

std::string folderComparisonText(const FolderComparison& c);
nlohmann::json folderComparisonJson(const FolderComparison& c);

}  // namespace folio::app
