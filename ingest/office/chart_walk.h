// What both chart readers (ooxml_chart.h, chartex_chart.h) keep while they walk a chart part: the open
// elements (so a reader can ask for an element's parent and depth), the subtrees left out, and the
// string the character data of the element being read goes to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

class ChartWalk {
 public:
  virtual ~ChartWalk() = default;
  XmlHandler handler();

 protected:
  virtual bool leftOut(std::string_view element) const = 0;
  // An element opened; it is path's last.
  virtual void start(std::string_view element, const XmlAttributes& a) = 0;
  // The element at `depth` closes (still path's last).
  virtual void end(size_t depth) = 0;

  std::string_view parent() const { return path_.size() >= 2 ? std::string_view(path_[path_.size() - 2]) : ""; }
  size_t depth() const { return path_.size(); }
  // The text of the element just opened goes to `to`, up to `limit` bytes.
  void captureInto(std::string& to, size_t limit);

 private:
  SubtreeSkipper skip_;
  std::vector<std::string> path_;
  std::string* capture_ = nullptr;
  size_t capture_depth_ = 0, limit_ = 0;
};

}  // namespace folio::ingest::office
