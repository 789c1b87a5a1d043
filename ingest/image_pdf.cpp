#include "ingest/image_pdf.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "ingest/png_rows.h"

namespace folio::ingest {
namespace {

constexpr uint32_t kMaxSide = 65535;
// Strips or tiles of one TIFF page, each an image of the PDF (a page stored a row a strip at 600 dpi A0:
// 33,000).
constexpr uint64_t kMaxPieces = 1u << 16;
// JPEGTables of a JPEG-in-TIFF page: quantization and Huffman tables fill 2-3 KiB.
constexpr size_t kMaxJpegTables = 64u << 10;
constexpr size_t kMaxPages = 5000;
constexpr double kDefaultDpi = 300;
// Images whose short side has fewer pixels are no scanned page (a page at 72 dpi is 612 x 792): icons,
// sprites, thumbnails, a code repository's assets.
constexpr uint32_t kMinPageSide = 600;
// A PNG with transparency is inflated here to drop its alpha: at most this many bytes (a 10,000 x 10,000
// 8-bit RGBA image).
constexpr uint64_t kMaxFlattenBytes = 400ull << 20;

// One image XObject: a whole image, or one TIFF strip or tile of it, placed `x` columns from the page's
// left and `y` rows from its top (a tile at the right or bottom edge reaches past the page, clipped).
struct Strip {
  uint32_t width = 0, height = 0, x = 0, y = 0;
  std::string dict;  // the image dictionary's entries other than its size and /Length
  std::string data;
};

struct Page {
  uint32_t width = 0, height = 0;
  double xdpi = kDefaultDpi, ydpi = kDefaultDpi;
  // EXIF: 1 upright; 2 mirrored left-right, 3 turned 180°, 4 mirrored top-bottom, 5 transposed (mirrored
  // across its main diagonal), 6 to be turned 90° clockwise, 7 transversed, 8 turned counter-clockwise.
  int orientation = 1;
  std::vector<Strip> strips;
};

std::string number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);  // not printf: locales
  return std::string(buf, r.ptr);
}

