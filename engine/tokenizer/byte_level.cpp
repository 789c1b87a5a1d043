#include "engine/tokenizer/byte_level.h"

#include "engine/tokenizer/utf8.h"

namespace folio::engine::byte_level {
namespace {

constexpr bool isPrintableByte(unsigned b) {
  return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
}

constexpr std::array<uint16_t, 256> makeByteToCodePoint() {
  std::array<uint16_t, 256> cps{};
  unsigned next = 256;
  for (unsigned b = 0; b < 256; ++b) cps[b] = static_cast<uint16_t>(isPrintableByte(b) ? b : next++);
  return cps;
}

constexpr std::array<uint16_t, 256> kByteToCodePoint = makeByteToCodePoint();
constexpr unsigned kMaxCodePoint = 256 + 68;  // 68 bytes are not printable

constexpr std::array<int16_t, kMaxCodePoint> makeCodePointToByte() {
  std::array<int16_t, kMaxCodePoint> bytes{};
  for (auto& b : bytes) b = -1;
  for (unsigned b = 0; b < 256; ++b) bytes[kByteToCodePoint[b]] = static_cast<int16_t>(b);
  return bytes;
}

constexpr std::array<int16_t, kMaxCodePoint> kCodePointToByte = makeCodePointToByte();

// The UTF-8 of each byte's character, precomputed: 1 or 2 bytes (all code points are below U+0800).
struct EncodedByte {
  char bytes[2];
  uint8_t length;
};

constexpr std::array<EncodedByte, 256> makeEncodedBytes() {
  std::array<EncodedByte, 256> out{};
  for (unsigned b = 0; b < 256; ++b) {
    const unsigned cp = kByteToCodePoint[b];
    if (cp < 0x80) {
      out[b] = {{static_cast<char>(cp), 0}, 1};
    } else {
      out[b] = {{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))}, 2};
    }
  }
  return out;
}

constexpr std::array<EncodedByte, 256> kEncodedBytes = makeEncodedBytes();

}  // namespace

uint32_t codePointOf(uint8_t b) { return kByteToCodePoint[b]; }

int byteOf(uint32_t cp) { return cp < kMaxCodePoint ? kCodePointToByte[cp] : -1; }

std::array<uint8_t, 256> bytesInGpt2Order() {
  std::array<uint8_t, 256> order{};
  size_t n = 0;
  for (unsigned b = 0; b < 256; ++b)
    if (isPrintableByte(b)) order[n++] = static_cast<uint8_t>(b);
  for (unsigned b = 0; b < 256; ++b)
    if (!isPrintableByte(b)) order[n++] = static_cast<uint8_t>(b);
  return order;
}

void appendEncoded(std::string& out, std::string_view bytes) {
  for (const char c : bytes) {
    const EncodedByte& e = kEncodedBytes[static_cast<uint8_t>(c)];
    out.append(e.bytes, e.length);
  }
}

std::string encoded(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  appendEncoded(out, bytes);
  return out;
}

bool appendDecoded(std::string& out, std::string_view text) {
  const size_t start = out.size();
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t n = utf8::validSequenceLength(text, pos);
    uint32_t cp = 0;
    if (n == 1) {
      cp = static_cast<uint8_t>(text[pos]);
    } else if (n == 2) {
      cp = ((static_cast<uint8_t>(text[pos]) & 0x1Fu) << 6) | (static_cast<uint8_t>(text[pos + 1]) & 0x3Fu);
    } else {
      out.resize(start);  // invalid, or a character beyond U+07FF: never in the alphabet
      return false;
    }
    const int b = byteOf(cp);
    if (b < 0) {
      out.resize(start);
      return false;
    }
    out.push_back(static_cast<char>(b));
    pos += n;
  }
  return true;
}

}  // namespace folio::engine::byte_level
