#include "ingest/office/docx_changes.h"

#include <algorithm>

#include "ingest/utf8_text.h"

namespace folio::ingest::office {
namespace {

bool isInsertion(ChangeMark m) { return m == ChangeMark::Inserted || m == ChangeMark::MovedTo; }
bool isDeletion(ChangeMark m) { return m == ChangeMark::Deleted || m == ChangeMark::MovedFrom; }
bool isMove(ChangeMark m) { return m == ChangeMark::MovedFrom || m == ChangeMark::MovedTo; }

constexpr size_t kMaxAuthor = 128;
constexpr size_t kMaxColumns = 64;    // Word's limit; a file claiming more has them named by number
constexpr size_t kMaxCellText = 256;  // of a cell, kept for its name
constexpr size_t kMaxCellName = 60;   // a cell's text named in the list, longer shortened

std::string attribute(const XmlAttributes& a, std::string_view name) {
  std::string out;
  appendValidUtf8(out, a.get(name).substr(0, kMaxAuthor));
  return out;
}

// One change out of several: the paragraph's drafts merged, as a whole inserted or deleted paragraph.
ChangeDraft merged(const std::vector<ChangeDraft>& drafts, ChangeDraft::Kind kind, const std::string& author,
                   const std::string& date) {
  ChangeDraft out;
  out.kind = kind;
  out.author = author.empty() ? drafts.front().author : author;
  out.date = author.empty() ? drafts.front().date : date;
  out.move_name = drafts.front().move_name;
  out.move_source = drafts.front().move_source;
  for (const ChangeDraft& d : drafts) {
    out.deleted += d.deleted;
    out.inserted += d.inserted;
  }
  out.offset = drafts.back().offset;
  return out;
}

}  // namespace

ChangeMark changeMarkOf(std::string_view name) {
  if (name == "ins") return ChangeMark::Inserted;
  if (name == "del") return ChangeMark::Deleted;
  if (name == "moveFrom") return ChangeMark::MovedFrom;
  if (name == "moveTo") return ChangeMark::MovedTo;
  return ChangeMark::None;
}

bool isFormattingChange(std::string_view name) {
  return name == "rPrChange" || name == "pPrChange" || name == "sectPrChange" || name == "tblPrChange" ||
         name == "trPrChange" || name == "tcPrChange" || name == "tblGridChange" || name == "tblPrExChange" ||
         name == "numberingChange";
}

std::string markerText(std::string_view kind, int number) {
  std::string out = "[";
  out += kind;
  out += ' ';
  out += std::to_string(number);
  out += ']';
  return out;
}

std::string oneLine(std::string_view text) {
  std::string flat;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat += space ? ' ' : c;
  }
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  return flat;
}

std::string tableRowPlace(int row) { return "table row " + std::to_string(row); }

namespace {

void appendCellText(std::string& cell, std::string_view text) {
  if (!cell.empty() && !text.empty()) cell += ' ';
  cell.append(text.substr(0, kMaxCellText - std::min(cell.size(), kMaxCellText)));
}

std::string cellName(std::string_view text) {
  std::string name = oneLine(text);
  if (name.size() > kMaxCellName) name = name.substr(0, utf8Boundary(name, kMaxCellName)) + "\xE2\x80\xA6";
  return name;
}

}  // namespace

void TablePlaces::cellText(size_t column, std::string_view text) {
  if (column == 1) appendCellText(label_, text);
  if (row_ != 1 || column == 0 || column > kMaxColumns) return;
  if (first_row_.size() < column) first_row_.resize(column);
  appendCellText(first_row_[column - 1], text);
}

void TablePlaces::endRow(bool is_header) {
  if (row_ != 1) return;
  if (is_header) header_ = std::move(first_row_);
  first_row_.clear();
}

std::string TablePlaces::place(size_t column) const {
  std::string out = tableRowPlace(row_);
  const std::string label = column > 1 ? cellName(label_) : std::string();
  if (!label.empty()) out += " (" + label + ")";
  // The header row's own cells are named by number: their text is what changed.
  const std::string header = row_ > 1 && column >= 1 && column <= header_.size() ? cellName(header_[column - 1]) : std::string();
  return out + ", column " + (header.empty() ? std::to_string(column) : "\"" + header + "\"");
}