std::string pdfOf(const std::vector<Page>& pages) {
  std::string pdf = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  const auto object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  // Object numbers: 1 catalog, 2 page tree, then per page: the page, its content, its strips.
  std::string kids;
  size_t next = 3;
  std::vector<size_t> page_ids;
  for (const Page& p : pages) {
    page_ids.push_back(next);
    kids += std::to_string(next) + " 0 R ";
    next += 2 + p.strips.size();
  }
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  for (size_t i = 0; i < pages.size(); ++i) {
    const Page& p = pages[i];
    const double w = p.width * 72.0 / p.xdpi, h = p.height * 72.0 / p.ydpi;
    std::string resources, content;
    // A photo stored turned or mirrored (EXIF orientation) is drawn as a viewer shows it, so OCR reads it
    // upright: the matrix takes the image's unit square to the page.
    const bool turned = p.strips.size() == 1 && p.orientation >= 2 && p.orientation <= 8;
    const bool across = turned && p.orientation >= 5;  // the page is the image's height wide
    if (turned) {
      const std::string W = number(w), H = number(h);
      const std::string m = p.orientation == 2   ? "-" + W + " 0 0 " + H + " " + W + " 0"
                            : p.orientation == 3 ? "-" + W + " 0 0 -" + H + " " + W + " " + H
                            : p.orientation == 4 ? W + " 0 0 -" + H + " 0 " + H
                            : p.orientation == 5 ? "0 -" + W + " -" + H + " 0 " + H + " " + W
                            : p.orientation == 6 ? "0 -" + W + " " + H + " 0 0 " + W
                            : p.orientation == 7 ? "0 " + W + " " + H + " 0 0 0"
                                                 : "0 " + W + " -" + H + " 0 " + H + " 0";
      resources = "/Im0 " + std::to_string(page_ids[i] + 2) + " 0 R ";
      content = "q " + m + " cm /Im0 Do Q\n";
    }
    const double page_w = across ? h : w, page_h = across ? w : h;
    for (size_t k = 0; k < p.strips.size() && !turned; ++k) {
      const Strip& s = p.strips[k];
      resources += "/Im" + std::to_string(k) + " " + std::to_string(page_ids[i] + 2 + k) + " 0 R ";
      const double sw = s.width * 72.0 / p.xdpi, x = s.x * 72.0 / p.xdpi;
      const double sh = s.height * 72.0 / p.ydpi, y = h - (s.y + s.height) * 72.0 / p.ydpi;
      content += "q " + number(sw) + " 0 0 " + number(sh) + " " + number(x) + " " + number(y) + " cm /Im" + std::to_string(k) +
                 " Do Q\n";
    }
    object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(page_w) + " " + number(page_h) + "] /Resources << /XObject << " +
           resources + ">> >> /Contents " + std::to_string(page_ids[i] + 1) + " 0 R >>");
    object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    for (const Strip& s : p.strips) {
      object("<< /Type /XObject /Subtype /Image /Width " + std::to_string(s.width) + " /Height " + std::to_string(s.height) +
             " " + s.dict + " /Length " + std::to_string(s.data.size()) + " >>\nstream\n" + s.data + "\nendstream");
    }
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

uint32_t be16(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 8 | static_cast<unsigned char>(b[at + 1]);
}
uint32_t be32(std::string_view b, size_t at) { return be16(b, at) << 16 | be16(b, at + 2); }

Status checkSize(uint32_t w, uint32_t h, const std::string& name) {
  if (w == 0 || h == 0 || w > kMaxSide || h > kMaxSide) {
    return badInput(name + ": image size " + std::to_string(w) + " x " + std::to_string(h) + " not read (at most " +
                    std::to_string(kMaxSide) + " pixels a side)");
  }
  return {};
}

// --- TIFF: each directory a page, each strip an image in the encoding PDF shares with TIFF.
class Tiff {
 public:
  Tiff(std::string_view b, const std::string& name) : b_(b), name_(name), little_(b.substr(0, 2) == "II") {}

  // The first value of `tag` in the first directory, when that directory is inside the bytes.
  std::optional<uint64_t> firstTag(uint32_t tag) const {
    const uint32_t ifd = u32(4), count = u16(ifd);
    if (ifd == 0 || ifd + 2 + count * 12 > b_.size()) return std::nullopt;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t entry = ifd + 2 + i * 12;
      if (u16(entry) != tag) continue;
      const auto v = values(entry);
      if (!v.empty()) return v[0];
    }
    return std::nullopt;
  }

  // The first page's size, when its directory is inside the bytes.
  std::optional<std::pair<uint32_t, uint32_t>> firstSize() const {
    const auto w = firstTag(256), h = firstTag(257);
    if (!w || !h || *w == 0 || *h == 0) return std::nullopt;
    return std::pair{static_cast<uint32_t>(*w), static_cast<uint32_t>(*h)};
  }

  Result<std::vector<Page>> pages() {
    std::vector<Page> out;
    std::set<uint32_t> seen;
    for (uint32_t ifd = u32(4); ifd != 0; ifd = next_) {
      if (!seen.insert(ifd).second) break;  // a directory chain that loops
      if (out.size() >= kMaxPages) break;
      auto page = directory(ifd, out.size() + 1);
      if (!page.ok()) return page.error();
      out.push_back(std::move(*page));
    }
    if (out.empty()) return badInput(name_ + ": damaged TIFF (no image directory)");
    return out;
  }

 private:
  uint32_t u16(size_t at) const {
    if (at + 2 > b_.size()) return 0;
    const auto x = static_cast<unsigned char>(b_[at]), y = static_cast<unsigned char>(b_[at + 1]);
    return little_ ? (y << 8 | x) : (x << 8 | y);
  }
  uint32_t u32(size_t at) const {
    if (at + 4 > b_.size()) return 0;
    return little_ ? (u16(at + 2) << 16 | u16(at)) : (u16(at) << 16 | u16(at + 2));
  }

  // The values of an entry (BYTE, UNDEFINED, SHORT or LONG; RATIONAL as numerator and denominator).
  // Values read, all directories together, are bounded: a hostile file could name the same million-entry
  // array in every one of thousands of directories.
  std::vector<uint64_t> values(size_t entry) const {
    const uint32_t type = u16(entry + 2), count = u32(entry + 4);
    const size_t size = type == 1 || type == 2 || type == 7 ? 1 : type == 3 ? 2 : type == 4 ? 4 : type == 5 ? 8 : 0;
    if (size == 0 || count > b_.size() || count > budget_) return {};
    budget_ -= count;
    const size_t total = size * count;
    const size_t at = total <= 4 ? entry + 8 : u32(entry + 8);
    if (at + total > b_.size()) return {};
    std::vector<uint64_t> out;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t p = at + i * size;
      if (size == 1) out.push_back(static_cast<unsigned char>(b_[p]));
      else if (size == 2) out.push_back(u16(p));
      else if (size == 4) out.push_back(u32(p));
      else {
        out.push_back(u32(p));
        out.push_back(u32(p + 4));
      }
    }
    return out;
  }

  Result<Page> directory(uint32_t ifd, size_t number) {
    const std::string where = name_ + ": TIFF page " + std::to_string(number);
    const uint32_t count = u16(ifd);
    if (ifd + 2 + count * 12 + 4 > b_.size()) return badInput(where + ": damaged (its directory runs past the end)");
    std::map<uint32_t, std::vector<uint64_t>> tags;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t tag = u16(ifd + 2 + i * 12);
      if (kUsedTags.count(tag) && !tags.count(tag)) tags[tag] = values(ifd + 2 + i * 12);
    }
    next_ = u32(ifd + 2 + count * 12);
    const auto one = [&](uint32_t tag, uint64_t fallback) {
      const auto it = tags.find(tag);
      return it == tags.end() || it->second.empty() ? fallback : it->second[0];
    };
    Page page;
    page.width = static_cast<uint32_t>(one(256, 0));
    page.height = static_cast<uint32_t>(one(257, 0));
    FOLIO_TRY(checkSize(page.width, page.height, where));
    // Tiles (a scanner's or a GIS tool's large images) are strips of their own width: each one an image.
    const bool tiled = tags.count(322) > 0;
    const uint64_t tile_w = tiled ? one(322, 0) : page.width;
    const uint64_t tile_h = tiled ? one(323, 0) : std::max<uint64_t>(1, std::min<uint64_t>(one(278, page.height), page.height));
    if (tile_w == 0 || tile_w > kMaxSide || tile_h == 0 || tile_h > kMaxSide) {
      return badInput(where + ": damaged (tile size " + std::to_string(tile_w) + " x " + std::to_string(tile_h) + ")");
    }
    const auto resolution = [&](uint32_t tag) {
      const auto it = tags.find(tag);
      if (it == tags.end() || it->second.size() < 2 || it->second[1] == 0) return kDefaultDpi;
      const double r = static_cast<double>(it->second[0]) / static_cast<double>(it->second[1]);
      const double dpi = one(296, 2) == 3 ? r * 2.54 : r;
      return dpi >= 10 && dpi <= 10000 ? dpi : kDefaultDpi;
    };
    page.xdpi = resolution(282);
    page.ydpi = resolution(283);
    const uint64_t compression = one(259, 1), photometric = one(262, 1), bits = one(258, 1), samples = one(277, 1);
    if (one(284, 1) != 1) return badInput(where + ": planar TIFF, not read: save it as PDF");
    // JPEG in TIFF (compression 7): each strip a JPEG stream whose tables are kept once, in the
    // JPEGTables tag; colour as the JPEG decoder gives it (YCbCr turned RGB).
    const bool jpeg = compression == 7;
    std::string dict;
    if (jpeg && samples == 1 && bits == 8) dict = "/ColorSpace /DeviceGray";
    else if (jpeg && samples == 3 && bits == 8 && (photometric == 6 || photometric == 2)) dict = "/ColorSpace /DeviceRGB";
    else if (jpeg) return badInput(where + ": TIFF JPEG with " + std::to_string(samples) + " samples of " + std::to_string(bits) + " bits not read");
    else if (samples == 1 && photometric <= 1) dict = "/ColorSpace /DeviceGray";
    else if (samples == 3 && photometric == 2) dict = "/ColorSpace /DeviceRGB";
    else if (samples == 4 && photometric == 5) dict = "/ColorSpace /DeviceCMYK";
    else if (samples == 1 && photometric == 3) {
      const auto it = tags.find(320);
      const size_t n = size_t{1} << std::min<uint64_t>(bits, 8);
      if (it == tags.end() || it->second.size() < 3 * n) return badInput(where + ": damaged (a palette image without its colour map)");
      std::string hex;
      for (size_t i = 0; i < n; ++i) {
        for (size_t c = 0; c < 3; ++c) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          const auto v = static_cast<unsigned>(it->second[c * n + i] >> 8);
          hex += kHex[(v >> 4) & 15];
          hex += kHex[v & 15];
        }
      }
      dict = "/ColorSpace [/Indexed /DeviceRGB " + std::to_string(n - 1) + " <" + hex + ">]";
    } else {
      return badInput(where + ": TIFF colour model " + std::to_string(photometric) + " with " + std::to_string(samples) +
                      " samples not read");
    }
    dict += " /BitsPerComponent " + std::to_string(bits);
    const std::string predictor =
        one(317, 1) == 2 ? " /DecodeParms << /Predictor 2 /Colors " + std::to_string(samples) + " /BitsPerComponent " +
                               std::to_string(bits) + " /Columns " + std::to_string(tile_w) + " >>"
                         : "";
    const bool ccitt = compression == 3 || compression == 4;
    if (photometric == 0 && !ccitt) dict += " /Decode [1 0]";  // white is zero
    if (photometric == 1 && ccitt) dict += " /Decode [1 0]";   // CCITT decodes black as 0
    switch (compression) {
      case 1: break;
      case 5: dict += " /Filter /LZWDecode" + predictor; break;
      case 8:
      case 32946: dict += " /Filter /FlateDecode" + predictor; break;
      case 32773: dict += " /Filter /RunLengthDecode"; break;
      case 7: dict += " /Filter /DCTDecode"; break;
      case 3:
      case 4: {
        const long k = compression == 4 ? -1 : (one(292, 0) & 1) ? 1 : 0;
        dict += " /Filter /CCITTFaxDecode /DecodeParms << /K " + std::to_string(k) + " /Columns " + std::to_string(tile_w);
        break;  // /Rows per strip, added below
      }
      default:
        return badInput(where + ": TIFF compression " + std::to_string(compression) +
                        (compression == 6 ? " (old-style JPEG)" : "") + " not read: save it as PDF");
    }
    const auto offsets = tags[tiled ? 324 : 273], counts = tags[tiled ? 325 : 279];
    if (offsets.empty() || offsets.size() != counts.size()) return badInput(where + ": damaged (strip offsets and sizes do not match)");
    const uint64_t across = (page.width + tile_w - 1) / tile_w;
    const uint64_t pieces = std::min<uint64_t>(offsets.size(), across * ((page.height + tile_h - 1) / tile_h));
    if (pieces > kMaxPieces) return badInput(where + ": " + std::to_string(pieces) + " strips or tiles, not read (at most " +
                                             std::to_string(kMaxPieces) + ")");
    const bool reversed = one(266, 1) == 2;  // bits stored least significant first (some fax software)
    // JPEG strips' shared tables, once: what goes between each strip's SOI and its data. A JPEG's tables
    // fill a few KiB; larger ones, copied into every strip, would multiply the file.
    std::string tables;
    if (jpeg) {
      const auto& t = tags[347];
      if (t.size() > kMaxJpegTables) return badInput(where + ": damaged (JPEG tables of " + std::to_string(t.size()) + " bytes)");
      for (size_t i = 2; i + 2 < t.size(); ++i) tables.push_back(static_cast<char>(t[i]));  // without SOI, EOI
    }
    uint64_t copied = 0;  // strips never share bytes: pointing them all at one large run would multiply it
    for (size_t i = 0; i < pieces; ++i) {
      if (offsets[i] > b_.size() || counts[i] > b_.size() - offsets[i]) return badInput(where + ": damaged (a strip runs past the end)");
      copied += counts[i];
      if (copied > b_.size()) return badInput(where + ": damaged (its strips overlap)");
      Strip s;
      s.x = static_cast<uint32_t>((i % across) * tile_w);
      s.y = static_cast<uint32_t>((i / across) * tile_h);
      s.width = static_cast<uint32_t>(tile_w);
      // A strip ends with the image; a tile is whole, its padding past the edge drawn off the page.
      s.height = static_cast<uint32_t>(tiled ? tile_h : std::min<uint64_t>(tile_h, page.height - s.y));
      s.dict = dict + (ccitt ? " /Rows " + std::to_string(s.height) + " >>" : "");
      s.data = std::string(b_.substr(offsets[i], counts[i]));
      // The strip made a whole JPEG stream for DCTDecode: the tables spliced in after its SOI.
      if (jpeg && s.data.size() >= 2 && s.data.compare(0, 2, "\xFF\xD8") == 0) s.data.insert(2, tables);
      if (reversed) {
        for (char& c : s.data) {
          auto v = static_cast<unsigned char>(c);
          v = static_cast<unsigned char>((v & 0xF0) >> 4 | (v & 0x0F) << 4);
          v = static_cast<unsigned char>((v & 0xCC) >> 2 | (v & 0x33) << 2);
          v = static_cast<unsigned char>((v & 0xAA) >> 1 | (v & 0x55) << 1);
          c = static_cast<char>(v);
        }
      }
      page.strips.push_back(std::move(s));
    }
    return page;
  }

  // The tags a page is built from: sizes, compression, colours, strips, resolution, tiles, predictor.
  static inline const std::set<uint32_t> kUsedTags = {256, 257, 258, 259, 262, 266, 273, 277, 278, 279,
                                                      282, 283, 284, 292, 296, 317, 320, 322, 323, 324, 325, 347};

  std::string_view b_;
  const std::string& name_;
  bool little_;
  uint32_t next_ = 0;
  mutable uint64_t budget_ = 16u << 20;
};

