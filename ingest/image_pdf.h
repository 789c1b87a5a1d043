// Image files (scans, faxes, photographed pages: JPEG, PNG, TIFF) as a PDF of image-only pages, which
// the PDF reader then reads by OCR in its isolated child process (pdf_extract.h, pdf_ocr.h) — so an
// image's pages are OCR'd, limited, stopped, counted and noted exactly as a scanned PDF's are, and the
// image decoders (poppler's, in the child) never run in the ingest process.
//
// The image data is embedded as it is stored wherever PDF has the same encoding, as img2pdf does:
// JPEG as DCTDecode, PNG's zlib rows as FlateDecode with PNG predictors, TIFF strips as
// CCITTFaxDecode (G3, G4 faxes), LZWDecode, FlateDecode or RunLengthDecode (PackBits), or raw; each
// TIFF strip its own image on the page, each TIFF directory a page. Only a PNG with transparency is
// decoded here (zlib, bounded), to drop its alpha channel over white. The page size keeps the image's
// resolution (JFIF density, pHYs, XResolution; 300 dpi when unrecorded), so OCR sees it at its scan
// resolution.
//
// Untrusted input: every length and offset is checked against the file, directory chains are followed
// once, dimensions and page counts are bounded; what is not understood (interlaced PNG, tiled or
// JPEG-compressed TIFF) fails with a reason naming the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest {

// Whether `bytes` start like a JPEG, PNG or TIFF file.
bool isImageFile(std::string_view bytes);

// Why an image file is not read, judged from its first bytes: it is smaller than a scanned page (under
// 600 pixels on its short side: an icon, a sprite, a thumbnail — a code repository's thousands of
// images are not OCR'd). nullopt when it may be a page, or when `head` does not hold its size.
std::optional<std::string> imageSkipReason(std::string_view head);

Result<std::string> imageAsPdf(std::string_view bytes, const std::string& name);

}  // namespace folio::ingest
