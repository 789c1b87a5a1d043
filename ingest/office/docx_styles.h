// The paragraph styles of a Word document (word/styles.xml), as far as text extraction needs them:
// which styles are headings (their outline level), which carry list numbering, and which are
// table-of-contents entries. Properties are inherited along w:basedOn.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/common/result.h"

namespace folio::ingest::office {

struct StyleNumbering {
  std::string num_id;
  int level = -1;  // -1: not given by the style (the list's level that names the style, else 0)
};

class DocxStyles {
 public:
  static Result<DocxStyles> parse(std::string_view xml, const std::string& part);

  // 0-based outline level (0 = Heading 1, and the Title style) or -1 for body text.
  int outlineLevel(const std::string& style_id) const;
  std::optional<StyleNumbering> numbering(const std::string& style_id) const;
  bool isTableOfContents(const std::string& style_id) const;  // "toc 1" … "toc 9"
  bool isTitle(const std::string& style_id) const;
  const std::string& defaultParagraphStyle() const { return default_paragraph_; }

 private:
  struct Style {
    std::string name;  // lower case ("heading 1")
    std::string based_on;
    int outline_level = -1;
    std::optional<StyleNumbering> numbering;
  };
  // The style and its ancestors, nearest first, stopping at a cycle or after 16.
  template <class F>
  auto firstAlongChain(const std::string& style_id, F&& pick) const -> decltype(pick(std::declval<const Style&>()));

  std::unordered_map<std::string, Style> styles_;
  std::string default_paragraph_;  // the style of paragraphs that name none
};

}  // namespace folio::ingest::office
