#include "ingest/png_rows.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

namespace folio::ingest {
namespace {

struct Pass {
  uint32_t x0, y0, dx, dy;
};
constexpr std::array<Pass, 7> kAdam7{{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}};

uint32_t count(uint32_t size, uint32_t start, uint32_t step) { return size > start ? (size - start + step - 1) / step : 0; }

uint64_t rowBytes(uint64_t pixels, int bits_per_pixel) { return (pixels * static_cast<uint64_t>(bits_per_pixel) + 7) / 8; }

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// The `bits`-wide sample (1, 2 or 4 bits) at index i of a packed row, most significant first.
unsigned packedAt(const unsigned char* row, uint64_t i, int bits) {
  const uint64_t bit = i * static_cast<uint64_t>(bits);
  return (row[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
}

void setPacked(unsigned char* row, uint64_t i, int bits, unsigned value) {
  const uint64_t bit = i * static_cast<uint64_t>(bits);
  const int shift = 8 - bits - static_cast<int>(bit % 8);
  row[bit / 8] = static_cast<unsigned char>((row[bit / 8] & ~(((1u << bits) - 1) << shift)) | (value << shift));
}

}  // namespace

bool unfilterRow(unsigned char filter, const unsigned char* in, const std::vector<unsigned char>& prev,
                 std::vector<unsigned char>& row, size_t bpp) {
  if (filter > 4) return false;
  for (size_t x = 0; x < row.size(); ++x) {
    const int a = x >= bpp ? row[x - bpp] : 0, up = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
    const int predicted = filter == 1 ? a : filter == 2 ? up : filter == 3 ? (a + up) / 2 : filter == 4 ? paeth(a, up, c) : 0;
    row[x] = static_cast<unsigned char>(in[x] + predicted);
  }
  return true;
}

uint64_t adam7Bytes(uint32_t w, uint32_t h, int bits_per_pixel) {
  uint64_t total = 0;
  for (const Pass& p : kAdam7) {
    const uint32_t pw = count(w, p.x0, p.dx), ph = count(h, p.y0, p.dy);
    if (pw > 0 && ph > 0) total += static_cast<uint64_t>(ph) * (1 + rowBytes(pw, bits_per_pixel));
  }
  return total;
}

Result<std::string> deinterlacedRows(std::string_view passes, uint32_t w, uint32_t h, int bits_per_pixel,
                                     const std::string& name) {
  if (passes.size() != adam7Bytes(w, h, bits_per_pixel)) {
    return badInput(name + ": damaged PNG (its interlaced data is not the size of its passes)");
  }
  const uint64_t stride = rowBytes(w, bits_per_pixel);
  const size_t bpp = static_cast<size_t>(std::max(1, bits_per_pixel / 8));  // the filters' byte distance
  std::string out(static_cast<size_t>((stride + 1) * h), '\0');              // filter 0 before each row
  auto* image = reinterpret_cast<unsigned char*>(out.data());
  size_t at = 0;
  for (const Pass& p : kAdam7) {
    const uint32_t pw = count(w, p.x0, p.dx), ph = count(h, p.y0, p.dy);
    if (pw == 0 || ph == 0) continue;
    const size_t pass_stride = static_cast<size_t>(rowBytes(pw, bits_per_pixel));
    std::vector<unsigned char> prev(pass_stride, 0), row(pass_stride);
    for (uint32_t r = 0; r < ph; ++r) {
      const auto filter = static_cast<unsigned char>(passes[at]);
      const auto* in = reinterpret_cast<const unsigned char*>(passes.data()) + at + 1;
      if (!unfilterRow(filter, in, prev, row, bpp)) {
        return badInput(name + ": damaged PNG (filter type " + std::to_string(filter) + ")");
      }
      at += 1 + pass_stride;
      // The pass row's pixels to their places in the image's row y.
      const uint64_t y = p.y0 + static_cast<uint64_t>(r) * p.dy;
      unsigned char* dst = image + y * (stride + 1) + 1;
      for (uint32_t i = 0; i < pw; ++i) {
        const uint64_t x = p.x0 + static_cast<uint64_t>(i) * p.dx;
        if (bits_per_pixel < 8) {
          setPacked(dst, x, bits_per_pixel, packedAt(row.data(), i, bits_per_pixel));
        } else {
          const size_t n = static_cast<size_t>(bits_per_pixel / 8);
          std::copy_n(row.data() + i * n, n, dst + x * n);
        }
      }
      prev.swap(row);
    }
  }
  return out;
}

}  // namespace folio::ingest
