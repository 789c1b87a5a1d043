#include "ingest/office/docx_numbering.h"

#include <algorithm>


#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {
namespace {

int parseLevel(std::string_view v) {
  const int n = attributeInt(v, -1);
  return n >= 0 && n < 9 ? n : -1;
}

NumberFormat parseFormat(std::string_view v) {
  if (v == "decimal") return NumberFormat::Decimal;
  if (v == "decimalZero") return NumberFormat::DecimalZero;
  if (v == "lowerLetter") return NumberFormat::LowerLetter;
  if (v == "upperLetter") return NumberFormat::UpperLetter;
  if (v == "lowerRoman") return NumberFormat::LowerRoman;
  if (v == "upperRoman") return NumberFormat::UpperRoman;
  if (v == "ordinal") return NumberFormat::Ordinal;
  if (v == "bullet") return NumberFormat::Bullet;
  if (v == "none") return NumberFormat::None;
  return NumberFormat::Decimal;  // the many national formats read as their decimal value
}

std::string roman(int value) {
  static constexpr std::pair<int, const char*> kParts[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                          {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                          {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                          {1, "i"}};
  std::string out;
  for (const auto& [v, s] : kParts) {
    while (value >= v) {
      out += s;
      value -= v;
    }
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

}  // namespace

std::string bulletText(const std::string& text) {
  if (text.empty()) return "•";
  const auto c0 = static_cast<unsigned char>(text[0]);
  if (c0 == 0xEF && text.size() >= 3) {  // U+F000..U+FFFF
    const auto c1 = static_cast<unsigned char>(text[1]);
    if (c1 >= 0x80 && c1 <= 0x83) return "•";  // U+F000..U+F0FF
  }
  return text;
}

int listNumberAttribute(std::string_view value, int fallback) {
  return std::clamp(attributeInt(value, fallback), 0, 1000000);
}

std::string formatNumber(int value, NumberFormat format) {
  switch (format) {
    case NumberFormat::Decimal: return std::to_string(value);
    case NumberFormat::DecimalZero: {
      std::string digits = std::to_string(value);
      if (value >= 0 && value < 10) digits.insert(digits.begin(), '0');
      return digits;
    }
    case NumberFormat::LowerRoman:
    case NumberFormat::UpperRoman: {
      if (value <= 0 || value >= 4000) return std::to_string(value);
      std::string r = roman(value);
      return format == NumberFormat::UpperRoman ? upper(r) : r;
    }
    case NumberFormat::LowerLetter:
    case NumberFormat::UpperLetter: {
      // Word repeats the letter: 27 -> "aa", 28 -> "bb".
      if (value <= 0 || value > 780) return std::to_string(value);
      std::string r(static_cast<size_t>((value - 1) / 26 + 1), static_cast<char>('a' + (value - 1) % 26));
      return format == NumberFormat::UpperLetter ? upper(r) : r;
    }
    case NumberFormat::Ordinal: {
      const int tens = value % 100;
      const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                           : value % 10 == 1          ? "st"
                           : value % 10 == 2          ? "nd"
                           : value % 10 == 3          ? "rd"
                                                      : "th";
      return std::to_string(value) + suffix;
    }
    case NumberFormat::Bullet:
    case NumberFormat::None: return {};
  }
  return std::to_string(value);
}

Result<DocxNumbering> DocxNumbering::parse(std::string_view xml, const std::string& part) {
  DocxNumbering out;
  Abstract* abstract = nullptr;
  Instance* instance = nullptr;
  NumberingLevel* level = nullptr;  // the w:lvl being read, in an abstract list or an override
  int override_level = -1;
  XmlHandler h;
  h.start = [&](std::string_view name, const XmlAttributes& a) {
    if (name == "abstractNum") {
      abstract = &out.abstracts_[std::string(a.get("abstractNumId"))];
      *abstract = Abstract{};
    } else if (name == "num") {
      instance = &out.instances_[std::string(a.get("numId"))];
      *instance = Instance{};
    } else if (name == "numStyleLink" && abstract != nullptr) {
      abstract->num_style_link = std::string(a.get("val"));
    } else if (name == "abstractNumId" && instance != nullptr) {
      instance->abstract_id = std::string(a.get("val"));
    } else if (name == "lvlOverride" && instance != nullptr) {
      override_level = parseLevel(a.get("ilvl"));
    } else if (name == "startOverride" && instance != nullptr && override_level >= 0) {
      instance->start_overrides[override_level] = listNumberAttribute(a.get("val"), 1);
    } else if (name == "lvl") {
      const int i = parseLevel(a.get("ilvl"));
      if (i < 0) {
        level = nullptr;
      } else if (instance != nullptr && override_level >= 0) {
        level = &instance->level_overrides[override_level];
      } else if (abstract != nullptr) {
        abstract->levels[static_cast<size_t>(i)] = NumberingLevel{};
        level = &*abstract->levels[static_cast<size_t>(i)];
      }
    } else if (level != nullptr) {
      if (name == "start") level->start = listNumberAttribute(a.get("val"), 1);
      else if (name == "numFmt") level->format = parseFormat(a.get("val"));
      else if (name == "lvlText") level->text = std::string(a.get("val"));
      else if (name == "suff") level->space_after = a.get("val") != "nothing";
      else if (name == "isLgl") level->legal = a.get("val", "1") != "0" && a.get("val") != "false";
      else if (name == "lvlRestart") level->restart_after = attributeInt(a.get("val"), -1);
      else if (name == "pStyle") level->style = std::string(a.get("val"));
    }
  };
  h.end = [&](std::string_view name) {
    if (name == "abstractNum") abstract = nullptr;
    else if (name == "num") instance = nullptr;
    else if (name == "lvlOverride") override_level = -1;
    else if (name == "lvl") level = nullptr;
  };
  FOLIO_TRY(parseXml(xml, part, h));
  return out;
}

void DocxNumbering::addAbstract(const std::string& abstract_id, const std::array<std::optional<NumberingLevel>, 9>& levels) {
  abstracts_[abstract_id] = Abstract{levels, {}};
}

void DocxNumbering::addInstance(const std::string& num_id, const std::string& abstract_id, std::map<int, int> start_overrides,
                                std::map<int, NumberingLevel> level_overrides) {
  instances_[num_id] = Instance{abstract_id, std::move(start_overrides), std::move(level_overrides)};
}

const DocxNumbering::Abstract* DocxNumbering::resolve(const std::string& num_id, const DocxStyles& styles,
                                                      std::string* abstract_id) const {
  std::string id = num_id;
  for (int hop = 0; hop < 2; ++hop) {
    const auto inst = instances_.find(id);
    if (inst == instances_.end()) return nullptr;
    const auto abs = abstracts_.find(inst->second.abstract_id);
    if (abs == abstracts_.end()) return nullptr;
    if (abs->second.num_style_link.empty()) {
      if (abstract_id != nullptr) *abstract_id = abs->first;
      return &abs->second;
    }
    // A list defined by a numbering style: its levels are those of the list that style names.
    const auto linked = styles.numbering(abs->second.num_style_link);
    if (!linked || linked->num_id.empty()) return nullptr;
    id = linked->num_id;
  }
  return nullptr;
}

const NumberingLevel* DocxNumbering::levelOf(const std::string& num_id, int level, const DocxStyles& styles) const {
  if (level < 0 || level >= 9) return nullptr;
  if (const auto inst = instances_.find(num_id); inst != instances_.end()) {
    if (const auto o = inst->second.level_overrides.find(level); o != inst->second.level_overrides.end()) return &o->second;
  }
  const Abstract* abstract = resolve(num_id, styles, nullptr);
  if (abstract == nullptr || !abstract->levels[static_cast<size_t>(level)]) return nullptr;
  return &*abstract->levels[static_cast<size_t>(level)];
}

int DocxNumbering::levelForStyle(const std::string& num_id, const std::string& style_id, const DocxStyles& styles) const {
  const Abstract* abstract = resolve(num_id, styles, nullptr);
  if (abstract == nullptr) return -1;
  for (size_t i = 0; i < abstract->levels.size(); ++i) {
    if (abstract->levels[i] && abstract->levels[i]->style == style_id) return static_cast<int>(i);
  }
  return -1;
}

bool DocxNumbering::spaceAfter(const std::string& num_id, int level, const DocxStyles& styles) const {
  const NumberingLevel* l = levelOf(num_id, level, styles);
  return l == nullptr || l->space_after;
}

std::string DocxNumbering::next(const std::string& num_id, int level, const DocxStyles& styles) {
  std::string abstract_id;
  if (num_id.empty() || num_id == "0" || level < 0 || level >= 9) return {};
  if (resolve(num_id, styles, &abstract_id) == nullptr) return {};
  const NumberingLevel* def = levelOf(num_id, level, styles);
  if (def == nullptr) return {};
  Counters& c = counters_[abstract_id];
  const auto lvl = static_cast<size_t>(level);
  // A list that overrides a level's start restarts that level where it first numbers a paragraph at it.
  if (const auto inst = instances_.find(num_id); inst != instances_.end()) {
    const auto start = inst->second.start_overrides.find(level);
    if (start != inst->second.start_overrides.end() && started_.insert(num_id + " " + std::to_string(level)).second) {
      c.value[lvl] = start->second - 1;
      c.used[lvl] = true;
    }
  }
  // A shallower level skipped since it last restarted counts as shown at its start: "(a)" straight
  // under heading 3 makes the next 1.x clause "3.2", as Word numbers it.
  for (size_t upper = 0; upper < lvl; ++upper) {
    if (c.used[upper]) continue;
    const NumberingLevel* u = levelOf(num_id, static_cast<int>(upper), styles);
    c.value[upper] = u == nullptr ? 1 : u->start;
    c.used[upper] = true;
  }
  c.value[lvl] = c.used[lvl] ? c.value[lvl] + 1 : def->start;
  c.used[lvl] = true;
  // Deeper levels start again after this one (unless their w:lvlRestart says otherwise).
  for (size_t deeper = lvl + 1; deeper < 9; ++deeper) {
    const NumberingLevel* d = levelOf(num_id, static_cast<int>(deeper), styles);
    const int restart = d == nullptr ? -1 : d->restart_after;
    if (restart < 0 || (restart > 0 && level < restart)) c.used[deeper] = false;
  }
  if (def->format == NumberFormat::Bullet) return bulletText(def->text);
  std::string out;
  const std::string& text = def->text;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
      const int shown = text[i + 1] - '1';
      const NumberingLevel* s = levelOf(num_id, shown, styles);
      if (s != nullptr) {
        const auto k = static_cast<size_t>(shown);
        const int value = c.used[k] ? c.value[k] : s->start;
        out += formatNumber(value, def->legal && shown != level ? NumberFormat::Decimal : s->format);
      }
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace folio::ingest::office
