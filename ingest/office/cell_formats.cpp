#include "ingest/office/cell_formats.h"

namespace folio::ingest::office {

CellFormats::CellFormats(const std::map<int, std::string>& codes, const std::vector<int>& style_formats) {
  std::map<int, uint32_t> parsed;  // format id -> index in formats_
  styles_.reserve(style_formats.size());
  for (const int id : style_formats) {
    auto [at, fresh] = parsed.try_emplace(id, static_cast<uint32_t>(formats_.size()));
    if (fresh) {
      const auto code = codes.find(id);
      formats_.push_back(code != codes.end() ? NumberFormat::parse(code->second) : NumberFormat::builtin(id));
    }
    styles_.push_back(at->second);
  }
}

const NumberFormat& CellFormats::style(size_t style) const {
  return style < styles_.size() ? formats_[styles_[style]] : general_;
}

}  // namespace folio::ingest::office
