// OpenDocument list and heading numbering. Like Word's, the numbers are not in the text: a list's
// style says how each level is written (format, prefix, suffix, how many parent levels it shows) and
// the document's outline style numbers its headings. Unlike Word, each top-level list counts on its own
// unless it continues an earlier one (text:continue-numbering, text:continue-list).
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "ingest/office/docx_numbering.h"

namespace folio::ingest::office {

struct OdtLevelStyle {
  bool defined = false;
  bool bullet = false;
  std::string bullet_char;
  NumberFormat format = NumberFormat::Decimal;
  std::string prefix, suffix;
  int display_levels = 1;
  int start = 1;
};

using OdtListStyle = std::array<OdtLevelStyle, 10>;  // levels 1..10 at [0..9]

class OdtNumbering {
 public:
  // Reads the list styles and the outline style of a part (content.xml's automatic styles,
  // styles.xml's); call for each part.
  Status addStyles(std::string_view xml, const std::string& part);

  // A top-level text:list starts: a new count unless it continues an earlier list (by xml:id, or the
  // last one of its style). Nested lists continue their top-level list.
  void beginList(const std::string& style, const std::string& id, const std::string& continue_id, bool continue_numbering);
  void endList();
  // A text:list-item at the current nesting level (start_value > 0: its number); returns its label.
  std::string listItem(int start_value);
  // A numbered heading of outline level (1-based); "" where the outline style numbers none.
  std::string heading(int level);

 private:
  struct Count {
    std::string style;
    std::array<int, 10> value{};
    std::array<bool, 10> used{};
  };
  std::string label(const OdtListStyle& style, const Count& count, int level) const;

  std::map<std::string, OdtListStyle> list_styles_;
  OdtListStyle outline_style_{};
  Count outline_;
  std::vector<Count> counts_;
  std::map<std::string, size_t> by_id_;
  struct Open {
    size_t count;
    std::string style;
  };
  std::vector<Open> open_;  // the text:list elements open, outermost first
};

}  // namespace folio::ingest::office
