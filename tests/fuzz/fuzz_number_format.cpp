// Fuzzes Excel number formats (ingest/office/number_format.h): the input up to a NUL byte is a format
// code, after it a text value, then 8-byte doubles; each value, and awkward ones (0, negatives, halves,
// 1e15, 1e308, tiny, NaN), is written in the format. Checks: nothing crashes, a number's text is at
// most kMaxDisplay bytes (or General's), and text from a valid UTF-8 code and value is valid UTF-8.
// fuzz-link: folio_ingest
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/number_format.h"
#include "ingest/utf8_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  using folio::ingest::office::NumberFormat;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nul = in.find('\0');
  const std::string_view code = in.substr(0, nul);
  const std::string_view rest = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  const size_t nul2 = rest.find('\0');
  const std::string_view text = rest.substr(0, nul2);
  const std::string_view numbers = nul2 == std::string_view::npos ? std::string_view() : rest.substr(nul2 + 1);

  const NumberFormat format = NumberFormat::parse(code);
  std::vector<double> values = {0, 1, -1, 0.5, -0.5, 2.675, 1234.5678, -1234.5, 1e15, -1e15, 1e308, -1e308, 4.9e-324,
                                1e-7, 123456789012345678.0, 45352.604166666664, std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN()};
  for (size_t i = 0; i + 8 <= numbers.size() && values.size() < 64; i += 8) {
    double v;
    std::memcpy(&v, numbers.data() + i, 8);
    values.push_back(v);
  }
  const bool valid = folio::ingest::isValidUtf8(code) && folio::ingest::isValidUtf8(text);
  for (const double v : values) {
    for (const bool date1904 : {false, true}) {
      const std::string shown = format.number(v, date1904);
      if (shown.size() > NumberFormat::kMaxDisplay && shown.size() > 32) std::abort();
      if (valid && !folio::ingest::isValidUtf8(shown)) std::abort();
    }
  }
  const std::string shown_text = format.text(text);
  if (valid && !folio::ingest::isValidUtf8(shown_text)) std::abort();
  if (!format.formatsText() && shown_text != text) std::abort();
  return 0;
}
