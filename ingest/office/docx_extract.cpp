#include "ingest/office/docx_extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "ingest/office/docx_body.h"
#include "ingest/office/docx_change_list.h"
#include "ingest/office/docx_changes.h"
#include "ingest/office/docx_headers.h"
#include "ingest/office/docx_notes.h"
#include "ingest/office/office_package.h"
#include "ingest/office/related_charts.h"
#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {
namespace {

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

  DocxChangeLog changes;
  DocxBodyReader reader(*styles, *numbering, changes);
  RelatedCharts charts(package, main);
  reader.charts = &charts;
  FOLIO_TRY(parseXml(**body, name + ": " + main, reader.handler()));
  // Where the body's changes stand: the headings its passages get, read before anything follows it.
  std::map<int, std::vector<std::string>> change_places;
  if (changes.anyInBody()) change_places = changePlacesInBody(reader.blocks.render());

  using Notes = std::map<std::string, DocxNote>;
  const auto readNotes = [&changes](std::string_view xml, const std::string& part) {
    return readDocxNotes(xml, part, changes);
  };
  // A note's text with the markers of its changes, which are numbered now, in the order of the marks.
  const auto noteText = [&changes](const Notes& notes, const std::string& id, const std::string& story) {
    const auto it = notes.find(id);
    if (it == notes.end()) return std::string();
    std::string text = it->second.text;
    changes.place(it->second.changes, {story, ""}, text);
    return text;
  };
  if (!reader.notes.empty()) {
    auto footnotes = readRelated<Notes>(package, main, "footnotes", name, readNotes);
    if (!footnotes.ok()) return footnotes.error();
    auto endnotes = readRelated<Notes>(package, main, "endnotes", name, readNotes);
    if (!endnotes.ok()) return endnotes.error();
    std::vector<std::string> texts;
    for (size_t i = 0; i < reader.notes.size(); ++i) {
      const auto& ref = reader.notes[i];
      const std::string story = (ref.endnote ? "endnote " : "footnote ") + std::to_string(i + 1);
      texts.push_back(noteText(ref.endnote ? *endnotes : *footnotes, ref.id, story));
    }
    reader.blocks.addNotes(texts);
  }
  if (!reader.comments.empty()) {
    auto comments = readRelated<Notes>(package, main, "comments", name, readNotes);
    if (!comments.ok()) return comments.error();
    std::vector<std::string> lines;
    for (size_t i = 0; i < reader.comments.size(); ++i) {
      const std::string story = "comment " + std::to_string(i + 1);
      lines.push_back("[" + story + "] " + noteText(*comments, reader.comments[i], story));
    }
    reader.blocks.addSection("Comments", lines);
  }
  // Once, after everything else: they repeat on every page and would otherwise win every search for
  // their words. Their changes are listed before them, with the others.
  const std::vector<std::string> headers = readDocxHeaders(package, main, reader.sections, *styles, *numbering, changes);
  if (!changes.empty()) reader.blocks.addSection("Tracked changes", changes.lines(change_places));
  reader.blocks.addSection("Headers and footers", headers);

  ExtractedText out = reader.blocks.render();
  const CoreProperties properties = package.coreProperties();
  out.title = !properties.title.empty() ? properties.title : reader.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
