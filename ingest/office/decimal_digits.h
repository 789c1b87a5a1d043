// A cell's number as the decimal digits Excel works with: at most 15 significant digits, so that
// 2.675 (stored as 2.67499999999999982…) rounds to "2.68" as Excel shows it, and 0.125 × 100 is 12.5
// exactly. Rounding is half away from zero on those digits.
#pragma once

#include <string>

namespace folio::ingest::office {

struct DecimalDigits {
  std::string digits;  // significant digits without leading or trailing zeros; empty for 0
  int point = 0;       // the value is 0.<digits> × 10^point

  // A finite value's magnitude.
  static DecimalDigits of(double magnitude);
  bool zero() const { return digits.empty(); }
  // × 10^places (a percent sign: +2; a scaling comma: -3).
  void shift(int places);
  // Rounds to `places` digits after the decimal point (negative: to tens, hundreds…).
  void roundTo(int places);
  // The digits before the decimal point, "" for none ("1250" of 1250.5).
  std::string integerPart() const;
  // The first `count` digits after the decimal point, zeros past the last.
  std::string fractionPart(int count) const;
};

}  // namespace folio::ingest::office
