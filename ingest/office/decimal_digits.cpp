#include "ingest/office/decimal_digits.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace folio::ingest::office {

namespace {

// Reads to_chars' scientific form "d.ddde±XX" (at most 17 digits) into digits and point.
void fromScientific(const char* s, const char* end, DecimalDigits& d) {
  d.count = 0;
  d.buf[d.count++] = *s++;
  if (*s == '.') {
    for (++s; *s != 'e'; ++s) d.buf[d.count++] = *s;
  }
  ++s;  // 'e'
  const bool negative = *s == '-';
  ++s;
  int exponent = 0;
  for (; s < end; ++s) exponent = exponent * 10 + (*s - '0');
  d.point = (negative ? -exponent : exponent) + 1;
  while (d.count > 0 && d.buf[d.count - 1] == '0') --d.count;
}

}  // namespace

DecimalDigits DecimalDigits::of(double magnitude) {
  DecimalDigits d;
  if (!(magnitude > 0)) return d;
  // A whole number below 10^15 (ids, counts, dates' days): its own digits, which are also its
  // shortest form (below 2^53 doubles are at most 1 apart) and need no rounding.
  if (magnitude < 1e15 && static_cast<double>(static_cast<uint64_t>(magnitude)) == magnitude) {
    uint64_t v = static_cast<uint64_t>(magnitude);  // >= 1
    int zeros = 0;  // its trailing zeros, not kept
    while (v % 10 == 0) v /= 10, ++zeros;
    char tmp[20];
    int n = 0;
    for (; v > 0; v /= 10) tmp[n++] = static_cast<char>('0' + v % 10);
    d.point = n + zeros;
    while (n > 0) d.buf[d.count++] = tmp[--n];
    return d;
  }
  // to_chars, not printf: the desktop runs under the user's locale. The shortest form first (fast,
  // and exact for the amounts spreadsheets hold, "1234.56"); past 15 digits it is rounded to 15,
  // unless it ends on a lone 5 at the 16th, where only the binary value's own digits can tell.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  fromScientific(buf, r.ptr, d);
  if (d.count <= 15) return d;
  if (d.count > 16 || d.buf[15] != '5') {
    d.roundTo(15 - d.point);
    return d;
  }
  r = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific, 14);
  fromScientific(buf, r.ptr, d);
  return d;
}

void DecimalDigits::shift(int places) {
  if (!zero()) point += places;
}

void DecimalDigits::roundTo(int places) {
  const long keep = static_cast<long>(point) + places;  // significant digits that stay
  if (keep >= static_cast<long>(count)) return;
  if (keep < 0) {
    count = 0;
    return;
  }
  const bool up = buf[keep] >= '5';
  count = static_cast<int>(keep);
  if (up) {
    int i = count;
    while (i > 0 && buf[i - 1] == '9') buf[--i] = '0';
    if (i == 0) {  // 999 -> 1000: a single 1, the zeros after it trailing
      buf[0] = '1';
      count = 1;
      ++point;
      return;
    }
    ++buf[i - 1];
  }
  while (count > 0 && buf[count - 1] == '0') --count;
}

void DecimalDigits::appendIntegerPart(std::string& out) const {
  const size_t n = integerDigits();
  if (n == 0) return;
  const size_t have = std::min(n, static_cast<size_t>(count));
  out.append(buf, have);
  out.append(n - have, '0');
}

std::string DecimalDigits::integerPart() const {
  std::string out;
  appendIntegerPart(out);
  return out;
}

std::string DecimalDigits::fractionPart(int places) const {
  std::string out(places > 0 ? static_cast<size_t>(places) : 0, '0');
  for (int j = 0; j < places; ++j) out[static_cast<size_t>(j)] = fractionDigit(j);
  return out;
}

}  // namespace folio::ingest::office
