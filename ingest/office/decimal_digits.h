// A cell's number as the decimal digits Excel works with: at most 15 significant digits, so that
// 2.675 (stored as 2.67499999999999982…) rounds to "2.68" as Excel shows it, and 0.125 × 100 is 12.5
// exactly. Rounding is half away from zero on those digits. The digits live in the object (no
// allocation): a cell is formatted without touching the heap for them.
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest::office {

struct DecimalDigits {
  static constexpr int kCapacity = 24;  // to_chars' shortest form has at most 17; of() keeps 15
  char buf[kCapacity] = {};
  int count = 0;  // significant digits in buf, without leading or trailing zeros; 0 for 0
  int point = 0;  // the value is 0.<digits> × 10^point

  // A finite value's magnitude.
  static DecimalDigits of(double magnitude);
  bool zero() const { return count == 0; }
  std::string_view digits() const { return {buf, static_cast<size_t>(count)}; }
  // × 10^places (a percent sign: +2; a scaling comma: -3).
  void shift(int places);
  // Rounds to `places` digits after the decimal point (negative: to tens, hundreds…).
  void roundTo(int places);
  // The digits before the decimal point, "" for none ("1250" of 1250.5).
  std::string integerPart() const;
  void appendIntegerPart(std::string& out) const;
  size_t integerDigits() const { return zero() || point <= 0 ? 0 : static_cast<size_t>(point); }
  // Digit `i` of the number's decimal places counted from the first after the point ('0' past the last).
  char fractionDigit(long i) const {
    const long at = static_cast<long>(point) + i;
    return at >= 0 && at < count ? buf[at] : '0';
  }
  // Digit `i` of the integer part (0: the leftmost), for i < integerDigits().
  char integerDigit(size_t i) const { return i < static_cast<size_t>(count) ? buf[i] : '0'; }
  // The first `count` digits after the decimal point, zeros past the last.
  std::string fractionPart(int places) const;
};

}  // namespace folio::ingest::office
