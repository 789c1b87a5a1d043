// An Excel number format (ECMA-376 Part 1, 18.8.31; Microsoft's "Number format codes"), parsed once and
// applied to a cell's value, so a cell reads as Excel shows it: "$1,250,000.00", "(1,234.50)", "00501",
// "1.50E+06", "12 3/4", "€ 1,234.56", "1.3M". Up to four sections (positive; negative; zero; text),
// chosen by sign or by [conditions]; digit placeholders 0 # ?, grouping and scaling commas, percent,
// scientific, fractions, quoted and escaped literals, [$€-407] currency symbols. Colours, locale tags,
// fills (*x) are dropped; _x pads with a space, and spaces at either end of a cell are trimmed.
//
// Where Folio departs from Excel's screen on purpose: dates and times read as ISO 8601 (sheet_values.h),
// General shows up to 15 significant digits (Excel's formula bar; a narrow column shows fewer), and
// numbers use the en-US separators ("1,234.56") whatever the [$-407] tag or the reader's locale.
//
// Untrusted input: a code that is malformed (an unclosed quote or bracket) or longer than
// kMaxFormatCode reads as General, and so does a value whose text would pass kMaxDisplay bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/number_section.h"

namespace folio::ingest::office {

class NumberFormat {
 public:
  static constexpr size_t kMaxFormatCode = 1024;  // Excel's own limit is 255 characters
  static constexpr size_t kMaxDisplay = 512;

  NumberFormat() = default;  // General
  static NumberFormat parse(std::string_view code);
  // Excel's built-in format `id` (0-49) as en-US Excel shows it; the CJK date ids (27-36, 50-58) as
  // a date; an unknown id as General.
  static NumberFormat builtin(int id);

  // A number as a cell in this format shows it. `date1904`: the workbook counts days from 1904.
  std::string number(double value, bool date1904) const;
  // A text cell as this format shows it (its text section: `@` stands for the text).
  std::string text(std::string_view value) const;
  // False when text() changes nothing (no text section, or one that is "@" alone): callers skip it.
  bool formatsText() const { return formats_text_; }

 private:
  const NumberSection* choose(double value, bool& drop_sign) const;

  std::vector<NumberSection> sections_;  // for numbers; none: General
  NumberSection text_section_;
  bool has_text_section_ = false, formats_text_ = false, conditional_ = false;
};

// The code of Excel's built-in format `id` as en-US Excel writes it, or empty.
std::string_view builtinFormatCode(int id);

}  // namespace folio::ingest::office
