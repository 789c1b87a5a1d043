#include "support/ppt_writer.h"

#include <map>

#include "support/little_endian.h"
#include "support/msg_writer.h"

namespace folio::test {
namespace {

constexpr uint32_t kFirstSlideId = 256, kFirstNotesId = 0x1000, kMasterId = 0x80000000u, kMasterPersist = 2;

std::string u16(uint32_t v) {
  std::string b(2, '\0');
  put16le(b, 0, v);
  return b;
}

std::string u32(uint32_t v) {
  std::string b;
  append32le(b, v);
  return b;
}

std::string record(uint16_t version, uint16_t instance, uint16_t type, const std::string& body) {
  return u16(static_cast<uint32_t>(version | instance << 4)) + u16(type) + u32(static_cast<uint32_t>(body.size())) + body;
}

std::string container(uint16_t type, const std::string& body, uint16_t instance = 0) { return record(0xF, instance, type, body); }

// A text: TextHeaderAtom (its role) and its characters, 16- or 8-bit; "\n" in `paragraphs` joins
// with CR.
std::string textAtoms(int type, const std::string& text, bool bytes) {
  std::string chars = utf16le(text);
  std::string out = record(0, 0, 0x0F9F, u32(static_cast<uint32_t>(type)));
  if (!bytes) return out + record(0, 0, 0x0FA0, chars);
  std::string latin;
  for (size_t i = 0; i + 1 < chars.size(); i += 2) latin += chars[i];
  return out + record(0, 0, 0x0FA8, latin);
}

std::string joined(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& p : paragraphs) out += (out.empty() ? "" : "\r") + p;
  return out;
}

std::string placeholderData(uint8_t placement) {
  return container(0xF011, record(0, 0, 0x0BC3, u32(0) + std::string(1, static_cast<char>(placement)) + std::string(3, '\0')));
}

std::string shapeAtom(uint16_t shape_type, uint32_t flags = 0x0A00) {
  return record(2, shape_type, 0xF00A, u32(1025) + u32(flags));  // spid, flags
}

std::string clientAnchor(int16_t top, int16_t left) {
  return record(0, 0, 0xF010, u16(static_cast<uint16_t>(top)) + u16(static_cast<uint16_t>(left)) + u16(static_cast<uint16_t>(left + 5000)) +
                                   u16(static_cast<uint16_t>(top + 80)));
}

// A shape with text: a placeholder (placement id) or, with placement 0, a text box.
std::string textShape(uint8_t placement, const std::string& textbox, int16_t top) {
  std::string body = shapeAtom(placement ? 1 : 202) + clientAnchor(top, 100);
  if (placement) body += placeholderData(placement);
  return container(0xF004, body + container(0xF00D, textbox));
}

std::string tableGroup(const std::vector<std::vector<std::string>>& rows, bool bytes) {
  const std::string group_shape =
      container(0xF004, record(1, 0, 0xF009, std::string(16, '\0')) + shapeAtom(0, 0x0201) +
                            record(3, 1, 0xF00B, u16(0x03A0) + u32(0)));  // tableProperties
  std::string cells;
  // Written column by column, so the reader must order them by place.
  size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  for (size_t c = 0; c < columns; ++c) {
    for (size_t r = 0; r < rows.size(); ++r) {
      const std::string text = c < rows[r].size() ? rows[r][c] : "";
      std::string anchor = record(0, 0, 0xF00F, u32(static_cast<uint32_t>(1000 * c)) + u32(static_cast<uint32_t>(500 * r)) +
                                                    u32(static_cast<uint32_t>(1000 * c + 900)) + u32(static_cast<uint32_t>(500 * r + 400)));
      std::string cell = shapeAtom(1) + anchor;
      if (!text.empty()) cell += container(0xF00D, textAtoms(4, text, bytes));
      cells += container(0xF004, cell);
    }
  }
  // A border line over the first row: no cell.
  cells += container(0xF004, shapeAtom(20) + record(0, 0, 0xF00F, u32(0) + u32(0) + u32(5000) + u32(0)));
  return container(0xF003, group_shape + cells);
}

std::string drawing(const std::string& shapes) {
  const std::string group_shape = container(0xF004, record(1, 0, 0xF009, std::string(16, '\0')) + shapeAtom(0, 0x0005));
  return container(0x040C, container(0xF002, record(0, 1, 0xF008, u32(4) + u32(1024)) + container(0xF003, group_shape + shapes)));
}

std::string slideContainer(const PptTestSlide& s, uint32_t notes_id) {
  const std::string atom = record(2, 0, 0x03EF, u32(0) + std::string(8, '\0') + u32(0x80000000u) + u32(notes_id) + u16(0) + u16(0));
  const std::string show = record(0, 0, 0x03F9, u32(0) + u32(0) + std::string(2, '\0') + u16(s.hidden ? 0x0004 : 0) + u32(0));
  std::string shapes;
  int index = 0;  // of the slide list's texts this slide keeps there
  const auto placeholderText = [&](int type, const std::string& text) {
    if (s.outline) return record(0, 0, 0x0F9E, u32(static_cast<uint32_t>(index++)));
    return textAtoms(type, text, s.bytes);
  };
  if (!s.title.empty()) shapes += textShape(0x0D, placeholderText(0, s.title), 10);
  if (!s.body.empty()) shapes += textShape(0x0E, placeholderText(1, joined(s.body)), 100);
  if (!s.text_box.empty()) shapes += textShape(0, textAtoms(4, s.text_box, s.bytes), 300);
  if (!s.table.empty()) shapes += tableGroup(s.table, s.bytes);
  if (!s.footer.empty()) shapes += textShape(0x09, textAtoms(4, s.footer, s.bytes), 500);
  return container(0x03EE, atom + show + drawing(shapes));
}

// A main master with its title placeholder's prompt, which no slide shows as its own text.
std::string masterContainer() {
  const std::string atom = record(2, 0, 0x03EF, u32(0) + std::string(8, '\0') + u32(0) + u32(0) + u16(0) + u16(0));
  return container(0x03F8, atom + drawing(textShape(0x01, textAtoms(0, "Click to edit Master title style", false), 10)));
}

std::string notesContainer(const PptTestSlide& s, uint32_t slide_id) {
  const std::string atom = record(1, 0, 0x03F1, u32(slide_id) + u16(0) + u16(0));
  const std::string picture = container(0xF004, shapeAtom(1) + clientAnchor(10, 10) + placeholderData(0x0B));
  return container(0x03F0, atom + drawing(picture + textShape(0x0C, textAtoms(2, joined(s.notes), s.bytes), 200)));
}

// The slide list's texts of a slide whose placeholders refer to them.
std::string outlineTexts(const PptTestSlide& s) {
  if (!s.outline) return {};
  std::string out;
  if (!s.title.empty()) out += textAtoms(0, s.title, s.bytes);
  if (!s.body.empty()) out += textAtoms(1, joined(s.body), s.bytes);
  return out;
}

std::string slidePersist(uint32_t persist_id, uint32_t slide_id) {
  return record(0, 0, 0x03F3, u32(persist_id) + u32(0) + u32(0) + u32(slide_id) + u32(0));
}

std::string persistDirectory(const std::map<uint32_t, uint32_t>& offsets) {
  std::string body;
  for (auto it = offsets.begin(); it != offsets.end();) {  // runs of consecutive ids
    auto end = it;
    uint32_t count = 0;
    while (end != offsets.end() && end->first == it->first + count) ++end, ++count;
    body += u32(it->first | count << 20);
    for (; it != end; ++it) body += u32(it->second);
  }
  return record(0, 0, 0x1772, body);
}

std::string userEdit(uint32_t last_edit, uint32_t directory, uint32_t seed) {
  return record(0, 0, 0x0FF5, u32(kFirstSlideId) + u16(0) + std::string(1, '\0') + std::string(1, '\3') + u32(last_edit) +
                                  u32(directory) + u32(1) + u32(seed) + u16(1) + u16(0));
}

}  // namespace

