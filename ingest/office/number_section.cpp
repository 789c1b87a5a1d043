// Reading a number format code into sections (number_section.h); writing values is number_render.cpp.
#include "ingest/office/number_section.h"

#include <algorithm>
#include <charconv>

namespace folio::ingest::office {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool dateLetter(char c) { return std::string_view("ymdhs").find(lower(c)) != std::string_view::npos; }
bool placeholder(char c) { return c == '0' || c == '#' || c == '?'; }

bool startsWithNoCase(std::string_view s, size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower(s[at + i]) != lower(word[i])) return false;
  return true;
}

// The length of the UTF-8 character at `at` (1 for a stray byte), so an escaped "\€" stays whole.
size_t charLength(std::string_view s, size_t at) {
  const auto b = static_cast<unsigned char>(s[at]);
  const size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - at);
}

void literal(std::vector<FormatToken>& tokens, std::string_view text) {
  if (!tokens.empty() && tokens.back().kind == FormatToken::Literal) {
    tokens.back().text.append(text);
  } else {
    tokens.push_back({FormatToken::Literal, 0, std::string(text)});
  }
}

bool parseCondition(std::string_view inner, FormatCondition& c) {
  size_t op = 1;
  if (inner.substr(0, 2) == "<=") c.op = FormatCondition::LessEqual, op = 2;
  else if (inner.substr(0, 2) == ">=") c.op = FormatCondition::GreaterEqual, op = 2;
  else if (inner.substr(0, 2) == "<>") c.op = FormatCondition::NotEqual, op = 2;
  else if (inner[0] == '<') c.op = FormatCondition::Less;
  else if (inner[0] == '>') c.op = FormatCondition::Greater;
  else c.op = FormatCondition::Equal;
  std::string_view number = inner.substr(op);
  while (!number.empty() && number.front() == ' ') number.remove_prefix(1);
  const auto r = std::from_chars(number.data(), number.data() + number.size(), c.limit);
  if (r.ec != std::errc()) c.op = FormatCondition::None;
  return c.op != FormatCondition::None;
}

// What a [bracket] holds: an elapsed-time unit, a currency symbol, a condition, or what is dropped
// (colours, [$-409] locales, [DBNum1]).
void bracket(std::string_view inner, NumberSection& s) {
  if (inner.empty()) return;
  const char first = lower(inner[0]);
  if ((first == 'h' || first == 'm' || first == 's') && inner.find_first_not_of(std::string{inner[0]}) == std::string_view::npos) {
    s.tokens.push_back({FormatToken::Elapsed, first, std::string(inner.size(), first)});
  } else if (inner[0] == '$') {
    literal(s.tokens, inner.substr(1, inner.find('-') == std::string_view::npos ? std::string_view::npos : inner.find('-') - 1));
  } else if (inner[0] == '<' || inner[0] == '>' || inner[0] == '=') {
    parseCondition(inner, s.condition);
  }
}

}  // namespace

bool FormatCondition::holds(double v) const {
  switch (op) {
    case Less: return v < limit;
    case LessEqual: return v <= limit;
    case Greater: return v > limit;
    case GreaterEqual: return v >= limit;
    case Equal: return v == limit;
    case NotEqual: return v != limit;
    case None: return true;
  }
  return true;
}

