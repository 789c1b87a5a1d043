// Checks a PDF signature's bytes with OpenSSL's CMS: whether the bytes its /ByteRange names are the
// bytes that were signed, and whether the signature over them verifies with the key of the certificate
// it carries; also who signed (the certificate's common name) and when (its signingTime, and a
// timestamp token's time); a document timestamp (ETSI.RFC3161) by whether the bytes still match its token's
// message imprint, and the time the token states. The certificate's trust is not checked. No poppler here: the reader passes
// the whole file, the /ByteRange, the /SubFilter and the parsed /Contents; the CMS is read from the
// file's bytes between the two ranges (the /Contents string as signed, never encrypted), else, when those
// bytes are not a hex string (a file rewritten after signing), from the parsed /Contents.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/pdf_markup.h"

namespace folio::ingest {

// Fills `sig`'s signer, signing_time, timestamp_time, integrity, problem, frames_contents, covered_end
// and file_size.
void checkPdfSignature(std::string_view file, const std::vector<int64_t>& byte_range, std::string_view sub_filter,
                       std::string_view parsed_contents, PdfSignature& sig);

}  // namespace folio::ingest