PptStreams pptStreams(const PptTestDeck& deck) {
  PptStreams out;
  const uint32_t n = static_cast<uint32_t>(deck.slides.size());
  // Persist ids: 1 the document, 2 the master, 3.. the slides, then their notes pages.
  const auto slide_persist = [](uint32_t i) { return 3 + i; };
  const auto notes_persist = [n](uint32_t i) { return 3 + n + i; };
  std::string slides_list, notes_list;
  for (uint32_t i = 0; i < n; ++i) {
    slides_list += slidePersist(slide_persist(i), kFirstSlideId + i) + outlineTexts(deck.slides[i]);
    if (!deck.slides[i].notes.empty()) notes_list += slidePersist(notes_persist(i), kFirstNotesId + i);
  }
  // DocumentAtom: slide and notes sizes (master units), zoom 1:1, no notes or handout master, first number 1.
  const std::string document_atom = u32(5760) + u32(4320) + u32(4320) + u32(5760) + u32(1) + u32(1) + u32(0) + u32(0) +
                                    u16(1) + u16(0) + std::string(4, '\0');
  std::string body = record(1, 0, 0x03E9, document_atom) + container(0x0FF0, slidePersist(kMasterPersist, kMasterId), 1) +
                     container(0x0FF0, slides_list, 0);
  if (!notes_list.empty()) body += container(0x0FF0, notes_list, 2);
  std::string& s = out.document;
  std::map<uint32_t, uint32_t> offsets{{1, 0}};
  s = container(0x03E8, body);
  offsets[kMasterPersist] = static_cast<uint32_t>(s.size());
  s += masterContainer();
  for (uint32_t i = 0; i < n; ++i) {
    const PptTestSlide& slide = deck.slides[i];
    offsets[slide_persist(i)] = static_cast<uint32_t>(s.size());
    out.slide_offsets.push_back(static_cast<uint32_t>(s.size()));
    s += slideContainer(slide, slide.notes.empty() ? 0 : kFirstNotesId + i);
    if (!slide.notes.empty()) {
      offsets[notes_persist(i)] = static_cast<uint32_t>(s.size());
      s += notesContainer(slide, kFirstSlideId + i);
    }
  }
  std::vector<uint32_t> edits;
  const auto save = [&](const std::map<uint32_t, uint32_t>& changed) {
    const uint32_t directory = static_cast<uint32_t>(s.size());
    s += persistDirectory(changed);
    edits.push_back(static_cast<uint32_t>(s.size()));
    s += userEdit(edits.size() > 1 ? edits[edits.size() - 2] : 0, directory, 3 + 2 * n);
  };
  save(offsets);
  for (const auto& changes : deck.saves) {
    std::map<uint32_t, uint32_t> changed;
    for (const auto& [i, slide] : changes) {
      const uint32_t index = static_cast<uint32_t>(i);
      changed[slide_persist(index)] = static_cast<uint32_t>(s.size());
      out.slide_offsets.at(i) = static_cast<uint32_t>(s.size());
      s += slideContainer(slide, deck.slides[i].notes.empty() ? 0 : kFirstNotesId + index);
    }
    save(changed);
  }
  if (deck.loop) put32le(s, edits.front() + 8 + 8, edits.back());  // offsetLastEdit

  const std::string user = "tester";
  std::string atom = u32(0x14) + u32(deck.encrypted ? 0xF3D1C4DFu : 0xE391C05Fu) + u32(edits.back()) +
                     u16(static_cast<uint32_t>(user.size())) + u16(0x03F4) + std::string(1, '\3') + std::string(1, '\0') + u16(0) +
                     user + u32(8);
  out.current_user = record(0, 0, 0x0FF6, atom);
  return out;
}