bool NumberSection::parseAll(std::string_view code, std::vector<NumberSection>& out) {
  out.assign(1, NumberSection());
  for (size_t i = 0; i < code.size();) {
    NumberSection& s = out.back();
    auto& t = s.tokens;
    const char c = code[i];
    if (c == ';') {
      if (out.size() == 4) break;  // Excel allows four; a fifth is not read
      out.emplace_back();
      ++i;
    } else if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      literal(t, code.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (c == '[') {
      const size_t close = code.find(']', i);
      if (close == std::string_view::npos) return false;
      bracket(code.substr(i + 1, close - i - 1), s);
      i = close + 1;
    } else if (c == '\\' || c == '_' || c == '*') {
      // An escaped character, a space as wide as the character ("_)"), or a fill (dropped).
      const size_t n = i + 1 < code.size() ? charLength(code, i + 1) : 0;
      if (c == '\\') literal(t, code.substr(i + 1, n));
      if (c == '_') literal(t, " ");
      i += 1 + n;
    } else if (placeholder(c)) {
      t.push_back({FormatToken::Digit, c, {}});
      ++i;
    } else if (c == '.' || c == '%' || c == '@' || c == ',') {
      t.push_back({c == '.' ? FormatToken::Point : c == '%' ? FormatToken::Percent : c == '@' ? FormatToken::TextAt : FormatToken::Comma, c, {}});
      ++i;
    } else if ((c == 'E' || c == 'e') && i + 1 < code.size() && (code[i + 1] == '+' || code[i + 1] == '-')) {
      t.push_back({FormatToken::Exponent, code[i + 1], std::string(1, c)});
      for (i += 2; i < code.size() && placeholder(code[i]); ++i) t.back().text += code[i];
    } else if (c == '/' && !t.empty() && t.back().kind == FormatToken::Digit && i + 1 < code.size() &&
               (placeholder(code[i + 1]) || (code[i + 1] >= '1' && code[i + 1] <= '9'))) {
      t.push_back({FormatToken::FractionBar, c, {}});
      ++i;
      if (!placeholder(code[i])) {  // "?/16": a fixed denominator
        for (; i < code.size() && code[i] >= '0' && code[i] <= '9'; ++i) t.back().text += code[i];
      }
    } else if (startsWithNoCase(code, i, "General")) {
      t.push_back({FormatToken::General, 0, {}});
      i += 7;
    } else if (startsWithNoCase(code, i, "AM/PM") || startsWithNoCase(code, i, "A/P")) {
      const size_t n = startsWithNoCase(code, i, "AM/PM") ? 5 : 3;
      t.push_back({FormatToken::DatePart, 'a', std::string(code.substr(i, n))});
      i += n;
    } else if (letter(c)) {
      // A run of letters all of which are date or time codes ("yyyy", "mmm", "hh") is dates; another
      // word ("USD", "Days" written without quotes) is text.
      size_t end = i;
      bool dates = true;
      while (end < code.size() && letter(code[end]) && !startsWithNoCase(code, end, "AM/PM") && !startsWithNoCase(code, end, "A/P")) {
        dates = dates && dateLetter(code[end]);
        ++end;
      }
      if (!dates) {
        literal(t, code.substr(i, end - i));
        i = end;
      } else {
        for (; i < end;) {  // each run of one letter is a part: "yyyymmdd" -> yyyy, mm, dd
          size_t j = i;
          while (j < end && lower(code[j]) == lower(code[i])) ++j;
          t.push_back({FormatToken::DatePart, lower(code[i]), std::string(j - i, lower(code[i]))});
          i = j;
        }
      }
    } else {
      const size_t n = charLength(code, i);
      literal(t, code.substr(i, n));
      i += n;
    }
  }
  for (NumberSection& s : out) s.resolve();
  return true;
}

// Decides the section's kind and what its commas, placeholders and percent signs mean.
void NumberSection::resolve() {
  bool day_or_year = false, hour_or_second = false, month_or_minute = false, elapsed = false;
  bool exponent = false, fraction = false, point = false;
  for (const FormatToken& t : tokens) {
    if (t.kind == FormatToken::DatePart) {
      if (t.c == 'y' || t.c == 'd') day_or_year = true;
      if (t.c == 'h' || t.c == 's' || t.c == 'a') hour_or_second = true;
      if (t.c == 'm') month_or_minute = true;
    }
    elapsed = elapsed || t.kind == FormatToken::Elapsed;
    exponent = exponent || t.kind == FormatToken::Exponent;
    fraction = fraction || t.kind == FormatToken::FractionBar;
    has_text_at = has_text_at || t.kind == FormatToken::TextAt;
  }
  // "m" is minutes beside hours or seconds ("h:mm", "mm:ss") and a month otherwise ("mmm yy").
  const bool date = day_or_year || (month_or_minute && !hour_or_second);
  if (elapsed) {
    kind = SectionKind::Elapsed;
    return;
  }
  if (date || hour_or_second) {
    kind = SectionKind::Date;
    date_kind = date && hour_or_second ? ValueFormat::DateTime : date ? ValueFormat::Date : ValueFormat::Time;
    return;
  }
  kind = exponent ? SectionKind::Scientific : fraction ? SectionKind::Fraction : SectionKind::Number;

  // Commas: between integer placeholders, thousands separators; right after the last placeholder
  // (before the point or the end of the number), each divides by 1,000; elsewhere, a comma.
  std::vector<FormatToken> kept;
  bool exponent_seen = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    FormatToken& t = tokens[i];
    exponent_seen = exponent_seen || t.kind == FormatToken::Exponent;
    if (t.kind == FormatToken::Point) {
      // Only the first point before an exponent is the decimal point; a fraction has none.
      if (point || exponent_seen || kind == SectionKind::Fraction) {
        t.kind = FormatToken::Literal;
        t.text.assign(1, '.');  // not = ".": GCC 12 warns falsely (-Wrestrict)
      } else {
        point = true;
      }
    }
    if (t.kind != FormatToken::Comma) {
      kept.push_back(std::move(t));
      continue;
    }
    size_t next = i;
    while (next < tokens.size() && tokens[next].kind == FormatToken::Comma) ++next;
    const bool after_digit = !kept.empty() && kept.back().kind == FormatToken::Digit;
    const bool before_digit = next < tokens.size() && tokens[next].kind == FormatToken::Digit;
    if (after_digit && before_digit && !point) {
      grouping = true;
    } else if (after_digit && !before_digit) {
      shift -= 3 * static_cast<int>(next - i);
    } else {
      literal(kept, std::string(next - i, ','));
    }
    i = next - 1;
  }
  tokens = std::move(kept);

  // Placeholders: the integer part and the decimal places; for a fraction, the whole part, the
  // numerator (the run just before the bar) and the denominator.
  bool after_point = false, after_bar = false, after_exponent = false;
  size_t numerator_start = tokens.size();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const FormatToken& t = tokens[i];
    if (t.kind == FormatToken::FractionBar && (after_bar || kind != SectionKind::Fraction)) {
      tokens[i] = {FormatToken::Literal, 0, "/" + t.text};  // a second bar ("0/0/0"), or one beside an exponent, is text
      continue;
    }
    if (t.kind == FormatToken::FractionBar) {
      size_t j = i;
      while (j > 0 && tokens[j - 1].kind == FormatToken::Digit) --j;
      numerator_start = j;
      after_bar = true;
      fixed_denominator = 0;
      for (char d : t.text) fixed_denominator = std::min<long long>(fixed_denominator * 10 + (d - '0'), 100000000);
    }
    if (t.kind == FormatToken::Percent) shift += 2;
    after_point = after_point || t.kind == FormatToken::Point;
    after_exponent = after_exponent || t.kind == FormatToken::Exponent;
    if (t.kind != FormatToken::Digit || after_exponent) continue;
    if (after_bar) denom_places += t.c;
    else if (after_point && kind != SectionKind::Fraction) frac_places += t.c;
    else int_places += t.c;
  }
  if (kind == SectionKind::Fraction) {
    // The numerator's placeholders were counted as the integer part's: move them over.
    size_t numerator = 0;
    for (size_t i = numerator_start; i < tokens.size() && tokens[i].kind == FormatToken::Digit; ++i) ++numerator;
    numerator = std::min(numerator, int_places.size());
    frac_places = int_places.substr(int_places.size() - numerator);
    int_places.resize(int_places.size() - numerator);
    shift = 0;  // a fraction shows the value itself
  }
  size_t first = tokens.size(), last = 0, count = 0;
  for (size_t i = 0; i < tokens.size() && tokens[i].kind != FormatToken::Point && tokens[i].kind != FormatToken::Exponent; ++i) {
    if (tokens[i].kind != FormatToken::Digit) continue;
    first = std::min(first, i), last = i, ++count;
  }
  int_together = count > 0 && last - first + 1 == count;
  // "@" or "\"Note: \"@" as a number section: a number shows as General.
  if (kind == SectionKind::Number && has_text_at && int_places.empty() && frac_places.empty()) kind = SectionKind::Text;
}

}  // namespace folio::ingest::office