void RowChange::set(ChangeMark m, const XmlAttributes& a) {
  mark = m;
  author = attribute(a, "author");
  date = attribute(a, "date");
}

void ParagraphChanges::markParagraph(ChangeMark mark, const XmlAttributes& a) {
  paragraph_mark_ = mark;
  mark_author_ = attribute(a, "author");
  mark_date_ = attribute(a, "date");
}

void ParagraphChanges::open(ChangeMark mark, const XmlAttributes& a, std::string_view move_name, size_t text_size,
                            int depth) {
  std::string author = attribute(a, "author");
  const ChangeDraft::Kind kind = isMove(mark) ? ChangeDraft::Kind::Move : ChangeDraft::Kind::Text;
  // Continues the change before it when no unchanged text came between them and the same author made it.
  const bool continues = open_.empty() && !drafts_.empty() && drafts_.back().offset == text_size &&
                         drafts_.back().author == author && drafts_.back().kind == kind &&
                         (kind == ChangeDraft::Kind::Text ||
                          (drafts_.back().move_source == (mark == ChangeMark::MovedFrom) && drafts_.back().move_name == move_name));
  if (!continues) {
    ChangeDraft d;
    d.kind = kind;
    d.author = std::move(author);
    d.date = attribute(a, "date");
    appendValidUtf8(d.move_name, move_name.substr(0, kMaxAuthor));
    d.move_source = mark == ChangeMark::MovedFrom;
    d.offset = text_size;
    drafts_.push_back(std::move(d));
  }
  open_.push_back({drafts_.size() - 1, text_size, mark, depth});
}

void ParagraphChanges::close(int depth, const std::string& text) {
  if (open_.empty() || open_.back().depth != depth) return;
  const Open o = open_.back();
  open_.pop_back();
  ChangeDraft& d = drafts_[o.draft];
  if (isInsertion(o.mark) && o.start < text.size()) d.inserted.append(text, o.start, std::string::npos);
  d.offset = std::max(d.offset, text.size());
}

void ParagraphChanges::deletedText(std::string_view text) {
  if (deleting()) appendValidUtf8(drafts_[open_.back().draft].deleted, text);
}

ParagraphChanges::Outcome ParagraphChanges::finish() const {
  Outcome out;
  std::vector<ChangeDraft> drafts;
  for (const ChangeDraft& d : drafts_) {
    if (!d.deleted.empty() || !d.inserted.empty()) drafts.push_back(d);  // an element around nothing shown
  }
  const bool any_inserted = std::any_of(drafts.begin(), drafts.end(), [](const ChangeDraft& d) { return !d.inserted.empty(); });
  const bool any_deleted = std::any_of(drafts.begin(), drafts.end(), [](const ChangeDraft& d) { return !d.deleted.empty(); });
  const bool all_moves = std::all_of(drafts.begin(), drafts.end(), [](const ChangeDraft& d) { return d.kind == ChangeDraft::Kind::Move; });
  if (isDeletion(paragraph_mark_) && !unchanged_ && !any_inserted) {
    // Its text and its mark are gone: accepted, the paragraph is not there at all.
    out.removed = true;
    if (drafts.empty()) {
      out.mark_changes = paragraph_mark_ == ChangeMark::Deleted ? 1 : 0;
      return out;
    }
    const bool moved = paragraph_mark_ == ChangeMark::MovedFrom && all_moves;
    out.changes.push_back(merged(drafts, moved ? ChangeDraft::Kind::Move : ChangeDraft::Kind::DeletedParagraph,
                                 mark_author_, mark_date_));
    out.changes.back().offset = start_;
    return out;
  }
  if (isInsertion(paragraph_mark_) && !unchanged_ && !any_deleted && any_inserted) {
    const bool moved = paragraph_mark_ == ChangeMark::MovedTo && all_moves;
    out.changes.push_back(merged(drafts, moved ? ChangeDraft::Kind::Move : ChangeDraft::Kind::InsertedParagraph,
                                 mark_author_, mark_date_));
    return out;
  }
  if (paragraph_mark_ == ChangeMark::Inserted || paragraph_mark_ == ChangeMark::Deleted) out.mark_changes = 1;
  out.joins_next = paragraph_mark_ == ChangeMark::Deleted;
  out.changes = std::move(drafts);
  return out;
}