std::string pptFileBytes(const PptStreams& streams, const PptTestDeck& deck, std::vector<CfbNode> extra) {
  std::vector<CfbNode> nodes{CfbNode::stream("Current User", streams.current_user),
                             CfbNode::stream("PowerPoint Document", streams.document)};
  if (!deck.title.empty() || !deck.author.empty()) {
    nodes.push_back(CfbNode::stream("\005SummaryInformation", summaryInformationStream(deck.title, deck.author)));
  }
  for (CfbNode& node : extra) nodes.push_back(std::move(node));
  return compoundFileBytes(nodes);
}

std::string pptBytes(const PptTestDeck& deck) { return pptFileBytes(pptStreams(deck), deck); }

std::string summaryInformationStream(const std::string& title, const std::string& author) {
  // Property set: size, count, (id, offset) pairs, then the values (type, and the value padded to 4).
  std::vector<std::pair<uint32_t, std::string>> values{{1, u32(2) + u16(1252) + u16(0)}};
  for (const auto& [id, text] : {std::pair<uint32_t, const std::string&>{2, title}, {4, author}}) {
    std::string v = text + '\0';
    v.resize((v.size() + 3) / 4 * 4, '\0');
    values.emplace_back(id, u32(0x1E) + u32(static_cast<uint32_t>(text.size() + 1)) + v);
  }
  std::string pairs, data;
  const uint32_t head = 8 + 8 * static_cast<uint32_t>(values.size());
  for (const auto& [id, v] : values) {
    pairs += u32(id) + u32(head + static_cast<uint32_t>(data.size()));
    data += v;
  }
  const std::string set = u32(head + static_cast<uint32_t>(data.size())) + u32(static_cast<uint32_t>(values.size())) + pairs + data;
  static const unsigned char kFormat[16] = {0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10,
                                            0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9};
  return u16(0xFFFE) + u16(0) + u32(0x00020006) + std::string(16, '\0') + u32(1) +
         std::string(reinterpret_cast<const char*>(kFormat), 16) + u32(48) + set;
}

}  // namespace folio::test
