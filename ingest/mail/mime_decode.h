// The decoders an e-mail needs (RFC 2045-2047): transfer encodings, character sets, and the encoded
// words of header fields ("=?UTF-8?B?...?="). Untrusted input: every decoder accepts any bytes and
// returns valid UTF-8 (or raw bytes, for the transfer decoders), never failing.
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest::mail {

// Base64, skipping characters outside the alphabet (line breaks) and stopping at the padding.
std::string decodeBase64(std::string_view in);

// Quoted-printable: "=XX" bytes, "=" at a line end joins the lines; a malformed "=" stays as it is.
std::string decodeQuotedPrintable(std::string_view in);

// A header field's value with its encoded words decoded and adjacent encoded words joined (RFC 2047).
std::string decodeHeaderValue(std::string_view value);

}  // namespace folio::ingest::mail