// --- JPEG: embedded whole, read by DCTDecode.
struct JpegFrame {
  Page page;  // size and resolution
  bool adobe = false;
  int components = 0;
};

Result<JpegFrame> jpegFrame(std::string_view b, const std::string& name) {
  JpegFrame f;
  Page& page = f.page;
  bool& adobe = f.adobe;
  int& components = f.components;
  for (size_t pos = 2; pos + 4 <= b.size();) {
    if (static_cast<unsigned char>(b[pos]) != 0xFF) return badInput(name + ": damaged JPEG (no marker at byte " + std::to_string(pos) + ")");
    const unsigned marker = static_cast<unsigned char>(b[pos + 1]);
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {
      pos += 2;
      continue;
    }
    const uint32_t length = be16(b, pos + 2);
    if (length < 2 || pos + 2 + length > b.size()) return badInput(name + ": damaged JPEG (a segment runs past the end)");
    const std::string_view seg = b.substr(pos + 4, length - 2);
    if (marker == 0xE0 && seg.size() >= 12 && seg.substr(0, 5) == std::string_view("JFIF\0", 5)) {
      const unsigned units = static_cast<unsigned char>(seg[7]);
      const double x = be16(seg, 8), y = be16(seg, 10);
      if ((units == 1 || units == 2) && x > 0 && y > 0) {
        page.xdpi = units == 1 ? x : x * 2.54;
        page.ydpi = units == 1 ? y : y * 2.54;
      }
    } else if (marker == 0xE1 && seg.size() > 14 && seg.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
      // EXIF: a TIFF directory; its Orientation (0x0112) says how the camera held the picture.
      const auto orientation = Tiff(seg.substr(6), name).firstTag(0x0112);
      if (orientation && *orientation <= 8) page.orientation = static_cast<int>(*orientation);
    } else if (marker == 0xEE && seg.substr(0, 5) == "Adobe") {
      adobe = true;
    } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && seg.size() >= 6) {
      page.height = be16(seg, 1);
      page.width = be16(seg, 3);
      components = static_cast<unsigned char>(seg[5]);
      break;
    }
    pos += 2 + length;
  }
  if (components == 0) return badInput(name + ": damaged JPEG (no frame header)");
  return f;
}

