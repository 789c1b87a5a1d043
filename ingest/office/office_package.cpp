#include "ingest/office/office_package.h"

#include <vector>

#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

// Relationship parts are small; a larger one is not a real package.
constexpr uint64_t kMaxRelationshipBytes = 4u << 20;

std::string directoryOf(const std::string& part) {
  const size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// Joins a relationship target to the directory of its source part, resolving "." and "..".
std::string resolveTarget(const std::string& source_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1)) : source_dir + std::string(target);
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t slash = joined.find('/', pos);
    if (slash == std::string::npos) slash = joined.size();
    const std::string piece = joined.substr(pos, slash - pos);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(piece);
    }
    pos = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

Result<OfficePackage> OfficePackage::open(std::string_view bytes, const std::string& name, uint64_t max_part_bytes) {
  static constexpr std::string_view kOle = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  if (bytes.substr(0, kOle.size()) == kOle) {
    return badInput(name + ": a password-protected or Word 97-2003 file (OLE compound document); save it as .docx "
                           "without a password to read it");
  }
  auto zip = ZipArchive::open(bytes, name);
  if (!zip.ok()) return zip.error();
  return OfficePackage(std::move(*zip), name, max_part_bytes);
}

void OfficePackage::eachRelationship(const std::string& source, std::string_view kind,
                                     const std::function<bool(std::string_view id, std::string part)>& found) const {
  const std::string rels = directoryOf(source) + "_rels/" + source.substr(directoryOf(source).size()) + ".rels";
  auto xml = zip_.read(rels, kMaxRelationshipBytes);
  if (!xml.ok() || !*xml) return;
  bool more = true;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes& a) {
    if (element != "Relationship" || !more || a.get("TargetMode") == "External") return;
    const std::string_view type = a.get("Type");
    if (type.size() > kind.size() && type.substr(type.size() - kind.size()) == kind &&
        type[type.size() - kind.size() - 1] == '/') {
      more = found(a.get("Id"), resolveTarget(directoryOf(source), a.get("Target")));
    }
  };
  // A broken relationship part leaves the standard part names to be tried.
  (void)parseXml(**xml, rels, h);
}

std::string OfficePackage::target(const std::string& source, std::string_view kind) const {
  std::string first;
  eachRelationship(source, kind, [&](std::string_view, std::string part) {
    first = std::move(part);
    return false;
  });
  return first;
}

std::map<std::string, std::string> OfficePackage::relationships(const std::string& source, std::string_view kind) const {
  std::map<std::string, std::string> out;
  eachRelationship(source, kind, [&](std::string_view id, std::string part) {
    out.emplace(std::string(id), std::move(part));
    return true;
  });
  return out;
}

std::string OfficePackage::mainPart() const { return target("", "officeDocument"); }

std::string OfficePackage::wordMainPart() const {
  std::string main = target("", "officeDocument");
  return main.empty() ? "word/document.xml" : main;
}

std::string OfficePackage::related(const std::string& source, std::string_view kind) const {
  std::string part = target(source, kind);
  if (!part.empty()) return part;
  // Packages without relationship parts: the names Word uses.
  part = directoryOf(source) + std::string(kind) + ".xml";
  return zip_.contains(part) ? part : std::string();
}

Result<std::optional<std::string>> OfficePackage::read(const std::string& part) const {
  return zip_.read(part, max_part_bytes_);
}

std::string OfficePackage::openDocumentType() const {
  auto mimetype = zip_.read("mimetype", 256);
  if (!mimetype.ok() || !*mimetype) return {};
  return **mimetype;
}

CoreProperties OfficePackage::coreProperties() const {
  CoreProperties out;
  std::string part = target("", "core-properties");
  if (part.empty()) part = "docProps/core.xml";
  auto xml = zip_.read(part, kMaxRelationshipBytes);
  // Properties are a nicety: an unreadable or malformed part leaves them empty rather than failing
  // the document.
  if (!xml.ok() || !*xml) return out;
  std::string* field = nullptr;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes&) {
    field = element == "title" ? &out.title : element == "creator" ? &out.author : nullptr;
  };
  h.end = [&](std::string_view) { field = nullptr; };
  h.text = [&](std::string_view text) {
    if (field != nullptr) appendValidUtf8(*field, text);
  };
  if (!parseXml(**xml, part, h).ok()) return CoreProperties{};
  while (!out.title.empty() && (out.title.back() == ' ' || out.title.back() == '\n')) out.title.pop_back();
  return out;
}

CoreProperties OfficePackage::openDocumentProperties() const {
  CoreProperties out;
  auto meta = zip_.read("meta.xml", kMaxRelationshipBytes);
  if (!meta.ok() || !*meta) return out;
  std::string* field = nullptr;
  XmlHandler h;
  h.start = [&](std::string_view element, const XmlAttributes&) {
    field = element == "title"                                                             ? &out.title
            : (element == "creator" || element == "initial-creator") && out.author.empty() ? &out.author
                                                                                           : nullptr;
  };
  h.end = [&](std::string_view) { field = nullptr; };
  h.text = [&](std::string_view text) {
    if (field != nullptr) appendValidUtf8(*field, text);
  };
  if (!parseXml(**meta, "meta.xml", h).ok()) return CoreProperties{};
  return out;
}

}  // namespace folio::ingest::office
