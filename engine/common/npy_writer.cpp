#include "engine/common/npy_writer.h"

#include <bit>
#include <cstring>

#include "engine/common/check.h"
#include "engine/common/file_io.h"

namespace folio {

std::string encodeNpyF32(const float* data, int64_t rows, int64_t cols) {
  static_assert(std::endian::native == std::endian::little, "the .npy writer assumes a little-endian host");
  FOLIO_CHECK(rows >= 0 && cols >= 0);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  // magic (6) + version (2) + header length (2) + dict + padding + '\n' is a multiple of 64
  const size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  FOLIO_CHECK(dict.size() <= 0xffff);
  std::string out;
  const size_t payload = static_cast<size_t>(rows) * static_cast<size_t>(cols) * sizeof(float);
  out.reserve(10 + dict.size() + payload);
  out.append("\x93NUMPY", 6);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(static_cast<char>(dict.size() & 0xff));
  out.push_back(static_cast<char>(dict.size() >> 8));
  out += dict;
  const size_t at = out.size();
  out.resize(at + payload);
  if (payload) std::memcpy(out.data() + at, data, payload);
  return out;
}

Status writeNpyF32(const std::filesystem::path& path, const float* data, int64_t rows, int64_t cols) {
  return writeFileAtomic(path, encodeNpyF32(data, rows, cols));
}

}  // namespace folio
