// The style sheet of a Word 97-2003 document ([MS-DOC] 2.9.271 STSH): each paragraph names its style by
// index (istd); styles give headings their outline level (the built-in Heading 1..9, or sprmPOutLvl),
// may carry list numbering, and inherit from a base style.
//
// Untrusted input: read within the STSH's bytes; base chains stop at a cycle or after 16 styles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/doc_fib.h"
#include "ingest/office/doc_properties.h"

namespace folio::ingest::office {

class DocStyles {
 public:
  static DocStyles parse(std::string_view table, FcLcb stshf);

  // The paragraph properties style `istd` gives, its base styles' included.
  ParagraphProperties properties(uint16_t istd) const;
  // 0-based outline level (0 = Heading 1, and the Title style) or -1 for body text.
  int outlineLevel(uint16_t istd) const;
  bool isTitle(uint16_t istd) const;
  bool isTableOfContents(uint16_t istd) const;  // "toc 1" … "toc 9"
  size_t size() const { return styles_.size(); }

 private:
  struct Style {
    bool present = false;
    uint16_t sti = 0x0FFE;       // built-in style identifier (0x0FFE: user-defined)
    uint16_t base = 0x0FFF;      // istdBase (0x0FFF: none)
    std::string name;            // lower case UTF-8
    ParagraphProperties own;     // its paragraph sprms only
  };
  const Style* find(uint16_t istd) const { return istd < styles_.size() && styles_[istd].present ? &styles_[istd] : nullptr; }
  std::vector<Style> styles_;
};

}  // namespace folio::ingest::office
