// An Office Open XML package (.docx, .xlsx, .pptx): a zip archive whose parts are found through relationship
// parts (_rels/.rels names the main document, word/_rels/document.xml.rels its styles, numbering and
// notes), with every part read under a size bound.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/office/zip_archive.h"

namespace folio::ingest::office {

struct CoreProperties {
  std::string title;   // dc:title
  std::string author;  // dc:creator
};

class OfficePackage {
 public:
  // Fails with a reason naming `name` when the bytes are no zip archive; a password-protected or
  // pre-2007 Word file (an OLE compound file) is named as such.
  static Result<OfficePackage> open(std::string_view bytes, const std::string& name, uint64_t max_part_bytes);

  // The main document part (word/document.xml unless the package's relationships say otherwise).
  std::string wordMainPart() const;
  // The part the package's relationships name as its main document (xl/workbook.xml,
  // ppt/presentation.xml, word/document.xml), or empty.
  std::string mainPart() const;

  // `source`'s relationships of type `kind` ("worksheet", "slide", "notesSlide"): id -> part.
  std::map<std::string, std::string> relationships(const std::string& source, std::string_view kind) const;

  // The part that `source` relates to by relationship type `kind` ("styles", "numbering",
  // "footnotes", "endnotes"), or empty when it has none.
  std::string related(const std::string& source, std::string_view kind) const;

  // The bytes of `part` (nullopt when absent), bounded by max_part_bytes.
  Result<std::optional<std::string>> read(const std::string& part) const;

  // An OpenDocument package's type from its "mimetype" part ("application/vnd.oasis.opendocument.text",
  // ".spreadsheet", ".presentation"; templates end in "-template"), or "" for none.
  std::string openDocumentType() const;

  // docProps/core.xml's title and author (empty when absent or unreadable).
  CoreProperties coreProperties() const;
  // An OpenDocument's meta.xml title and author (creator, else initial creator), empty when absent or
  // unreadable.
  CoreProperties openDocumentProperties() const;

 private:
  OfficePackage(ZipArchive zip, std::string name, uint64_t max_part_bytes)
      : zip_(std::move(zip)), name_(std::move(name)), max_part_bytes_(max_part_bytes) {}
  // The target of `source`'s first relationship whose type ends in "/" + kind; empty when none.
  std::string target(const std::string& source, std::string_view kind) const;
  // Calls `found(id, part)` for each of `source`'s relationships of type `kind`, in order; stops when it
  // returns false.
  void eachRelationship(const std::string& source, std::string_view kind,
                        const std::function<bool(std::string_view id, std::string part)>& found) const;

  ZipArchive zip_;
  std::string name_;
  uint64_t max_part_bytes_;
};

}  // namespace folio::ingest::office
