#include "ingest/office/sheet_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace folio::ingest::office {
namespace {

// Days from 1970-01-01 to year/month/day in the proleptic Gregorian calendar (Howard Hinnant's
// algorithm, inverted below).
void civilFromDays(long long z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long year = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(year + (m <= 2));
}

// Writes `v` with at least `width` digits (leading zeros), as printf's "%0*lld" does for v >= 0.
void putPadded(std::string& out, long long v, int width) {
  char tmp[24];
  int n = 0;
  const bool negative = v < 0;
  unsigned long long u = negative ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u > 0);
  if (negative) out += '-', --width;
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += tmp[--n];
}

}  // namespace

std::string generalNumber(double value) {
  if (value == 0) return "0";
  // A whole number below 10^15 is its own digits (what "%.15g" writes), without to_chars.
  if (value > -1e15 && value < 1e15 && static_cast<double>(static_cast<long long>(value)) == value) {
    std::string out;
    putPadded(out, static_cast<long long>(value), 1);
    return out;
  }
  // to_chars, not printf: the desktop runs under the user's locale, whose decimal point may be a comma.
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 15);
  for (char* p = buf; p < r.ptr; ++p)
    if (*p == 'e') *p = 'E';  // Excel's "1E+15", not "1e+15"
  return std::string(buf, r.ptr);
}

std::string formatCellNumber(double value, ValueFormat format, bool date1904) {
  if (format == ValueFormat::General || !(value >= 0 && value <= 2958465.99999)) return generalNumber(value);  // past 9999-12-31
  // Whole seconds of the day, rounded as Excel rounds them for display.
  long long days = static_cast<long long>(std::floor(value));
  long long seconds = std::llround((value - static_cast<double>(days)) * 86400.0);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  std::string out;
  if (format != ValueFormat::Time) {
    // Day 0 is 1899-12-31 in Excel's 1900 system, which also counts a 29 February 1900 that never was
    // (day 60): from day 61 on, days are counted from 1899-12-30.
    long long unix_days;
    if (date1904) {
      unix_days = days - 24107;  // 1904-01-01 is day 0
    } else if (days == 60) {
      return seconds == 0 || format == ValueFormat::Date ? "1900-02-29" : "1900-02-29 " + generalNumber(value);
    } else {
      unix_days = days - (days > 60 ? 25569 : 25568);
    }
    int y;
    unsigned m, d;
    civilFromDays(unix_days, y, m, d);
    putPadded(out, y, 4);
    out += '-';
    putPadded(out, m, 2);
    out += '-';
    putPadded(out, d, 2);
    if (format == ValueFormat::Date) return out;
    out += ' ';
  }
  putPadded(out, seconds / 3600, 2);
  out += ':';
  putPadded(out, seconds / 60 % 60, 2);
  if (seconds % 60 != 0) {
    out += ':';
    putPadded(out, seconds % 60, 2);
  }
  return out;
}

}  // namespace folio::ingest::office
