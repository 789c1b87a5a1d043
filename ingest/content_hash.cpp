#include "ingest/content_hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

namespace folio::ingest {
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ULL;

// Little-endian loads (the algorithm is defined on little-endian words).
uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
uint32_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

uint64_t round(uint64_t acc, uint64_t input) {
  acc += input * kP2;
  acc = std::rotl(acc, 31);
  return acc * kP1;
}

uint64_t mergeRound(uint64_t acc, uint64_t val) {
  acc ^= round(0, val);
  return acc * kP1 + kP4;
}

}  // namespace

Xxh64Stream::Xxh64Stream(uint64_t seed) : v_{seed + kP1 + kP2, seed + kP2, seed, seed - kP1}, seed_(seed) {}

void Xxh64Stream::update(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  total_ += bytes.size();
  auto stripe = [this](const char* s) {
    v_[0] = round(v_[0], load64(s));
    v_[1] = round(v_[1], load64(s + 8));
    v_[2] = round(v_[2], load64(s + 16));
    v_[3] = round(v_[3], load64(s + 24));
  };
  if (buffered_ > 0) {  // complete the stripe begun by the last piece
    const size_t take = std::min<size_t>(32 - buffered_, bytes.size());
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take;
    p += take;
    if (buffered_ < 32) return;
    stripe(buffer_);
    buffered_ = 0;
  }
  for (; end - p >= 32; p += 32) stripe(p);
  std::memcpy(buffer_, p, static_cast<size_t>(end - p));
  buffered_ = static_cast<size_t>(end - p);
}

uint64_t Xxh64Stream::digest() const {
  uint64_t h;
  if (total_ >= 32) {
    h = std::rotl(v_[0], 1) + std::rotl(v_[1], 7) + std::rotl(v_[2], 12) + std::rotl(v_[3], 18);
    for (const uint64_t v : v_) h = mergeRound(h, v);
  } else {
    h = seed_ + kP5;
  }
  h += total_;
  const char* p = buffer_;
  const char* const end = buffer_ + buffered_;
  while (p + 8 <= end) {
    h ^= round(0, load64(p));
    h = std::rotl(h, 27) * kP1 + kP4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= static_cast<uint64_t>(load32(p)) * kP1;
    h = std::rotl(h, 23) * kP2 + kP3;
    p += 4;
  }
  while (p < end) {
    h ^= static_cast<uint64_t>(static_cast<unsigned char>(*p)) * kP5;
    h = std::rotl(h, 11) * kP1;
    ++p;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

uint64_t xxh64(std::string_view bytes, uint64_t seed) {
  Xxh64Stream s(seed);
  s.update(bytes);
  return s.digest();
}

Result<std::string> fileContentHashHex(const std::filesystem::path& path, const std::atomic<bool>* cancel) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{errno == ENOENT ? ErrorKind::NotFound : ErrorKind::Io, path.string() + ": cannot open: " + std::strerror(errno)};
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Xxh64Stream s;
  std::string buffer(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = ioError(path.string() + ": read failed: " + std::strerror(errno));
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
      ::close(fd);
      return folio::cancelled(path.string() + ": stopped while hashing");
    }
    s.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return hashToHex(s.digest());
}

std::string hashToHex(uint64_t hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[hash & 0xF];
    hash >>= 4;
  }
  return out;
}

std::string contentHashHex(std::string_view bytes) { return hashToHex(xxh64(bytes)); }

}  // namespace folio::ingest
