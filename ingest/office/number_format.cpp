#include "ingest/office/number_format.h"

#include <cmath>

namespace folio::ingest::office {
namespace {

std::string trimmed(std::string s) {
  if (s.empty() || (s.front() != ' ' && s.back() != ' ')) return s;  // most cells: nothing to trim
  const size_t first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  s.erase(s.find_last_not_of(' ') + 1);
  s.erase(0, first);
  return s;
}

bool zeroLimit(const FormatCondition& c, FormatCondition::Op a, FormatCondition::Op b) {
  return c.limit == 0 && (c.op == a || c.op == b);
}

}  // namespace

std::string_view builtinFormatCode(int id) {
  switch (id) {
    case 0: return "General";
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 5: return "\"$\"#,##0_);\\(\"$\"#,##0\\)";
    case 6: return "\"$\"#,##0_);[Red]\\(\"$\"#,##0\\)";
    case 7: return "\"$\"#,##0.00_);\\(\"$\"#,##0.00\\)";
    case 8: return "\"$\"#,##0.00_);[Red]\\(\"$\"#,##0.00\\)";
    case 9: return "0%";
    case 10: return "0.00%";
    case 11: return "0.00E+00";
    case 12: return "# ?/?";
    case 13: return "# ?\?/??";  // "?\?": not the trigraph "??/"
    case 14: return "m/d/yyyy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: return "h:mm AM/PM";
    case 19: return "h:mm:ss AM/PM";
    case 20: return "h:mm";
    case 21: return "h:mm:ss";
    case 22: return "m/d/yyyy h:mm";
    case 37: return "#,##0_);\\(#,##0\\)";
    case 38: return "#,##0_);[Red]\\(#,##0\\)";
    case 39: return "#,##0.00_);\\(#,##0.00\\)";
    case 40: return "#,##0.00_);[Red]\\(#,##0.00\\)";
    case 41: return "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)";
    case 42: return "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)";
    case 43: return "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)";
    case 44: return "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"??_);_(@_)";
    case 45: return "mm:ss";
    case 46: return "[h]:mm:ss";
    case 47: return "mmss.0";
    case 48: return "##0.0E+0";
    case 49: return "@";
    default: break;
  }
  // East Asian Excel's date formats (27-36, 50-58), which files from those locales leave implicit.
  if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return "yyyy-mm-dd";
  return {};
}

NumberFormat NumberFormat::builtin(int id) { return parse(builtinFormatCode(id)); }

NumberFormat NumberFormat::parse(std::string_view code) {
  NumberFormat f;
  std::vector<NumberSection> sections;
  if (code.empty() || code.size() > kMaxFormatCode || !NumberSection::parseAll(code, sections)) return f;
  // The text section: the fourth, or a last one that holds '@' ("0.00;@", "@").
  if (sections.size() == 4 || sections.back().has_text_at) {
    f.text_section_ = std::move(sections.back());
    sections.pop_back();
    f.has_text_section_ = true;
    for (const FormatToken& t : f.text_section_.tokens) {
      const bool blank = t.kind == FormatToken::Literal && t.text.find_first_not_of(' ') == std::string::npos;
      if (t.kind != FormatToken::TextAt && !blank) f.formats_text_ = true;
    }
    f.formats_text_ = f.formats_text_ || !f.text_section_.has_text_at;  // ";;;" hides text too
  }
  // A lone General section is the default.
  if (sections.size() == 1 && sections[0].tokens.size() == 1 && sections[0].tokens[0].kind == FormatToken::General) sections.clear();
  f.sections_ = std::move(sections);
  for (size_t i = 0; i < f.sections_.size() && i < 2; ++i)
    f.conditional_ = f.conditional_ || f.sections_[i].condition.op != FormatCondition::None;
  return f;
}

// The section for `value` (nullptr: none fits, General), and whether its sign is left to the section
// (a negative section writes its own "(…)" or "-", or none).
const NumberSection* NumberFormat::choose(double value, bool& drop_sign) const {
  const size_t n = sections_.size();
  drop_sign = false;
  if (!conditional_) {
    if (value < 0 && n >= 2) {
      drop_sign = true;
      return &sections_[1];
    }
    return value == 0 && n >= 3 ? &sections_[2] : &sections_[0];
  }
  // [conditions]: the first section whose condition holds; a second without one takes the rest (with
  // three sections, the negatives), a third what neither took. As in Excel and LibreOffice, the sign
  // is the section's only where it is the negatives' ("[<0]", or a plain second after "[>=0]").
  using Op = FormatCondition::Op;
  const FormatCondition& c0 = sections_[0].condition;
  if (c0.op == Op::None ? value >= 0 : c0.holds(value)) {
    drop_sign = zeroLimit(c0, Op::Less, Op::LessEqual);
    return &sections_[0];
  }
  if (n >= 2) {
    const FormatCondition& c1 = sections_[1].condition;
    if (c1.op == Op::None ? (n == 2 || value < 0) : c1.holds(value)) {
      drop_sign = (c0.op == Op::None || zeroLimit(c0, Op::Greater, Op::GreaterEqual)) &&
                  (c1.op == Op::None || zeroLimit(c1, Op::Less, Op::Less));
      return &sections_[1];
    }
  }
  return n >= 3 ? &sections_[2] : nullptr;
}

std::string NumberFormat::number(double value, bool date1904) const {
  if (sections_.empty() || !std::isfinite(value)) return generalNumber(value);
  bool drop_sign = false;
  const NumberSection* s = choose(value, drop_sign);
  if (s == nullptr) return generalNumber(value);
  if (s->kind == SectionKind::Date) return formatCellNumber(value, s->date_kind, date1904);
  if (s->kind == SectionKind::Text) return generalNumber(value);
  std::string body = s->render(std::fabs(value));
  if (body.empty() && s->kind != SectionKind::Number) return generalNumber(value);  // nothing fits
  body = trimmed(std::move(body));
  if (value < 0 && !drop_sign) body.insert(0, 1, '-');  // before the number's padding, not the cell's
  return body.size() > kMaxDisplay ? generalNumber(value) : body;
}

std::string NumberFormat::text(std::string_view value) const {
  if (!formats_text_) return std::string(value);
  return trimmed(text_section_.renderText(value));
}

}  // namespace folio::ingest::office
