// GPT-2's byte-level alphabet: every byte 0..255 is shown as one printable Unicode character, so that
// a BPE vocabulary of strings covers arbitrary bytes ("Ġ" U+0120 stands for the space byte 0x20).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace folio::engine::byte_level {

// The code point that stands for byte b (bytes_to_unicode in GPT-2's encoder.py).
uint32_t codePointOf(uint8_t b);

// The byte that code point cp stands for, or -1 when cp is not in the alphabet.
int byteOf(uint32_t cp);

// The 256 bytes in GPT-2's order: the printable ranges '!'..'~', 0xA1..0xAC, 0xAE..0xFF first, then the
// remaining bytes ascending. A vocabulary of byte tokens in this order has id i = bytesInGpt2Order()[i].
std::array<uint8_t, 256> bytesInGpt2Order();

// Appends the alphabet form of raw bytes (each byte becomes its character's UTF-8).
void appendEncoded(std::string& out, std::string_view bytes);
std::string encoded(std::string_view bytes);

// Appends the raw bytes that an alphabet string stands for. Returns false (appending nothing) when the
// string holds a character outside the alphabet or is not valid UTF-8.
bool appendDecoded(std::string& out, std::string_view alphabet_text);

}  // namespace folio::engine::byte_level
