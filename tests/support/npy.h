// Reads NumPy .npy files (format 1.0/2.0, little-endian float32 or float64, C order) for the tests,
// e.g. the golden logits under tests/fixtures/golden/. The writer is engine/common/npy_writer.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace folio::test {

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major; float64 files are rounded to float32
  std::string error;        // empty on success, else what is wrong (names the file)

  bool ok() const { return error.empty(); }
  int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
  int64_t cols() const { return shape.size() < 2 ? 1 : shape[1]; }
};

NpyArray readNpy(const std::filesystem::path& path);
NpyArray parseNpy(const std::string& bytes, const std::string& source);

}  // namespace folio::test
