// E-mail for tests: MIME parts carrying attached files in base64, as mail programs write them.
#pragma once

#include <cstdint>
#include <string>

namespace folio::test {

inline std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += i + 1 < in.size() ? kAlphabet[v >> 6 & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
    if (out.size() % 77 == 76) out += "\n";
  }
  return out;
}

// A part of a multipart/mixed body with boundary "b" attaching `bytes` as the file `name`.
inline std::string attachedPart(const std::string& name, const std::string& type, const std::string& bytes) {
  return "--b\nContent-Type: " + type + "; name=\"" + name + "\"\nContent-Disposition: attachment; filename=\"" + name +
         "\"\nContent-Transfer-Encoding: base64\n\n" + base64(bytes) + "\n";
}

// A message whose body is `body` and whose attachments are `parts` (attachedPart), closed.
inline std::string messageWith(const std::string& subject, const std::string& body, const std::string& parts) {
  return "From: a@example.com\nSubject: " + subject + "\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n" + body + "\n" + parts + "--b--\n";
}

}  // namespace folio::test
