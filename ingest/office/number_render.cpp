// Writing a value's magnitude in a number format section (number_section.h): fixed decimals,
// scientific, fractions, elapsed time, and a text section.
#include <algorithm>
#include <cmath>

#include "ingest/office/decimal_digits.h"
#include "ingest/office/number_section.h"

namespace folio::ingest::office {
namespace {

// Writes what stands at `position` of a column as wide as `places` ("#,##0") or `digits`, whichever is
// wider, with the digits right-aligned: a digit, or where none is, '0' under '0', a space under '?'
// and nothing under '#'. `grouping`: a comma after every third digit from the right.
void putPosition(std::string_view places, std::string_view digits, bool grouping, size_t position, std::string& out) {
  const size_t n = places.size(), l = digits.size(), width = std::max(n, l);
  char c = 0;
  if (position >= width - l) {
    c = digits[position - (width - l)];
  } else {
    const char p = places[position - (width - n)];
    c = p == '0' ? '0' : p == '?' ? ' ' : 0;
  }
  if (c == 0) return;
  out += c;
  const size_t right = width - 1 - position;
  if (grouping && right > 0 && right % 3 == 0) out += c == ' ' ? ' ' : ',';
}

// Writes placeholder `index` of `places`; the first also takes the digits that do not fit.
void placeDigit(std::string_view places, std::string_view digits, bool grouping, size_t index, std::string& out) {
  const size_t n = places.size(), l = digits.size(), width = std::max(n, l);
  if (index == 0) {
    for (size_t k = 0; k + n < l; ++k) putPosition(places, digits, grouping, k, out);
  }
  if (index < n) putPosition(places, digits, grouping, width - n + index, out);
}

// All of an integer part whose placeholders stand together ("#,##0"), at once, as putPosition writes
// each position: first the placeholders left of the digits, then the digits.
void placeAllDigits(std::string_view places, const DecimalDigits& d, bool grouping, std::string& out) {
  const size_t n = places.size(), l = d.integerDigits(), width = std::max(n, l);
  for (size_t position = 0; position < width - l; ++position) {  // here width == n
    const char p = places[position];
    const char c = p == '0' ? '0' : p == '?' ? ' ' : 0;
    if (c == 0) continue;
    out += c;
    const size_t right = width - 1 - position;
    if (grouping && right > 0 && right % 3 == 0) out += c == ' ' ? ' ' : ',';
  }
  for (size_t k = 0; k < l; ++k) {
    out += d.integerDigit(k);
    const size_t right = l - 1 - k;
    if (grouping && right > 0 && right % 3 == 0) out += ',';
  }
}

// How many of the decimal places show under `places`: trailing zeros under '#' and '?' do not.
size_t shownDecimals(std::string_view places, const DecimalDigits& d) {
  size_t shown = places.size();
  while (shown > 0 && d.fractionDigit(static_cast<long>(shown) - 1) == '0' && places[shown - 1] != '0') --shown;
  return shown;
}

void placeDecimal(std::string_view places, const DecimalDigits& d, size_t shown, size_t index, std::string& out) {
  if (index >= places.size()) return;
  if (index < shown) out += d.fractionDigit(static_cast<long>(index));
  else if (places[index] == '?') out += ' ';
}

// Text that shows as it is: a literal, or a percent sign.
void putLiteral(const FormatToken& t, std::string& out) {
  if (t.kind == FormatToken::Literal) out += t.text;
  else if (t.kind == FormatToken::Percent) out += '%';
}

long long floorDiv(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The fraction nearest `x` with a denominator up to `max_denominator` (continued fractions, then the
// best semiconvergent).
void nearestFraction(double x, long long max_denominator, long long& num, long long& den) {
  long long p0 = 0, q0 = 1, p1 = 1, q1 = 0;
  double r = x;
  for (int i = 0; i < 64; ++i) {
    const double a = std::floor(r);
    if (a > 1e15) break;
    const long long ai = static_cast<long long>(a);
    long long p2 = 0, q2 = 0;  // a numerator past long long (x near 1e15, denominators near 1e7) ends it too
    if (__builtin_mul_overflow(ai, q1, &q2) || __builtin_add_overflow(q2, q0, &q2) || q2 > max_denominator) break;
    if (__builtin_mul_overflow(ai, p1, &p2) || __builtin_add_overflow(p2, p0, &p2)) break;
    p0 = p1, q0 = q1, p1 = p2, q1 = q2;
    if (r - a < 1e-12) break;
    r = 1 / (r - a);
  }
  num = p1, den = q1;
  if (q1 == 0) {  // x past every numerator that fits
    num = static_cast<long long>(std::llround(x)), den = 1;
    return;
  }
  const long long k = (max_denominator - q0) / q1;
  long long ps = 0;
  const long long qs = q0 + k * q1;
  const bool fits = !__builtin_mul_overflow(k, p1, &ps) && !__builtin_add_overflow(ps, p0, &ps);
  if (k > 0 && fits && std::abs(x - static_cast<double>(ps) / static_cast<double>(qs)) < std::abs(x - static_cast<double>(p1) / static_cast<double>(q1))) {
    num = ps, den = qs;
  }
}

}  // namespace

std::string NumberSection::render(double magnitude) const {
  switch (kind) {
    case SectionKind::Number: return renderFixed(magnitude);
    case SectionKind::Scientific: return renderScientific(magnitude);
    case SectionKind::Fraction: return renderFraction(magnitude);
    case SectionKind::Elapsed: return renderElapsed(magnitude);
    case SectionKind::Date:
    case SectionKind::Text: break;
  }
  return {};
}

std::string NumberSection::renderFixed(double magnitude) const {
  DecimalDigits d = DecimalDigits::of(magnitude);
  d.shift(shift);
  d.roundTo(static_cast<int>(frac_places.size()));
  const size_t shown = shownDecimals(frac_places, d);
  std::string whole;  // the integer part as text, where placeholders stand apart ("000-00-0000") or none do
  if (!int_together) d.appendIntegerPart(whole);
  std::string out;
  size_t int_i = 0, frac_i = 0;
  bool after_point = false;
  for (const FormatToken& t : tokens) {
    switch (t.kind) {
      case FormatToken::Digit:
        if (after_point) placeDecimal(frac_places, d, shown, frac_i++, out);
        else if (!int_together) placeDigit(int_places, whole, grouping, int_i++, out);
        else if (int_i++ == 0) placeAllDigits(int_places, d, grouping, out);
        break;
      case FormatToken::Point:
        // With no integer placeholders (".00") the whole number still shows, before the point.
        if (int_places.empty()) placeDigit("", whole, grouping, 0, out);
        out += '.';
        after_point = true;
        break;
      case FormatToken::General: out += generalNumber(magnitude); break;
      default: putLiteral(t, out); break;
    }
  }
  return out;
}

std::string NumberSection::renderScientific(double magnitude) const {
  DecimalDigits d = DecimalDigits::of(magnitude);
  d.shift(shift);
  const long long n = static_cast<long long>(int_places.size());
  long long exponent = 0;
  DecimalDigits mantissa = d;
  for (int pass = 0; pass < 2 && !d.zero(); ++pass) {
    const long long one_digit = d.point - 1;  // the exponent that leaves one integer digit
    if (n > 1 && int_places.find('#') != std::string::npos) exponent = floorDiv(one_digit, n) * n;  // "##0.0E+0": engineering
    else if (n > 1) exponent = one_digit - (n - 1);
    else exponent = n == 0 ? one_digit + 1 : one_digit;
    mantissa = d;
    mantissa.shift(static_cast<int>(-exponent));
    const int before = mantissa.point;
    mantissa.roundTo(static_cast<int>(frac_places.size()));
    if (mantissa.point == before) break;
    d = mantissa;  // rounding carried into a new digit (9.99 -> 10.0): choose the exponent again
    d.shift(static_cast<int>(exponent));
  }
  const std::string whole = mantissa.integerPart();
  const size_t shown = shownDecimals(frac_places, mantissa);
  std::string out;
  size_t int_i = 0, frac_i = 0;
  bool after_point = false, after_exponent = false;
  for (const FormatToken& t : tokens) {
    if (t.kind == FormatToken::Digit && !after_exponent) {
      if (after_point) placeDecimal(frac_places, mantissa, shown, frac_i++, out);
      else placeDigit(int_places, whole, false, int_i++, out);
    } else if (t.kind == FormatToken::Point) {
      out += '.';
      after_point = true;
    } else if (t.kind == FormatToken::Exponent && !after_exponent) {
      after_exponent = true;
      const std::string places = t.text.substr(1);
      std::string digits = std::to_string(exponent < 0 ? -exponent : exponent);
      const size_t min = std::max<size_t>(1, places.size() - std::min(places.size(), static_cast<size_t>(std::count(places.begin(), places.end(), '#'))));
      if (digits.size() < min) digits.insert(0, min - digits.size(), '0');
      out += t.text[0];
      if (exponent < 0) out += '-';
      else if (t.c == '+') out += '+';
      out += digits;
    } else {
      putLiteral(t, out);
    }
  }
  return out;
}

std::string NumberSection::renderFraction(double magnitude) const {
  if (magnitude >= 1e15) return {};  // past what a fraction can show exactly: General
  const bool mixed = !int_places.empty();
  double whole = mixed ? std::floor(magnitude) : 0;
  const double part = magnitude - whole;
  long long num = 0, den = 1;
  if (fixed_denominator > 0) {
    den = fixed_denominator;
    if (part * static_cast<double>(den) >= 1e15) return {};
    DecimalDigits n = DecimalDigits::of(part * static_cast<double>(den));  // rounded as Excel rounds decimals
    n.roundTo(0);
    const std::string digits = n.integerPart();
    num = digits.empty() ? 0 : std::stoll(digits);
  } else {
    const size_t places = std::clamp<size_t>(denom_places.size(), 1, 7);
    nearestFraction(part, static_cast<long long>(std::pow(10.0, static_cast<double>(places))) - 1, num, den);
  }
  if (mixed && num >= den) {  // 0.99 in "# ?/?" is 1, not 0 1/1
    whole += 1;
    num = 0;
  }
  const bool blank = mixed && num == 0;  // a whole number: the fraction's places are left blank
  const std::string whole_digits = whole == 0 ? (blank ? "0" : "") : DecimalDigits::of(whole).integerPart();
  const std::string num_digits = std::to_string(num), den_digits = std::to_string(den);
  std::string out;
  size_t int_i = 0, num_i = 0, den_i = 0;
  bool after_bar = false;
  for (const FormatToken& t : tokens) {
    if (t.kind == FormatToken::Digit && int_i < int_places.size() && !after_bar && num_i == 0) {
      placeDigit(int_places, whole_digits, grouping, int_i++, out);
    } else if (t.kind == FormatToken::Digit && !after_bar) {
      if (blank) out += ' ';
      else placeDigit(frac_places, num_digits, false, num_i, out);
      ++num_i;
    } else if (t.kind == FormatToken::FractionBar) {
      after_bar = true;
      out += blank ? std::string(1 + t.text.size(), ' ') : "/" + (fixed_denominator > 0 ? t.text : std::string());
    } else if (t.kind == FormatToken::Digit) {
      // The denominator, left-aligned: its digits, then a space for each '?' left over.
      if (blank) out += ' ';
      else if (den_i == 0) out += den_digits;
      else if (den_i >= den_digits.size() && denom_places[den_i] == '?') out += ' ';
      ++den_i;
    } else {
      putLiteral(t, out);
    }
  }
  return out;
}

std::string NumberSection::renderElapsed(double magnitude) const {
  // Decimal places of the seconds ("[mm]:ss.00"), at most three.
  int places = 0;
  bool after_point = false;
  for (const FormatToken& t : tokens) {
    if (t.kind == FormatToken::Point) after_point = true;
    else if (t.kind == FormatToken::Digit && after_point && places < 3) ++places;
  }
  const double scale = std::pow(10.0, places);
  const double units_d = std::round(magnitude * 86400.0 * scale);
  if (!(units_d < 9e15)) return {};
  const long long units = static_cast<long long>(units_d), per_second = static_cast<long long>(scale);
  const long long seconds = units / per_second, sub = units % per_second;
  const auto padded = [](long long v, size_t width) {
    std::string s = std::to_string(v);
    return s.size() < width ? std::string(width - s.size(), '0') + s : s;
  };
  std::string out;
  for (const FormatToken& t : tokens) {
    const size_t width = t.text.size();
    if (t.kind == FormatToken::Elapsed) {
      out += padded(t.c == 'h' ? seconds / 3600 : t.c == 'm' ? seconds / 60 : seconds, width);
    } else if (t.kind == FormatToken::DatePart && t.c == 'h') {
      out += padded(seconds / 3600 % 24, width);
    } else if (t.kind == FormatToken::DatePart && t.c == 'm') {
      out += padded(seconds / 60 % 60, width);
    } else if (t.kind == FormatToken::DatePart && t.c == 's') {
      out += padded(seconds % 60, width);
    } else if (t.kind == FormatToken::Point) {
      out += '.';
      if (places > 0) out += padded(sub, static_cast<size_t>(places));
    } else if (t.kind == FormatToken::Literal) {
      out += t.text;
    }
  }
  return out;
}

std::string NumberSection::renderText(std::string_view text) const {
  std::string out;
  for (const FormatToken& t : tokens) {
    if (t.kind == FormatToken::Literal) out += t.text;
    else if (t.kind == FormatToken::TextAt) out += text;
  }
  return out;
}

}  // namespace folio::ingest::office
