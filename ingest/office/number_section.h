// One section of an Excel number format ("#,##0.00_)" of "#,##0.00_);(#,##0.00)"): its tokens, read
// once, and how it writes a value's magnitude (the caller writes or leaves out the sign, number_format.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/sheet_values.h"

namespace folio::ingest::office {

struct FormatToken {
  enum Kind : uint8_t {
    Literal,      // text: quoted, escaped, a currency symbol, a "_x" space, other characters
    Digit,        // c: '0', '#' or '?'
    Point,        // the decimal point
    Percent,      // '%': shown, and the value × 100
    Exponent,     // "E+"/"E-" (c: '+' or '-'); text: the letter as written, then its digit placeholders
    FractionBar,  // '/' between a numerator and a denominator; text: a fixed denominator's digits, if any
    TextAt,       // '@': the cell's text
    General,      // "General" inside a section
    DatePart,     // text: a run of one date/time letter ("yyyy", "mm") or "AM/PM"
    Elapsed,      // text: "h", "mm", "ss": an elapsed-time bracket ([h], [mm], [ss])
    Comma,        // ',' before it is resolved into grouping, scaling or a literal
  };
  Kind kind = Literal;
  char c = 0;
  std::string text;
};

struct FormatCondition {
  enum Op : uint8_t { None, Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };
  Op op = None;
  double limit = 0;
  bool holds(double v) const;
};

enum class SectionKind : uint8_t { Number, Scientific, Fraction, Date, Elapsed, Text };

struct NumberSection {
  std::vector<FormatToken> tokens;
  SectionKind kind = SectionKind::Number;
  FormatCondition condition;
  ValueFormat date_kind = ValueFormat::Date;  // for a Date section
  bool grouping = false;   // thousands separators ("#,##0")
  int shift = 0;           // decimal places the value moves: +2 per '%', -3 per scaling comma
  std::string int_places;  // the integer part's placeholders ("#0" of "#,##0.00"); a fraction's whole part
  std::string frac_places; // the decimal places' placeholders ("00"); a fraction's numerator's
  std::string denom_places;  // a fraction's denominator's placeholders ("??"), empty when it is fixed
  long long fixed_denominator = 0;
  bool has_text_at = false;
  bool int_together = false;  // nothing stands between the integer part's placeholders ("#,##0", not "000-00-0000")

  // The sections of `code` (at most 4). False when the code is malformed: an unclosed quote or bracket.
  static bool parseAll(std::string_view code, std::vector<NumberSection>& out);

  // |value| in a Number, Scientific, Fraction or Elapsed section; Date sections are written by
  // formatCellNumber. Empty when nothing fits (the caller falls back to General).
  std::string render(double magnitude) const;
  // A text value in a text section: its literals, with `text` for '@'.
  std::string renderText(std::string_view text) const;

 private:
  void resolve();
  std::string renderFixed(double magnitude) const;
  std::string renderScientific(double magnitude) const;
  std::string renderFraction(double magnitude) const;
  std::string renderElapsed(double magnitude) const;
};

}  // namespace folio::ingest::office
