#include "app/compare/compared_document.h"

#include <filesystem>
#include <system_error>

#include "engine/common/file_io.h"
#include "ingest/chunker.h"
#include "ingest/source_kind.h"
#include "ingest/walker.h"

namespace folio::app {
namespace {

bool allDigits(const std::string& s) {
  return !s.empty() && s.size() < 19 && s.find_first_not_of("0123456789") == std::string::npos;
}

Result<ComparedDocument> fromLibrary(ingest::Library& library, const ingest::DocumentRecord& d, const std::string& ref) {
  if (d.status != ingest::DocumentStatus::Ok || d.chunk_count == 0) {
    std::string why = d.error.empty() ? "it has no text" : d.error;
    return badInput(ref + ": document " + std::to_string(d.id) + " (" + d.rel_path + ") has no text to compare: " + why);
  }
  auto chunks = library.chunks(d.id);
  if (!chunks) return chunks.error();
  ComparedDocument out;
  out.document_id = d.id;
  out.name = d.rel_path.empty() ? d.path : d.rel_path;
  out.path = d.path;
  out.kind = d.kind;
  out.page_count = d.page_count;
  out.text = tokenizeVersion(std::move(*chunks));
  out.text.ocr_pages = d.ocr_pages;
  return out;
}

Result<ComparedDocument> fromFile(const std::filesystem::path& path, const std::string& ref,
                                  const ingest::ExtractOptions& extract) {
  ingest::SourceType type = ingest::classifySource(path);
  if (ingest::isMailStore(type)) {
    return Error{ErrorKind::Unsupported, ref + ": an Outlook mail store is compared after `folio ingest` reads it"};
  }
  auto bytes = readFile(path, extract.max_file_bytes);
  if (!bytes) return bytes.error().context(ref);
  if (!ingest::isBinaryFormat(type.kind) || type.kind == ingest::SourceKind::Image) {
    if (auto reason = ingest::sniffContent(std::string_view(*bytes).substr(0, ingest::kSniffBytes), type)) {
      return badInput(ref + ": " + *reason);
    }
  }
  auto text = ingest::extractBytes(*bytes, type, path.filename().string(), extract);
  if (!text) return text.error().context(ref);
  const ingest::EstimatingTokenCounter tokens;
  std::vector<ingest::Chunk> chunks = ingest::chunkWith(ingest::chunkerFor(*text, type), *text, type, tokens);
  std::vector<ingest::StoredChunk> stored;
  stored.reserve(chunks.size());
  for (ingest::Chunk& c : chunks) {
    ingest::StoredChunk s;
    s.ordinal = static_cast<int>(stored.size());
    s.kind = std::string(ingest::chunkKindName(c.kind));
    s.heading = ingest::joinHeadingPath(c.heading_path);
    s.page_first = c.page_first;
    s.page_last = c.page_last;
    s.line_first = c.line_first;
    s.line_last = c.line_last;
    s.byte_begin = c.byte_begin;
    s.byte_end = c.byte_end;
    s.text = std::move(c.text);
    s.token_count = c.token_count;
    stored.push_back(std::move(s));
  }
  ComparedDocument out;
  out.name = ref;
  out.path = path.string();
  out.kind = std::string(ingest::sourceKindName(type.kind));
  out.page_count = static_cast<int>(text->page_starts.size());
  out.text = tokenizeVersion(std::move(stored));
  out.text.ocr_pages = text->ocr_pages + text->ocr_reused;
  return out;
}

}  // namespace

Result<ComparedDocument> findLibraryDocument(ingest::Library& library, int64_t document_id) {
  auto d = library.document(document_id);
  if (!d) return d.error();
  if (!*d) return notFound("no document " + std::to_string(document_id) + " in the library");
  return fromLibrary(library, **d, std::to_string(document_id));
}

Result<ComparedDocument> findComparedDocument(ingest::Library* library, const std::string& ref,
                                              const ingest::ExtractOptions& extract) {
  if (ref.empty()) return badInput("an empty document name");
  std::error_code ec;
  const std::filesystem::path as_path(ref);
  const bool is_file = std::filesystem::is_regular_file(as_path, ec);
  if (library) {
    if (allDigits(ref) && !is_file) {
      auto found = findLibraryDocument(*library, std::stoll(ref));
      if (!found && found.error().kind == ErrorKind::NotFound) return notFound(found.error().message + " (see folio docs)");
      return found;
    }
    // A file on disk is looked up by its absolute path first, so "MSA.docx" in the working directory
    // is that file, not another folder's MSA.docx.
    std::string name = ref;
    if (is_file) {
      const auto canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(as_path, ec), ec);
      if (!ec) name = canonical.string();
    }
    auto found = library->documentsNamed(name);
    if (!found) return found.error();
    if (found->empty() && name != ref) {
      found = library->documentsNamed(ref);
      if (!found) return found.error();
    }
    if (found->size() == 1) return fromLibrary(*library, found->front(), ref);
    if (found->size() > 1 && !is_file) {
      std::string list;
      for (size_t k = 0; k < found->size() && k < 8; ++k) {
        list += "\n  " + std::to_string((*found)[k].id) + "  " + (*found)[k].path;
      }
      if (found->size() > 8) list += "\n  … and " + std::to_string(found->size() - 8) + " more";
      return badInput(ref + " names " + std::to_string(found->size()) +
                      " documents; give a longer part of the path or the id:" + list);
    }
  }
  if (!is_file) {
    return notFound(ref + ": no such document in the library" + std::string(library ? "" : " (none open)") +
                    " and no such file");
  }
  return fromFile(as_path, ref, extract);
}

}  // namespace folio::app