Result<std::vector<Page>> jpegPages(std::string_view b, const std::string& name) {
  auto frame = jpegFrame(b, name);
  if (!frame.ok()) return frame.error();
  Page page = frame->page;
  const int components = frame->components;
  const bool adobe = frame->adobe;
  FOLIO_TRY(checkSize(page.width, page.height, name));
  Strip s;
  s.width = page.width;
  s.height = page.height;
  if (components == 1) s.dict = "/ColorSpace /DeviceGray";
  else if (components == 3) s.dict = "/ColorSpace /DeviceRGB";
  else if (components == 4) s.dict = std::string("/ColorSpace /DeviceCMYK") + (adobe ? " /Decode [1 0 1 0 1 0 1 0]" : "");
  else return badInput(name + ": JPEG with " + std::to_string(components) + " components not read");
  s.dict += " /BitsPerComponent 8 /Filter /DCTDecode";
  s.data = std::string(b);
  page.strips.push_back(std::move(s));
  return std::vector<Page>{std::move(page)};
}

// --- PNG: the zlib stream of filtered rows is FlateDecode with PNG predictors; with transparency, the
// rows are decoded here and the alpha dropped over white.
// `idat` inflated, when it inflates to exactly `size` bytes. The header's size is only a claim: a few
// bytes of IDAT may say 65535 x 65535 at 16 bits and 4 channels (34 GB). Inflating is bounded by what a
// page can be, and by deflate's best ratio.
Result<std::string> inflatedExactly(const std::string& idat, uint64_t size, const std::string& what, uint32_t w,
                                    uint32_t h, const std::string& name) {
  if (size > kMaxFlattenBytes || size > static_cast<uint64_t>(idat.size()) * 1032) {
    return badInput(name + ": " + what + " too large to read (" + std::to_string(w) + " x " + std::to_string(h) +
                    " pixels, or more than its data can hold)");
  }
  std::string raw(size, '\0');
  uLongf raw_size = raw.size();
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) !=
          Z_OK ||
      raw_size != raw.size()) {
    return badInput(name + ": damaged PNG (its image data does not inflate to its size)");
  }
  return raw;
}

