#include "ingest/office/docx_notes.h"

#include "ingest/office/docx_body.h"
#include "ingest/office/docx_change_scanner.h"
#include "ingest/office/xml_reader.h"
#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

bool isNote(std::string_view name) { return name == "footnote" || name == "endnote" || name == "comment"; }

}  // namespace

Result<std::map<std::string, DocxNote>> readDocxNotes(std::string_view xml, const std::string& part, DocxChangeLog& log) {
  std::map<std::string, DocxNote> notes;
  DocxNote* current = nullptr;
  std::vector<ParagraphChanges> paragraphs;  // open paragraphs, innermost last
  SubtreeSkipper skipper;
  DocxChangeScanner scanner(log);
  bool in_text = false;
  const auto innermost = [&]() { return paragraphs.empty() ? nullptr : &paragraphs.back(); };
  const auto finishParagraph = [&]() {
    if (paragraphs.empty()) return;
    ParagraphChanges::Outcome changed = paragraphs.back().finish();
    paragraphs.pop_back();
    if (current == nullptr) return;
    log.countParagraphMarks(changed.mark_changes);
    for (ChangeDraft& d : changed.changes) current->changes.push_back(std::move(d));
  };
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    scanner.start(name, a, innermost(), current != nullptr ? current->text.size() : 0, nullptr, skipper.skipping());
    if (!skipper.enter(docxSkippedSubtree(name))) {
      in_text = false;
      return;
    }
    if (isNote(name)) {
      paragraphs.clear();
      current = &notes[std::string(a.get("id"))];
      if (name == "comment" && !a.get("author").empty()) {
        appendValidUtf8(current->text, a.get("author"));
        current->text += ": ";
      }
    } else if (name == "p") {
      if (current != nullptr && !current->text.empty() && current->text.back() != ' ') current->text += ' ';
      paragraphs.emplace_back(current != nullptr ? current->text.size() : 0);
    } else if (current != nullptr && name == "tab") {
      current->text += ' ';
    }
    in_text = name == "t";
  };
  h.end = [&](std::string_view name) {
    scanner.end(innermost(), current != nullptr ? &current->text : nullptr);
    if (!skipper.leave()) return;
    if (name == "p") finishParagraph();
    if (isNote(name)) current = nullptr;
    in_text = false;
  };
  h.text = [&](std::string_view text) {
    if (skipper.skipping()) return scanner.skippedText(text, innermost());
    if (!in_text || current == nullptr) return;
    const size_t from = current->text.size();
    appendValidUtf8(current->text, text);
    ParagraphChanges* changes = innermost();
    if (changes != nullptr && !changes->inserting() && current->text.find_first_not_of(' ', from) != std::string::npos) {
      changes->unchangedText();
    }
  };
  FOLIO_TRY(parseXml(xml, part, h));
  for (auto& [id, note] : notes) trimWithChanges(note.text, " \n", " \t\n", note.changes);
  return notes;
}

}  // namespace folio::ingest::office
