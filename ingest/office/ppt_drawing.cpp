#include "ingest/office/ppt_drawing.h"

#include <algorithm>
#include <tuple>

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kDrawingContainer = 0xF002;  // OfficeArtDgContainer
constexpr uint16_t kTableProperties = 0x03A0;   // the group shape of a table has it
constexpr uint16_t kLineShape = 20;             // msosptLine: a table's borders, no cell

struct Cell {
  int32_t top = 0, left = 0;
  std::string text;
};

class DrawingReader {
 public:
  DrawingReader(std::string_view stream, const std::string& name) : s_(stream), b_{stream}, name_(name) {}

  std::vector<PptShape> shapes;

  Status walk(const PptRecord& container, int depth) {
    if (depth > kMaxPptDepth) return badInput(pptWhere(name_) + "shapes nested too deeply at offset " + std::to_string(container.offset));
    auto children = pptChildren(s_, container, name_);
    if (!children.ok()) return children.error();
    for (const PptRecord& r : *children) {
      Status read;
      if (r.type == kArtGroup && isTable(r)) read = readTable(r);
      else if (r.type == kArtGroup || r.type == kDrawingContainer) read = walk(r, depth + 1);
      else if (r.type == kArtShape) read = readShape(r);
      if (!read.ok()) return read;
    }
    return {};
  }

 private:
  // A shape's placeholder role and texts, when it has any text.
  Status readShape(const PptRecord& sp) {
    PptShape shape;
    if (auto textbox = pptChild(s_, sp, kArtClientTextbox)) {
      auto records = pptChildren(s_, *textbox, name_);
      if (!records.ok()) return records.error();
      appendPptTexts(s_, *records, shape.texts);
    }
    if (shape.texts.empty()) return {};
    if (auto data = pptChild(s_, sp, kArtClientData)) {
      if (auto atom = pptChild(s_, *data, kPptPlaceholderAtom); atom && atom->length >= 5) {
        shape.placeholder = b_.u8(atom->body() + 4);
      }
    }
    shapes.push_back(std::move(shape));
    return {};
  }

  // The group's own shape (its first) carries tableProperties in its options, plain or tertiary.
  bool isTable(const PptRecord& group) const {
    const auto first = readPptRecord(s_, group.body(), group.end());
    if (!first || first->type != kArtShape) return false;
    for (const uint16_t type : {kArtProperties, kArtTertiaryProperties}) {
      const auto options = pptChild(s_, *first, type);
      if (!options) continue;
      const uint64_t n = std::min<uint64_t>(options->instance, options->length / 6);
      for (uint64_t i = 0; i < n; ++i) {
        if ((b_.u16(options->body() + 6 * i) & 0x3FFF) == kTableProperties) return true;
      }
    }
    return false;
  }

  Status readTable(const PptRecord& group) {
    auto children = pptChildren(s_, group, name_);
    if (!children.ok()) return children.error();
    std::vector<Cell> cells;
    for (size_t i = 1; i < children->size(); ++i) {
      const PptRecord& sp = (*children)[i];
      if (sp.type != kArtShape) continue;
      const auto atom = pptChild(s_, sp, kArtShapeAtom);
      if (atom && atom->instance == kLineShape) continue;
      Cell cell;
      if (const auto anchor = pptChild(s_, sp, kArtChildAnchor); anchor && anchor->length >= 16) {
        cell.left = b_.i32(anchor->body());  // left, top, right, bottom
        cell.top = b_.i32(anchor->body() + 4);
      } else if (const auto client = pptChild(s_, sp, kArtClientAnchor); client && client->length >= 8) {
        const bool wide = client->length >= 16;  // top, left, right, bottom as 32 or 16 bits
        cell.top = wide ? b_.i32(client->body()) : b_.i16(client->body());
        cell.left = wide ? b_.i32(client->body() + 4) : b_.i16(client->body() + 2);
      } else {
        continue;  // no place in the grid
      }
      if (const auto textbox = pptChild(s_, sp, kArtClientTextbox)) {
        auto records = pptChildren(s_, *textbox, name_);
        if (!records.ok()) return records.error();
        std::vector<PptText> texts;
        appendPptTexts(s_, *records, texts);
        for (const PptText& t : texts) {
          for (std::string& p : pptParagraphs(t.text)) {
            for (char& c : p)
              if (c == '\n' || c == '\t') c = ' ';
            cell.text += (cell.text.empty() ? "" : " ") + p;
          }
        }
      }
      cells.push_back(std::move(cell));
    }
    std::stable_sort(cells.begin(), cells.end(),
                     [](const Cell& a, const Cell& b) { return std::tie(a.top, a.left) < std::tie(b.top, b.left); });
    PptShape table;
    bool any_text = false;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i == 0 || cells[i].top != cells[i - 1].top) table.rows.emplace_back();
      any_text = any_text || !cells[i].text.empty();
      table.rows.back().push_back(std::move(cells[i].text));
    }
    if (any_text) shapes.push_back(std::move(table));
    return {};
  }

  std::string_view s_;
  DocBytes b_;
  const std::string& name_;
};

}  // namespace

Result<std::vector<PptShape>> readPptDrawing(std::string_view stream, const PptRecord& drawing, const std::string& name) {
  DrawingReader reader(stream, name);
  if (auto walked = reader.walk(drawing, 0); !walked.ok()) return walked.error();
  return std::move(reader.shapes);
}

}  // namespace folio::ingest::office