std::string deflated(const std::string& data) {
  uLongf packed_size = compressBound(data.size());
  std::string packed(packed_size, '\0');
  compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(data.data()), data.size(), 6);
  packed.resize(packed_size);
  return packed;
}

Result<std::string> withoutAlpha(const std::string& idat, uint32_t w, uint32_t h, int depth, int channels,
                                 const std::string& name) {
  const size_t bpp = static_cast<size_t>(channels) * static_cast<size_t>(depth) / 8;
  const size_t stride = bpp * w;
  auto raw = inflatedExactly(idat, static_cast<uint64_t>(stride + 1) * h, "a PNG with transparency", w, h, name);
  if (!raw.ok()) return raw.error();
  const int colors = channels - 1;
  std::string out;
  out.reserve(static_cast<size_t>(colors) * w * h);
  std::vector<unsigned char> prev(stride, 0), row(stride);
  for (uint32_t y = 0; y < h; ++y) {
    const unsigned char filter = static_cast<unsigned char>((*raw)[y * (stride + 1)]);
    const unsigned char* in = reinterpret_cast<const unsigned char*>(raw->data()) + y * (stride + 1) + 1;
    unfilterRow(filter, in, prev, row, bpp);  // an unknown filter predicts nothing, as before
    const size_t step = static_cast<size_t>(depth) / 8;  // 16-bit samples: their high byte
    for (uint32_t x = 0; x < w; ++x) {
      const unsigned char* px = row.data() + x * bpp;
      const int alpha = px[static_cast<size_t>(colors) * step];
      for (int k = 0; k < colors; ++k) {
        out.push_back(static_cast<char>((px[static_cast<size_t>(k) * step] * alpha + 255 * (255 - alpha)) / 255));
      }
    }
    prev.swap(row);
  }
  return deflated(out);
}