void DocxChangeLog::place(const std::vector<ChangeDraft>& drafts, const ChangeSite& site, std::string& text,
                          std::vector<size_t>* page_breaks) {
  // In text order (an insertion holding another's deletion closes after it), numbered in that order.
  std::vector<size_t> order(drafts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return drafts[a].offset < drafts[b].offset; });
  // One pass over the text, however many markers a paragraph gets.
  std::string out;
  std::vector<size_t> at;               // where each marker goes, ascending
  std::vector<size_t> shift{0};         // shift[k]: the bytes of the first k markers
  size_t from = 0;
  for (const size_t i : order) {
    size_t pos = std::max(std::min(drafts[i].offset, text.size()), from);
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;  // a character's start
    const std::string marker = changeMarker(add(drafts[i], site));
    out.append(text, from, pos - from);
    out += marker;
    from = pos;
    at.push_back(pos);
    shift.push_back(shift.back() + marker.size());
  }
  out.append(text, from, std::string::npos);
  text = std::move(out);
  if (page_breaks == nullptr) return;
  for (size_t& b : *page_breaks) {
    // A page that starts after a change starts after its marker; one at the paragraph's start stays there.
    const size_t before = b == 0 ? 0 : static_cast<size_t>(std::upper_bound(at.begin(), at.end(), b) - at.begin());
    b += shift[before];
  }
}

int DocxChangeLog::add(const ChangeDraft& draft, const ChangeSite& site) {
  Site s{site, draft.move_source, 0};
  size_t index = entries_.size();
  if (draft.kind == ChangeDraft::Kind::Move) {
    const std::string& text = draft.move_source ? draft.deleted : draft.inserted;
    const std::string key = draft.move_name.empty() ? "text:" + text : "name:" + draft.move_name;
    const auto [it, added] = moves_.emplace(key, entries_.size());
    if (!added) {
      index = it->second;
      Entry& e = entries_[index];
      // More paragraphs of the end first met: their text joins the quote.
      const bool text_side = e.change.move_source == draft.move_source;
      std::string& quoted = e.change.move_source ? e.change.deleted : e.change.inserted;
      if (text_side && !text.empty()) quoted += (quoted.empty() ? "" : " ") + text;
    }
  }
  if (index == entries_.size()) entries_.push_back({draft, {}});
  Entry& e = entries_[index];
  if (site.story.empty()) {
    s.body_index = static_cast<size_t>(std::count_if(e.sites.begin(), e.sites.end(), [](const Site& x) { return x.where.story.empty(); }));
    ++body_sites_;
  }
  e.sites.push_back(std::move(s));
  return static_cast<int>(index + 1);
}

void trimWithChanges(std::string& text, std::string_view lead, std::string_view trail, std::vector<ChangeDraft>& changes) {
  const size_t stop = text.find_last_not_of(trail);
  text.resize(stop == std::string::npos ? 0 : stop + 1);
  const size_t start = std::min(text.find_first_not_of(lead), text.size());
  text.erase(0, start);
  for (ChangeDraft& d : changes) d.offset = std::min(d.offset > start ? d.offset - start : 0, text.size());
}

std::string changeDate(std::string_view d) {
  const auto digits = [&](size_t from, size_t n) {
    if (d.size() < from + n) return false;
    return std::all_of(d.begin() + from, d.begin() + from + n, [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(0, 4) || d[4] != '-' || !digits(5, 2) || d[7] != '-' || !digits(8, 2)) return "";
  std::string out(d.substr(0, 10));
  if (d.size() >= 16 && d[10] == 'T' && digits(11, 2) && d[13] == ':' && digits(14, 2)) {
    out += ' ';
    out += d.substr(11, 5);
  }
  return out;
}

}  // namespace folio::ingest::office
