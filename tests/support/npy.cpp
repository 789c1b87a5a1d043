#include "support/npy.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace folio::test {

NpyArray parseNpy(const std::string& b, const std::string& source) {
  NpyArray out;
  auto fail = [&](const std::string& what) {
    out = NpyArray{};
    out.error = source + ": " + what;
    return out;
  };
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) return fail("not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(b[6]);
  size_t header_len = 0, at = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(b[8]) | static_cast<size_t>(static_cast<unsigned char>(b[9])) << 8;
    at = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) return fail("truncated header");
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    at = 12;
  } else {
    return fail("unsupported .npy version " + std::to_string(major));
  }
  if (header_len > b.size() - at) return fail("header length past the end of the file");
  const std::string header = b.substr(at, header_len);
  at += header_len;
  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'"))) return fail("no descr");
  const std::string descr = m[1];
  if (descr != "<f4" && descr != "<f8") return fail("unsupported dtype " + descr + " (want <f4 or <f8)");
  if (!std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*(True|False)"))) return fail("no fortran_order");
  if (m[1] == "True") return fail("Fortran order is not supported");
  if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)"))) return fail("no shape");
  std::stringstream dims(m[1].str());
  std::string item;
  int64_t count = 1;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(" ") == std::string::npos) continue;
    const int64_t d = std::stoll(item);
    if (d < 0) return fail("negative dimension");
    out.shape.push_back(d);
    count *= d;
  }
  const size_t esize = descr == "<f4" ? 4 : 8;
  if (b.size() - at != static_cast<size_t>(count) * esize) {
    return fail("data is " + std::to_string(b.size() - at) + " bytes, the shape needs " +
                std::to_string(static_cast<size_t>(count) * esize));
  }
  out.data.resize(static_cast<size_t>(count));
  if (esize == 4) {
    std::memcpy(out.data.data(), b.data() + at, out.data.size() * 4);
  } else {
    for (size_t i = 0; i < out.data.size(); ++i) {
      double v;
      std::memcpy(&v, b.data() + at + 8 * i, 8);
      out.data[i] = static_cast<float>(v);
    }
  }
  return out;
}

NpyArray readNpy(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    NpyArray out;
    out.error = path.string() + ": cannot open";
    return out;
  }
  std::ostringstream s;
  s << f.rdbuf();
  return parseNpy(s.str(), path.string());
}

}  // namespace folio::test
