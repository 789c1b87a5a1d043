// A streaming XML reader over expat for the parts of Office files (docx, odt). Element and attribute
// names are given without their namespace prefix ("w:p" -> "p"): Office parts use a handful of fixed
// namespaces, and matching local names keeps the readers short. Documents with a DOCTYPE are refused
// (no part of an Office file has one, and refusing them rules out entity-expansion bombs).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::office {

struct XmlAttributes {
  std::vector<std::pair<std::string_view, std::string_view>> items;  // (local name, value)
  // The value of the attribute with this local name, or `fallback`.
  std::string_view get(std::string_view name, std::string_view fallback = {}) const;
  bool has(std::string_view name) const;
};

struct XmlHandler {
  std::function<void(std::string_view name, const XmlAttributes& attributes)> start;
  std::function<void(std::string_view name)> end;
  std::function<void(std::string_view text)> text;  // character data, possibly in several pieces
};

// An attribute's integer value, or `fallback` when it is none.
int attributeInt(std::string_view value, int fallback);

// Leaves whole subtrees out while a reader walks a document: enter() on each start tag is false inside
// a left-out subtree and on the tag that starts one (`leave_out`); leave() on each end tag is false
// inside one and on the tag that ends it.
class SubtreeSkipper {
 public:
  bool enter(bool leave_out) {
    ++depth_;
    if (until_ >= 0) return false;
    if (leave_out) until_ = depth_;
    return !leave_out;
  }
  bool leave() {
    const bool skipping = until_ >= 0;
    if (until_ == depth_) until_ = -1;
    --depth_;
    return !skipping;
  }
  bool skipping() const { return until_ >= 0; }

 private:
  int depth_ = 0, until_ = -1;
};

// Parses `xml` and calls the handler. Errors name `part` and the line ("word/document.xml: line 3:
// mismatched tag").
Status parseXml(std::string_view xml, const std::string& part, const XmlHandler& handler);

}  // namespace folio::ingest::office
