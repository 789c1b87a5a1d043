#include "ingest/office/decimal_digits.h"

#include <charconv>
#include <string_view>

namespace folio::ingest::office {

namespace {

// Reads to_chars' scientific form "d.ddde±XX" into digits and point.
DecimalDigits fromScientific(std::string_view s) {
  DecimalDigits d;
  const size_t e = s.find('e');
  d.digits.push_back(s[0]);
  if (e > 2) d.digits.append(s.substr(2, e - 2));
  int exponent = 0;
  const char* from = s.data() + e + 1 + (s[e + 1] == '+' ? 1 : 0);
  std::from_chars(from, s.data() + s.size(), exponent);
  d.point = exponent + 1;
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  return d;
}

}  // namespace

DecimalDigits DecimalDigits::of(double magnitude) {
  if (!(magnitude > 0)) return {};
  // to_chars, not printf: the desktop runs under the user's locale. The shortest form first (fast,
  // and exact for the amounts spreadsheets hold, "1234.56"); past 15 digits it is rounded to 15,
  // unless it ends on a lone 5 at the 16th, where only the binary value's own digits can tell.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  DecimalDigits d = fromScientific(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  if (d.digits.size() <= 15) return d;
  if (d.digits.size() > 16 || d.digits[15] != '5') {
    d.roundTo(15 - d.point);
    return d;
  }
  r = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific, 14);
  return fromScientific(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

void DecimalDigits::shift(int places) {
  if (!zero()) point += places;
}

void DecimalDigits::roundTo(int places) {
  const long keep = static_cast<long>(point) + places;  // significant digits that stay
  if (keep >= static_cast<long>(digits.size())) return;
  if (keep < 0) {
    digits.clear();
    return;
  }
  const bool up = digits[static_cast<size_t>(keep)] >= '5';
  digits.resize(static_cast<size_t>(keep));
  if (up) {
    size_t i = digits.size();
    while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
    if (i == 0) {
      digits.insert(digits.begin(), '1');
      ++point;
    } else {
      ++digits[i - 1];
    }
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
}

std::string DecimalDigits::integerPart() const {
  if (zero() || point <= 0) return {};
  const size_t n = static_cast<size_t>(point);
  std::string out = digits.substr(0, n);
  out.append(n > out.size() ? n - out.size() : 0, '0');
  return out;
}

std::string DecimalDigits::fractionPart(int count) const {
  std::string out;
  for (int j = 0; j < count; ++j) {
    const long i = static_cast<long>(point) + j;
    out += !zero() && i >= 0 && i < static_cast<long>(digits.size()) ? digits[static_cast<size_t>(i)] : '0';
  }
  return out;
}

}  // namespace folio::ingest::office
