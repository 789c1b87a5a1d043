#include "ingest/office/docx_styles.h"

#include <algorithm>
#include <cctype>

#include "engine/common/ascii_case.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {
namespace {

int parseLevel(std::string_view v) {
  const int n = attributeInt(v, -1);
  return n >= 0 && n < 9 ? n : -1;
}

}  // namespace

template <class F>
auto DocxStyles::firstAlongChain(const std::string& style_id, F&& pick) const
    -> decltype(pick(std::declval<const Style&>())) {
  std::string id = style_id.empty() ? default_paragraph_ : style_id;
  for (int depth = 0; depth < 16 && !id.empty(); ++depth) {
    const auto it = styles_.find(id);
    if (it == styles_.end()) break;
    if (auto v = pick(it->second)) return v;
    id = it->second.based_on;
  }
  return {};
}

Result<DocxStyles> DocxStyles::parse(std::string_view xml, const std::string& part) {
  DocxStyles out;
  Style current;
  std::string current_id;
  bool in_paragraph_style = false, is_default = false, in_numbering = false;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    if (name == "style") {
      in_paragraph_style = a.get("type", "paragraph") == "paragraph";
      is_default = a.get("default") == "1" || a.get("default") == "true";
      current = Style{};
      current_id = std::string(a.get("styleId"));
      return;
    }
    if (!in_paragraph_style) return;
    if (name == "name") {
      current.name = lowerAscii(a.get("val"));
    } else if (name == "basedOn") {
      current.based_on = std::string(a.get("val"));
    } else if (name == "outlineLvl") {
      current.outline_level = parseLevel(a.get("val"));
    } else if (name == "numPr") {
      in_numbering = true;
      current.numbering = StyleNumbering{};
    } else if (in_numbering && name == "numId") {
      current.numbering->num_id = std::string(a.get("val"));
    } else if (in_numbering && name == "ilvl") {
      current.numbering->level = parseLevel(a.get("val"));
    }
  };
  h.end = [&](std::string_view name) {
    if (name == "numPr") in_numbering = false;
    if (name != "style" || !in_paragraph_style) return;
    in_paragraph_style = false;
    if (current_id.empty()) return;
    // Built-in heading styles carry their outline level; some producers only name them.
    if (current.outline_level < 0 && current.name.size() == 9 && current.name.rfind("heading ", 0) == 0) {
      current.outline_level = parseLevel(std::string_view(current.name).substr(8)) - 1;
      if (current.outline_level < -1) current.outline_level = -1;
    }
    if (is_default) out.default_paragraph_ = current_id;
    out.styles_[current_id] = std::move(current);
  };
  FOLIO_TRY(parseXml(xml, part, h));
  return out;
}

int DocxStyles::outlineLevel(const std::string& style_id) const {
  if (isTitle(style_id)) return 0;
  const auto level = firstAlongChain(style_id, [](const Style& s) -> std::optional<int> {
    return s.outline_level >= 0 ? std::optional<int>(s.outline_level) : std::nullopt;
  });
  return level.value_or(-1);
}

std::optional<StyleNumbering> DocxStyles::numbering(const std::string& style_id) const {
  return firstAlongChain(style_id, [](const Style& s) { return s.numbering; });
}

bool DocxStyles::isTableOfContents(const std::string& style_id) const {
  const auto it = styles_.find(style_id);
  return it != styles_.end() && it->second.name.size() == 5 && it->second.name.rfind("toc ", 0) == 0;
}

bool DocxStyles::isTitle(const std::string& style_id) const {
  const auto it = styles_.find(style_id);
  return it != styles_.end() && it->second.name == "title";
}

}  // namespace folio::ingest::office
