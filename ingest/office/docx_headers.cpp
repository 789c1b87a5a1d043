#include "ingest/office/docx_headers.h"

#include <map>
#include <set>

namespace folio::ingest::office {
namespace {

// w:evenAndOddHeaders in the settings part: even pages show their own header and footer.
bool evenPagesDiffer(const OfficePackage& package, const std::string& main) {
  const std::string part = package.related(main, "settings");
  if (part.empty()) return false;
  auto xml = package.read(part);
  if (!xml.ok() || !*xml) return false;
  bool even = false;
  XmlHandler h;
  h.start = [&even](std::string_view name, const XmlAttributes& a) {
    if (name == "evenAndOddHeaders") {
      const std::string_view v = a.get("val");
      even = v.empty() || (v != "0" && v != "false" && v != "off");
    }
  };
  h.end = [](std::string_view) {};
  h.text = [](std::string_view) {};
  (void)parseXml(**xml, part, h);  // settings that do not parse leave even pages as odd ones
  return even;
}

}  // namespace

std::vector<std::string> readDocxHeaders(const OfficePackage& package, const std::string& main,
                                         const std::vector<DocxSection>& sections, DocxStyles& styles,
                                         DocxNumbering& numbering, DocxChangeLog& changes) {
  std::vector<std::string> lines;
  if (sections.empty()) return lines;
  std::map<std::string, std::string> parts = package.relationships(main, "header");
  parts.merge(package.relationships(main, "footer"));
  const bool even = evenPagesDiffer(package, main);
  std::set<std::string> parts_read, seen;
  auto readPart = [&](const std::string& id, bool footer) {
    const auto it = parts.find(id);
    if (it == parts.end() || !parts_read.insert(it->second).second) return;
    auto xml = package.read(it->second);
    if (!xml.ok() || !*xml) return;
    DocxBodyReader reader(styles, numbering, changes, footer ? "footer" : "header", /*page_fields_dropped=*/true);
    if (!parseXml(**xml, it->second, reader.handler()).ok()) return;
    for (std::string& line : reader.blocks.lines()) {
      if (seen.insert(line).second) lines.push_back(std::move(line));
    }
  };
  // Headers before footers, the first page's before the others: the order a reader meets them.
  for (const DocxSection& section : sections) {
    for (const bool footer : {false, true}) {
      for (const char* type : {"first", "default", "even"}) {
        if ((type == std::string_view("first") && !section.title_page) || (type == std::string_view("even") && !even)) continue;
        for (const DocxStoryRef& ref : section.refs) {
          if (ref.footer == footer && ref.type == type) readPart(ref.id, footer);
        }
      }
    }
  }
  return lines;
}

}  // namespace folio::ingest::office
