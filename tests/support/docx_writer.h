// Writes Word (.docx) packages for tests: the parts are the XML Word itself writes, zipped with
// libzip as Word zips them ([Content_Types].xml, _rels/.rels, word/_rels/document.xml.rels).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace folio::test {

struct DocxParts {
  std::string body;       // the content of <w:body> (paragraphs, tables)
  std::string styles;     // the content of <w:styles>, empty for no styles part
  std::string numbering;  // the content of <w:numbering>, empty for none
  std::string footnotes;  // the content of <w:footnotes>, empty for none
  std::string settings;   // the content of <w:settings>, empty for none
  // Headers and footers: ("header1" or "footer2", the content of its <w:hdr>/<w:ftr>), each related to
  // the document with that name as its relationship id (w:headerReference r:id="header1").
  std::vector<std::pair<std::string, std::string>> headers;
  std::string title;      // docProps/core.xml dc:title (with author), empty for no core part
  std::string author;
  std::vector<std::pair<std::string, std::string>> extra;  // more parts, (name, bytes) as given
};

// A .docx with the standard namespaces declared on each part's root element.
std::string docxBytes(const DocxParts& parts);

// A zip archive of exactly these parts.
std::string zipBytes(const std::vector<std::pair<std::string, std::string>>& parts);

// Word's XML for a paragraph: optional style, list (numId, ilvl) and the runs' text.
std::string wordParagraph(const std::string& text, const std::string& style = "", int num_id = -1, int level = 0);

}  // namespace folio::test
