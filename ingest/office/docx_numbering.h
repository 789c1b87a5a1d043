// Word's automatic numbering (word/numbering.xml). Clause numbers in a Word contract ("5.2", "(a)",
// "Article IV") are not in the text: Word computes them from list definitions as it lays the document
// out. This replays that computation in document order, so the extracted text reads as the lawyer
// sees it on screen and the legal chunker finds its clauses.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/common/result.h"
#include "ingest/office/docx_styles.h"

namespace folio::ingest::office {

enum class NumberFormat { Decimal, DecimalZero, LowerLetter, UpperLetter, LowerRoman, UpperRoman, Ordinal, Bullet, None };

struct NumberingLevel {
  int start = 1;
  NumberFormat format = NumberFormat::Decimal;
  std::string text;           // w:lvlText: "%1.%2." (a bullet level: its character)
  bool space_after = true;    // w:suff tab or space (not "nothing")
  bool legal = false;         // w:isLgl: every level shown as a decimal number
  int restart_after = -1;     // w:lvlRestart (1-based level; 0 never); -1: after any higher level
  std::string style;          // w:pStyle: the paragraph style this level belongs to
};

// A bullet's character as text: Word's and LibreOffice's bullets are mostly private-use code points of
// the Symbol and Wingdings fonts (U+F0B7), which mean nothing as text; they read as "•".
std::string bulletText(const std::string& text);

// A list's start value from an attribute: kept within 0..1,000,000, so that counting on from a hostile
// one cannot overflow.
int listNumberAttribute(std::string_view value, int fallback);

// How a number is written in `format` ("4", "iv", "d", "04", "4th"); empty for bullets and none.
std::string formatNumber(int value, NumberFormat format);

class DocxNumbering {
 public:
  static Result<DocxNumbering> parse(std::string_view xml, const std::string& part);

  // Lists read from another format (Word 97-2003 LSTs and LFOs, doc_lists.h) rather than numbering.xml:
  // an abstract list's levels, and a list that numbers by one with its overrides.
  void addAbstract(const std::string& abstract_id, const std::array<std::optional<NumberingLevel>, 9>& levels);
  void addInstance(const std::string& num_id, const std::string& abstract_id, std::map<int, int> start_overrides,
                   std::map<int, NumberingLevel> level_overrides);

  // The label of the next paragraph of list `num_id` at `level` ("5.2.", "(a)", "•"), counting it:
  // call once per numbered paragraph, in document order. Empty for an unknown list or numbering off.
  // `styles` resolves lists that link to a numbering style.
  std::string next(const std::string& num_id, int level, const DocxStyles& styles);

  // The level of list `num_id` that names paragraph style `style_id`, or -1.
  int levelForStyle(const std::string& num_id, const std::string& style_id, const DocxStyles& styles) const;

  // Whether the label is followed by a space (false for w:suff "nothing").
  bool spaceAfter(const std::string& num_id, int level, const DocxStyles& styles) const;

 private:
  struct Abstract {
    std::array<std::optional<NumberingLevel>, 9> levels;
    std::string num_style_link;  // levels defined by the list of this numbering style
  };
  struct Instance {
    std::string abstract_id;
    std::map<int, int> start_overrides;
    std::map<int, NumberingLevel> level_overrides;
  };
  struct Counters {
    std::array<int, 9> value{};
    std::array<bool, 9> used{};
  };
  // The abstract list whose levels `num_id` uses (following one numbering-style link) and its id.
  const Abstract* resolve(const std::string& num_id, const DocxStyles& styles, std::string* abstract_id) const;
  const NumberingLevel* levelOf(const std::string& num_id, int level, const DocxStyles& styles) const;

  std::unordered_map<std::string, Abstract> abstracts_;
  std::unordered_map<std::string, Instance> instances_;
  std::unordered_map<std::string, Counters> counters_;  // by abstract list: lists sharing one continue it
  std::unordered_set<std::string> started_;              // "numId level" whose start override was applied
};

}  // namespace folio::ingest::office
