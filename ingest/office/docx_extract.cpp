#include "ingest/office/docx_extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "ingest/office/docx_body.h"
#include "ingest/office/docx_headers.h"
#include "ingest/office/office_package.h"
#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

std::string trimLine(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.pop_back();
  size_t lead = 0;
  while (lead < s.size() && (s[lead] == ' ' || s[lead] == '\n')) ++lead;
  return s.substr(lead);
}

// The text of each footnote, endnote or comment of a notes part, by id, paragraphs joined by a space; a
// comment's text starts with its author ("Jane Doe: …").
Result<std::map<std::string, std::string>> readNotes(std::string_view xml, const std::string& part) {
  std::map<std::string, std::string> notes;
  std::string* current = nullptr;
  SubtreeSkipper skipper;
  bool in_text = false;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    if (!skipper.enter(docxSkippedSubtree(name))) {
      in_text = false;
      return;
    }
    if (name == "footnote" || name == "endnote" || name == "comment") {
      current = &notes[std::string(a.get("id"))];
      if (name == "comment" && !a.get("author").empty()) {
        appendValidUtf8(*current, a.get("author"));
        *current += ": ";
      }
    } else if (current != nullptr && name == "p" && !current->empty() && current->back() != ' ') {
      *current += ' ';
    } else if (current != nullptr && name == "tab") {
      *current += ' ';
    }
    in_text = name == "t";
  };
  h.end = [&](std::string_view name) {
    if (!skipper.leave()) return;
    if (name == "footnote" || name == "endnote" || name == "comment") current = nullptr;
    in_text = false;
  };
  h.text = [&](std::string_view text) {
    if (in_text && current != nullptr && !skipper.skipping()) appendValidUtf8(*current, text);
  };
  FOLIO_TRY(parseXml(xml, part, h));
  for (auto& [id, text] : notes) text = trimLine(std::move(text));
  return notes;
}

// The part `main` relates to by `kind`, parsed; a default value when the package has none.
template <class T, class Parse>
Result<T> readRelated(const OfficePackage& package, const std::string& main, std::string_view kind,
                      const std::string& name, Parse parse) {
  const std::string part = package.related(main, kind);
  if (part.empty()) return T{};
  auto xml = package.read(part);
  if (!xml.ok()) return xml.error();
  if (!*xml) return T{};
  return parse(**xml, name + ": " + part);
}

}  // namespace

Result<ExtractedText> extractDocx(const OfficePackage& package, const std::string& name) {
  const std::string main = package.wordMainPart();
  auto body = package.read(main);
  if (!body.ok()) return body.error();
  if (!*body) return badInput(name + ": not a Word document (no " + main + ")");

  auto styles = readRelated<DocxStyles>(package, main, "styles", name, DocxStyles::parse);
  if (!styles.ok()) return styles.error();
  auto numbering = readRelated<DocxNumbering>(package, main, "numbering", name, DocxNumbering::parse);
  if (!numbering.ok()) return numbering.error();

  DocxBodyReader reader(*styles, *numbering);
  FOLIO_TRY(parseXml(**body, name + ": " + main, reader.handler()));

  if (!reader.notes.empty()) {
    auto footnotes = readRelated<std::map<std::string, std::string>>(package, main, "footnotes", name, readNotes);
    if (!footnotes.ok()) return footnotes.error();
    auto endnotes = readRelated<std::map<std::string, std::string>>(package, main, "endnotes", name, readNotes);
    if (!endnotes.ok()) return endnotes.error();
    std::vector<std::string> texts;
    for (const auto& ref : reader.notes) {
      const auto& from = ref.endnote ? *endnotes : *footnotes;
      const auto it = from.find(ref.id);
      texts.push_back(it == from.end() ? std::string() : it->second);
    }
    reader.blocks.addNotes(texts);
  }
  if (!reader.comments.empty()) {
    auto comments = readRelated<std::map<std::string, std::string>>(package, main, "comments", name, readNotes);
    if (!comments.ok()) return comments.error();
    std::vector<std::string> lines;
    for (size_t i = 0; i < reader.comments.size(); ++i) {
      const auto it = comments->find(reader.comments[i]);
      lines.push_back("[comment " + std::to_string(i + 1) + "] " + (it == comments->end() ? std::string() : it->second));
    }
    reader.blocks.addSection("Comments", lines);
  }
  // Once, after everything else: they repeat on every page and would otherwise win every search for
  // their words.
  reader.blocks.addSection("Headers and footers", readDocxHeaders(package, main, reader.sections, *styles, *numbering));

  ExtractedText out = reader.blocks.render();
  const CoreProperties properties = package.coreProperties();
  out.title = !properties.title.empty() ? properties.title : reader.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
