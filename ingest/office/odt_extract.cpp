#include "ingest/office/odt_extract.h"

#include <vector>

#include "ingest/office/odt_lists.h"
#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

// Subtrees that are no part of the text the document shows in its body: the record of tracked
// changes (it holds the deleted text), comments, generated indexes and tables of contents, the
// displayed mark of a note (the reader writes its own), styles and declarations.
bool skippedSubtree(std::string_view name) {
  return name == "tracked-changes" || name == "annotation" || name == "table-of-content" ||
         name == "alphabetical-index" || name == "illustration-index" || name == "table-index" ||
         name == "object-index" || name == "user-index" || name == "bibliography" || name == "note-citation" ||
         name == "sequence-decls" || name == "automatic-styles" || name == "font-face-decls" ||
         name == "hidden-text" || name == "covered-table-cell" || name == "forms";
}

class OdtReader {
 public:
  explicit OdtReader(OdtNumbering& numbering) : numbering_(numbering) {}

  XmlHandler handler() {
    XmlHandler h;
    h.start = [this](std::string_view name, const XmlAttributes& a) { start(name, a); };
    h.end = [this](std::string_view name) { end(name); };
    h.text = [this](std::string_view text) {
      if (!skipper_.skipping() && !paragraphs_.empty()) appendValidUtf8(paragraphs_.back().text, text);
    };
    return h;
  }

  TextBlocks blocks;
  std::string title;
  std::vector<std::string> notes;

 private:
  struct Paragraph {
    std::string label;
    int heading = -1;
    bool page_break_before = false;
    bool title = false;
    std::string text;
    std::vector<size_t> page_breaks;
  };

  void start(std::string_view name, const XmlAttributes& a) {
    if (!skipper_.enter(skippedSubtree(name))) return;
    if (name == "p" || name == "h") {
      Paragraph p;
      if (item_label_pending_ && note_bodies_.empty()) {
        p.label = std::move(item_label_);
        item_label_pending_ = false;
      }
      if (name == "h") {
        p.heading = std::max(1, attributeInt(a.get("outline-level"), 1)) - 1;
        // A heading in a list is numbered by the list; otherwise by the outline style.
        if (p.label.empty() && a.get("is-list-header") != "true" && open_items_ == 0) p.label = numbering_.heading(p.heading + 1);
      }
      p.title = a.get("style-name") == "Title";
      if (p.title) p.heading = 0;  // as Word's Title style
      p.page_break_before = pending_break_;
      pending_break_ = false;
      paragraphs_.push_back(std::move(p));
    } else if (name == "list") {
      numbering_.beginList(std::string(a.get("style-name")), std::string(a.get("id")), std::string(a.get("continue-list")),
                           a.get("continue-numbering") == "true");
    } else if (name == "list-item") {
      ++open_items_;
      item_label_ = numbering_.listItem(listNumberAttribute(a.get("start-value"), 0));
      item_label_pending_ = true;
    } else if (name == "list-header") {
      ++open_items_;
      item_label_pending_ = false;
    } else if (name == "table-row") {
      blocks.beginRow();
    } else if (name == "table-cell") {
      blocks.beginCell();
    } else if (name == "note") {
      notes.emplace_back();
      if (!paragraphs_.empty()) paragraphs_.back().text += "[" + std::to_string(notes.size()) + "]";
    } else if (name == "note-body") {
      note_bodies_.push_back(notes.size() - 1);
    } else if (paragraphs_.empty()) {
      if (name == "soft-page-break") pending_break_ = true;
    } else if (name == "s") {
      paragraphs_.back().text.append(static_cast<size_t>(std::clamp(attributeInt(a.get("c"), 1), 1, 1000)), ' ');
    } else if (name == "tab") {
      paragraphs_.back().text += '\t';
    } else if (name == "line-break") {
      paragraphs_.back().text += '\n';
    } else if (name == "soft-page-break") {
      paragraphs_.back().page_breaks.push_back(paragraphs_.back().text.size());
    }
  }

  void end(std::string_view name) {
    if (!skipper_.leave()) return;
    if ((name == "p" || name == "h") && !paragraphs_.empty()) {
      finishParagraph();
    } else if (name == "list") {
      numbering_.endList();
    } else if (name == "list-item" || name == "list-header") {
      --open_items_;
      item_label_pending_ = false;
    } else if (name == "table-row") {
      blocks.endRow();
    } else if (name == "table-cell") {
      blocks.endCell();
    } else if (name == "note-body" && !note_bodies_.empty()) {
      note_bodies_.pop_back();
    }
  }

  void finishParagraph() {
    Paragraph p = std::move(paragraphs_.back());
    paragraphs_.pop_back();
    if (!note_bodies_.empty()) {  // a note's paragraph: part of the note, after the body
      std::string& note = notes[note_bodies_.back()];
      for (char& c : p.text)
        if (c == '\n' || c == '\t') c = ' ';
      if (!note.empty() && !p.text.empty()) note += ' ';
      note += p.text;
      return;
    }
    const std::string line =
        blocks.addParagraph({p.label, true, std::move(p.text), std::move(p.page_breaks), p.page_break_before, p.heading, p.title});
    if (title.empty() && p.title) title = line;
  }

  OdtNumbering& numbering_;
  std::vector<Paragraph> paragraphs_;  // nested: a text box's or a note's paragraphs sit inside one
  std::vector<size_t> note_bodies_;    // the notes whose bodies are open
  std::string item_label_;             // the open list item's label, for its first paragraph
  bool item_label_pending_ = false;
  int open_items_ = 0;
  bool pending_break_ = false;
  SubtreeSkipper skipper_;
};

}  // namespace

Result<ExtractedText> extractOdt(const OfficePackage& package, const std::string& name) {
  auto content = package.read("content.xml");
  if (!content.ok()) return content.error();
  if (!*content) return badInput(name + ": not an OpenDocument text (no content.xml)");
  OdtNumbering numbering;
  auto styles = package.read("styles.xml");
  if (!styles.ok()) return styles.error();
  if (*styles) FOLIO_TRY(numbering.addStyles(**styles, name + ": styles.xml"));
  FOLIO_TRY(numbering.addStyles(**content, name + ": content.xml"));

  OdtReader reader(numbering);
  FOLIO_TRY(parseXml(**content, name + ": content.xml", reader.handler()));
  for (auto& note : reader.notes) {
    while (!note.empty() && note.back() == ' ') note.pop_back();
  }
  reader.blocks.addNotes(reader.notes);
  ExtractedText out = reader.blocks.render();

  // Properties are a nicety: an unreadable or malformed meta.xml leaves them empty.
  const CoreProperties properties = package.openDocumentProperties();
  out.title = !properties.title.empty() ? properties.title : reader.title;
  out.author = properties.author;
  return out;
}

}  // namespace folio::ingest::office
