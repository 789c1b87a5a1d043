// The number formats of a workbook's cell styles (.xlsx cellXfs, .xls XF records), each format code
// parsed once however many styles and cells use it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/number_format.h"

namespace folio::ingest::office {

class CellFormats {
 public:
  CellFormats() = default;
  // `codes`: the format codes the workbook defines, by id (one for a built-in id replaces it);
  // `style_formats`: each style's format id, in style order.
  CellFormats(const std::map<int, std::string>& codes, const std::vector<int>& style_formats);

  // A cell of style `style` (an unknown one: General).
  const NumberFormat& style(size_t style) const;
  std::string number(double value, size_t style, bool date1904) const { return this->style(style).number(value, date1904); }
  std::string text(std::string_view value, size_t style) const {
    const NumberFormat& f = this->style(style);
    return f.formatsText() ? f.text(value) : std::string(value);
  }
  size_t distinctFormats() const { return formats_.size(); }

 private:
  std::vector<NumberFormat> formats_;  // distinct ones, by first use
  std::vector<uint32_t> styles_;       // style -> index in formats_
  NumberFormat general_;
};

}  // namespace folio::ingest::office