Result<std::vector<Page>> pngPages(std::string_view b, const std::string& name) {
  Page page;
  int depth = 0, type = -1, interlace = 0;
  std::string palette, idat;
  for (size_t pos = 8; pos + 12 <= b.size();) {
    const uint32_t length = be32(b, pos);
    const std::string_view kind = b.substr(pos + 4, 4);
    if (length > b.size() - pos - 12) return badInput(name + ": damaged PNG (a chunk runs past the end)");
    const std::string_view data = b.substr(pos + 8, length);
    if (kind == "IHDR" && length >= 13) {
      page.width = be32(data, 0);
      page.height = be32(data, 4);
      depth = static_cast<unsigned char>(data[8]);
      type = static_cast<unsigned char>(data[9]);
      interlace = static_cast<unsigned char>(data[12]);
    } else if (kind == "PLTE") {
      palette = std::string(data);
    } else if (kind == "pHYs" && length >= 9 && data[8] == 1) {
      const double x = be32(data, 0) * 0.0254, y = be32(data, 4) * 0.0254;
      if (x >= 10 && y >= 10) page.xdpi = x, page.ydpi = y;
    } else if (kind == "IDAT") {
      idat += data;
    } else if (kind == "IEND") {
      break;
    }
    pos += 12 + length;
  }
  if (type < 0 || idat.empty()) return badInput(name + ": damaged PNG (no image header or data)");
  FOLIO_TRY(checkSize(page.width, page.height, name));
  if (interlace == 1) {  // Adam7: gathered into rows here, as the PDF's PNG predictor reads them
    const int channels = type == 2 ? 3 : type == 4 ? 2 : type == 6 ? 4 : 1;
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) {
      return badInput(name + ": PNG at " + std::to_string(depth) + " bits not read");
    }
    const int bits = depth * channels;
    auto passes = inflatedExactly(idat, adam7Bytes(page.width, page.height, bits), "an interlaced PNG", page.width,
                                  page.height, name);
    if (!passes.ok()) return passes.error();
    auto rows = deinterlacedRows(*passes, page.width, page.height, bits, name);
    if (!rows.ok()) return rows.error();
    idat = deflated(*rows);
  } else if (interlace != 0) {
    return badInput(name + ": damaged PNG (interlace method " + std::to_string(interlace) + ")");
  }
  Strip s;
  s.width = page.width;
  s.height = page.height;
  const std::string bpc = std::to_string(depth);
  const auto predictors = [&](int colors) {
    return " /BitsPerComponent " + bpc + " /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors " +
           std::to_string(colors) + " /BitsPerComponent " + bpc + " /Columns " + std::to_string(page.width) + " >>";
  };
  if (type == 0) {
    s.dict = "/ColorSpace /DeviceGray" + predictors(1);
    s.data = std::move(idat);
  } else if (type == 2) {
    s.dict = "/ColorSpace /DeviceRGB" + predictors(3);
    s.data = std::move(idat);
  } else if (type == 3) {
    if (palette.size() < 3) return badInput(name + ": damaged PNG (a palette image without a palette)");
    std::string hex;
    for (unsigned char c : palette.substr(0, 768)) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
    s.dict = "/ColorSpace [/Indexed /DeviceRGB " + std::to_string(std::min<size_t>(palette.size(), 768) / 3 - 1) + " <" + hex +
             ">]" + predictors(1);
    s.data = std::move(idat);
  } else if ((type == 4 || type == 6) && (depth == 8 || depth == 16)) {
    const int channels = type == 4 ? 2 : 4;
    auto flat = withoutAlpha(idat, page.width, page.height, depth, channels, name);
    if (!flat.ok()) return flat.error();
    s.dict = std::string(type == 4 ? "/ColorSpace /DeviceGray" : "/ColorSpace /DeviceRGB") + " /BitsPerComponent 8 /Filter /FlateDecode";
    s.data = std::move(*flat);
  } else {
    return badInput(name + ": PNG colour type " + std::to_string(type) + " at " + bpc + " bits not read");
  }
  page.strips.push_back(std::move(s));
  return std::vector<Page>{std::move(page)};
}

