#include "ingest/office/odt_lists.h"

#include <algorithm>

#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {
namespace {

NumberFormat parseFormat(std::string_view v) {
  if (v.empty()) return NumberFormat::None;
  if (v == "a") return NumberFormat::LowerLetter;
  if (v == "A") return NumberFormat::UpperLetter;
  if (v == "i") return NumberFormat::LowerRoman;
  if (v == "I") return NumberFormat::UpperRoman;
  if (v.substr(0, 2) == "01") return NumberFormat::DecimalZero;  // "01, 02, 03, ..."
  return NumberFormat::Decimal;
}

}  // namespace

Status OdtNumbering::addStyles(std::string_view xml, const std::string& part) {
  OdtListStyle* current = nullptr;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    if (name == "list-style") {
      current = &list_styles_[std::string(a.get("name"))];
    } else if (name == "outline-style") {
      current = &outline_style_;
    } else if (current != nullptr &&
               (name == "list-level-style-number" || name == "outline-level-style" || name == "list-level-style-bullet")) {
      const int level = attributeInt(a.get("level"), 0);
      if (level < 1 || level > 10) return;
      OdtLevelStyle& l = (*current)[static_cast<size_t>(level - 1)];
      l = OdtLevelStyle{};
      l.defined = true;
      l.bullet = name == "list-level-style-bullet";
      l.bullet_char = std::string(a.get("bullet-char"));
      l.format = parseFormat(a.get("num-format"));
      l.prefix = std::string(a.get("num-prefix"));
      l.suffix = std::string(a.get("num-suffix"));
      l.display_levels = std::clamp(attributeInt(a.get("display-levels"), 1), 1, level);
      l.start = listNumberAttribute(a.get("start-value"), 1);
    }
  };
  h.end = [&](std::string_view name) {
    if (name == "list-style" || name == "outline-style") current = nullptr;
  };
  return parseXml(xml, part, h);
}

void OdtNumbering::beginList(const std::string& style, const std::string& id, const std::string& continue_id,
                             bool continue_numbering) {
  if (!open_.empty()) {  // a nested list: the same count, one level deeper
    open_.push_back({open_.back().count, style.empty() ? open_.back().style : style});
    return;
  }
  size_t count = counts_.size();
  if (const auto it = by_id_.find(continue_id); !continue_id.empty() && it != by_id_.end()) {
    count = it->second;
  } else if (continue_numbering) {
    for (size_t i = counts_.size(); i-- > 0;) {
      if (counts_[i].style == style) {
        count = i;
        break;
      }
    }
  }
  if (count == counts_.size()) counts_.push_back(Count{style, {}, {}});
  if (!id.empty()) by_id_[id] = count;
  open_.push_back({count, style});
}

void OdtNumbering::endList() {
  if (!open_.empty()) open_.pop_back();
}

std::string OdtNumbering::listItem(int start_value) {
  if (open_.empty()) return {};
  const int level = static_cast<int>(std::min<size_t>(open_.size(), 10));
  Count& c = counts_[open_.back().count];
  const auto styled = list_styles_.find(open_.front().style);
  const OdtListStyle empty{};
  const OdtListStyle& style = styled == list_styles_.end() ? empty : styled->second;
  const auto k = static_cast<size_t>(level - 1);
  const int start = style[k].defined ? style[k].start : 1;
  c.value[k] = start_value > 0 ? start_value : (c.used[k] ? c.value[k] + 1 : start);
  c.used[k] = true;
  for (size_t deeper = k + 1; deeper < 10; ++deeper) c.used[deeper] = false;
  return label(style, c, level);
}

std::string OdtNumbering::heading(int level) {
  if (level < 1 || level > 10) return {};
  const auto k = static_cast<size_t>(level - 1);
  const int start = outline_style_[k].defined ? outline_style_[k].start : 1;
  outline_.value[k] = outline_.used[k] ? outline_.value[k] + 1 : start;
  outline_.used[k] = true;
  for (size_t deeper = k + 1; deeper < 10; ++deeper) outline_.used[deeper] = false;
  return label(outline_style_, outline_, level);
}

std::string OdtNumbering::label(const OdtListStyle& style, const Count& count, int level) const {
  const OdtLevelStyle& l = style[static_cast<size_t>(level - 1)];
  if (!l.defined) return {};
  if (l.bullet) return bulletText(l.bullet_char);
  if (l.format == NumberFormat::None && l.display_levels <= 1) return l.prefix + l.suffix;
  std::string number;
  for (int shown = level - l.display_levels + 1; shown <= level; ++shown) {
    const auto k = static_cast<size_t>(shown - 1);
    const OdtLevelStyle& s = style[k];
    const int value = count.used[k] ? count.value[k] : (s.defined ? s.start : 1);
    const std::string part = formatNumber(value, s.defined ? s.format : NumberFormat::Decimal);
    if (part.empty()) continue;
    if (!number.empty()) number += '.';
    number += part;
  }
  return l.prefix + number + l.suffix;
}

}  // namespace folio::ingest::office
