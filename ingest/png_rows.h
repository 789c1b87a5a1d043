// A PNG's image data, inflated, as rows: each row's filter undone (PNG's five: none, sub, up, average,
// Paeth), and Adam7 interlacing undone — its data holds seven passes, each a smaller image of every 8th,
// 4th or 2nd pixel with rows of their own filters, while a PDF's PNG predictor reads rows of the whole
// image only, so an interlaced PNG is put in row order before it is embedded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest {

// Undoes `filter` (0-4) on one row: `in` its filtered bytes, `prev` the row above unfiltered (zeros for
// the first), `bpp` the bytes of a pixel (at least 1). False for an unknown filter.
bool unfilterRow(unsigned char filter, const unsigned char* in, const std::vector<unsigned char>& prev,
                 std::vector<unsigned char>& row, size_t bpp);

// The size of the seven passes' data for a w x h image of `bits_per_pixel` (1, 2, 4, 8, 16, 24, 32, 48,
// 64): each pass row's filter byte and samples.
uint64_t adam7Bytes(uint32_t w, uint32_t h, int bits_per_pixel);

// `passes` (exactly adam7Bytes long) unfiltered and gathered into the whole image's rows, each led by
// filter byte 0 (none). An unknown filter type is an error naming `name`.
Result<std::string> deinterlacedRows(std::string_view passes, uint32_t w, uint32_t h, int bits_per_pixel,
                                     const std::string& name);

}  // namespace folio::ingest