// The first page's size from the file's first bytes, when they hold it.
std::optional<std::pair<uint32_t, uint32_t>> sizeFromHead(std::string_view head) {
  static const std::string kName;
  if (head.substr(0, 8) == "\x89PNG\r\n\x1A\n" && head.size() >= 24 && head.substr(12, 4) == "IHDR") {
    return std::pair{be32(head, 16), be32(head, 20)};
  }
  if (head.substr(0, 3) == "\xFF\xD8\xFF") {
    auto frame = jpegFrame(head, kName);
    if (frame.ok()) return std::pair{frame->page.width, frame->page.height};
    return std::nullopt;
  }
  if (head.size() >= 8) return Tiff(head, kName).firstSize();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> imageSkipReason(std::string_view head) {
  if (!isImageFile(head)) return std::nullopt;
  const auto size = sizeFromHead(head);
  if (!size || std::min(size->first, size->second) >= kMinPageSide) return std::nullopt;
  return "an image of " + std::to_string(size->first) + " x " + std::to_string(size->second) +
         " pixels, smaller than a scanned page: not read by OCR";
}

bool isImageFile(std::string_view b) {
  return b.substr(0, 3) == "\xFF\xD8\xFF" || b.substr(0, 8) == "\x89PNG\r\n\x1A\n" ||
         b.substr(0, 4) == std::string_view("II*\0", 4) || b.substr(0, 4) == std::string_view("MM\0*", 4);
}

Result<std::string> imageAsPdf(std::string_view bytes, const std::string& name) {
  Result<std::vector<Page>> pages = badInput(name + ": not a JPEG, PNG or TIFF image");
  if (bytes.substr(0, 3) == "\xFF\xD8\xFF") pages = jpegPages(bytes, name);
  else if (bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") pages = pngPages(bytes, name);
  else if (isImageFile(bytes)) pages = Tiff(bytes, name).pages();
  if (!pages.ok()) return pages.error();
  return pdfOf(*pages);
}

}  // namespace folio::ingest
