// Image files read by OCR through the PDF reader (image_pdf.h): fixtures written by
// tools/images/make_image_fixtures.py (PIL and libtiff's tiffcp) — a 2-page G4 fax, a G3 2-D fax with
// reversed bit order in 100-row strips, an LZW+predictor RGB TIFF, an RGBA PNG, a JPEG — read word for
// word, pages kept; damaged images fail naming the file and the reason, never crash or loop.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ingest/extract.h"
#include "ingest/image_pdf.h"
#include "ingest/source_kind.h"
#include "ingest/walker.h"
#include "support/little_endian.h"

namespace folio::ingest {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(FOLIO_FIXTURES_DIR) / "images" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ExtractedText read(const std::string& name) {
  auto r = extractBytes(fixture(name), classifySource(name), name);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

TEST(ImagePdf, FaxesAreReadPageByPage) {
  // fax_tiled.tif: the same pages in 256 x 128 G4 tiles, the right column padded past the image.
  for (const char* name : {"fax_g4.tif", "fax_g3_lsb.tif", "fax_tiled.tif"}) {
    const ExtractedText t = read(name);
    EXPECT_EQ(t.text, "NOTICE OF TERMINATION\nSent by registered mail.\nSCHEDULE OF DILAPIDATIONS\nRoof repairs before handover.\n")
        << name;
    ASSERT_EQ(t.page_starts.size(), 2u) << name;
    EXPECT_EQ(t.text.substr(static_cast<size_t>(t.page_starts[1]), 9), "SCHEDULE ") << name;
    EXPECT_EQ(t.ocr_pages, 2) << name;
  }
  EXPECT_EQ(sourceKindName(classifySource("fax.TIFF").kind), "image");
}

TEST(ImagePdf, ColourTiffPngWithTransparencyAndJpegAreRead) {
  EXPECT_EQ(read("deed_lzw.tif").text, "Deed of variation for Unit 4\nRent increases to twelve thousand.\n");
  // 256 x 256 tiles with LZW and a predictor (whose row is the tile's); 4 x 3 of them, drawn in place.
  EXPECT_EQ(read("deed_tiled.tif").text, "Deed of variation for Unit 4\nRent increases to twelve thousand.\n");
  // JPEG in TIFF: 10 YCbCr strips, their tables kept once in JPEGTables (lossy at quality 60: OCR may
  // set the lines a paragraph apart).
  std::string jpeg_text = read("deed_jpeg.tif").text;
  for (size_t blank = jpeg_text.find("\n\n"); blank != std::string::npos; blank = jpeg_text.find("\n\n"))
    jpeg_text.erase(blank, 1);
  EXPECT_EQ(jpeg_text, "Deed of variation for Unit 4\nRent increases to twelve thousand.\n");
  auto tiled = imageAsPdf(fixture("deed_tiled.tif"), "deed_tiled.tif");
  ASSERT_TRUE(tiled.ok()) << tiled.error().message;
  EXPECT_NE(tiled->find("/Columns 256"), std::string::npos);
  EXPECT_NE(tiled->find("/Im11 Do"), std::string::npos);
  EXPECT_EQ(tiled->find("/Im12 Do"), std::string::npos);
  EXPECT_EQ(read("shot.png").text, "Screenshot of the settlement terms\nPayment of forty thousand euros.\n");
  EXPECT_EQ(read("photo.jpg").text, "Photographed exhibit seventeen\nSigned by both parties in Lyon.\n");
  // Stored sideways (640 x 1000 px), EXIF orientation 6: the page is turned a quarter clockwise, as a
  // viewer shows the photo (Tesseract alone also copes with this one, so the page itself is checked).
  EXPECT_EQ(read("photo_sideways.jpg").text, "Exhibit eighteen, photographed sideways\nWitnessed in Geneva.\n");
  auto pdf = imageAsPdf(fixture("photo_sideways.jpg"), "photo_sideways.jpg");
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_NE(pdf->find("/MediaBox [0 0 240.000 153.600]"), std::string::npos);  // landscape, at 300 dpi
  EXPECT_NE(pdf->find("q 0 -153.600 240.000 0 0 153.600 cm /Im0 Do Q"), std::string::npos);
  auto upright = imageAsPdf(fixture("photo.jpg"), "photo.jpg");
  ASSERT_TRUE(upright.ok());
  EXPECT_NE(upright->find("/MediaBox [0 0 360.000 230.400]"), std::string::npos);  // 1000 x 640 at 200 dpi
}

// A photo stored mirrored and turned (EXIF 5, a front camera's) reads as a viewer shows it.
TEST(ImagePdf, AMirroredPhotoIsReadAsAViewerShowsIt) {
  EXPECT_EQ(read("photo_transposed.jpg").text, "Exhibit nineteen, a mirrored selfie\nTaken at the hearing.\n");
}

// Each EXIF orientation takes the stored image's corners where the EXIF specification shows them: the
// photo's orientation value patched to 1..8, the drawing matrix read back from the page.
TEST(ImagePdf, EveryExifOrientationPutsTheImagesCornersWhereAViewerDoes) {
  const std::string base = fixture("photo_sideways.jpg");  // 640 x 1000 px at 300 dpi: 153.6 x 240 pt
  const size_t tag = base.find(std::string("\x01\x12\x00\x03\x00\x00\x00\x01", 8));
  ASSERT_NE(tag, std::string::npos) << "the fixture's EXIF is big-endian (PIL's) with an Orientation tag";
  struct Corner {
    double x, y;
  };
  // Where the stored image's top-left and top-right corners go, as fractions of the page (x right, y up).
  const std::map<int, std::pair<Corner, Corner>> expected = {
      {1, {{0, 1}, {1, 1}}}, {2, {{1, 1}, {0, 1}}}, {3, {{1, 0}, {0, 0}}}, {4, {{0, 0}, {1, 0}}},
      {5, {{0, 1}, {0, 0}}}, {6, {{1, 1}, {1, 0}}}, {7, {{1, 0}, {1, 1}}}, {8, {{0, 0}, {0, 1}}}};
  for (const auto& [orientation, corners] : expected) {
    std::string photo = base;
    photo[tag + 8] = 0;
    photo[tag + 9] = static_cast<char>(orientation);
    auto pdf = imageAsPdf(photo, "photo.jpg");
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    double page_w = 0, page_h = 0;
    ASSERT_EQ(std::sscanf(pdf->c_str() + pdf->find("/MediaBox [0 0 ") + 15, "%lf %lf", &page_w, &page_h), 2);
    EXPECT_NEAR(orientation >= 5 ? page_h : page_w, 153.6, 0.01) << orientation;
    double m[6] = {153.6, 0, 0, 240, 0, 0};  // upright: the image fills the page
    const size_t q = pdf->find("\nq ");
    if (orientation != 1) {
      ASSERT_NE(q, std::string::npos) << orientation;
      ASSERT_EQ(std::sscanf(pdf->c_str() + q + 3, "%lf %lf %lf %lf %lf %lf", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]), 6);
    }
    const auto place = [&](double u, double v) {
      return Corner{(m[0] * u + m[2] * v + m[4]) / page_w, (m[1] * u + m[3] * v + m[5]) / page_h};
    };
    const Corner top_left = place(0, 1), top_right = place(1, 1);
    EXPECT_NEAR(top_left.x, corners.first.x, 1e-3) << orientation;
    EXPECT_NEAR(top_left.y, corners.first.y, 1e-3) << orientation;
    EXPECT_NEAR(top_right.x, corners.second.x, 1e-3) << orientation;
    EXPECT_NEAR(top_right.y, corners.second.y, 1e-3) << orientation;
  }
}

// The image data of a one-image PDF page, inflated.
std::string inflatedImage(const std::string& pdf) {
  const size_t image = pdf.find("/Subtype /Image");
  const size_t length = pdf.find("/Length ", image);
  const size_t data = pdf.find("stream\n", length) + 7;
  const size_t size = std::stoul(pdf.substr(length + 8));
  std::string out(1 << 20, '\0');
  uLongf out_size = out.size();
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &out_size, reinterpret_cast<const Bytef*>(pdf.data() + data), size), Z_OK);
  out.resize(out_size);
  return out;
}

// Interlaced PNGs (Adam7; written by tools/images/make_image_fixtures.py with every filter type, their
// pixels checked there by PIL) are embedded in row order with every pixel in place, at odd sizes and
// at 1, 8 and 4 x 8 bits (transparency flattened over white).
TEST(ImagePdf, InterlacedPngsAreEmbeddedPixelForPixel) {
  constexpr int w = 37, h = 23;
  auto gray = imageAsPdf(fixture("interlaced_gray8.png"), "g.png");
  ASSERT_TRUE(gray.ok()) << gray.error().message;
  const std::string g = inflatedImage(*gray);
  ASSERT_EQ(g.size(), static_cast<size_t>((w + 1) * h));
  for (int y = 0; y < h; ++y) {
    ASSERT_EQ(g[static_cast<size_t>(y * (w + 1))], 0) << "row " << y << " filter";
    for (int x = 0; x < w; ++x)
      ASSERT_EQ(static_cast<unsigned char>(g[static_cast<size_t>(y * (w + 1) + 1 + x)]), (x * 7 + y * 13) & 255) << x << "," << y;
  }
  auto bw = imageAsPdf(fixture("interlaced_bw1.png"), "b.png");
  ASSERT_TRUE(bw.ok()) << bw.error().message;
  const std::string b = inflatedImage(*bw);
  const int stride = (w + 7) / 8;
  ASSERT_EQ(b.size(), static_cast<size_t>((stride + 1) * h));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto byte = static_cast<unsigned char>(b[static_cast<size_t>(y * (stride + 1) + 1 + x / 8)]);
      ASSERT_EQ((byte >> (7 - x % 8)) & 1, (x * 3 + y * 5) % 7 < 3 ? 1 : 0) << x << "," << y;
    }
  auto rgba = imageAsPdf(fixture("interlaced_rgba.png"), "a.png");
  ASSERT_TRUE(rgba.ok()) << rgba.error().message;
  const std::string c = inflatedImage(*rgba);
  ASSERT_EQ(c.size(), static_cast<size_t>(3 * w * h));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int alpha = (x * y) & 255;
      const int want[3] = {(x * 5) & 255, (y * 9) & 255, ((x + y) * 3) & 255};
      for (int k = 0; k < 3; ++k)
        ASSERT_EQ(static_cast<unsigned char>(c[static_cast<size_t>((y * w + x) * 3 + k)]),
                  (want[k] * alpha + 255 * (255 - alpha)) / 255)
            << x << "," << y << " channel " << k;
    }
  // A pass cut short is damage, named.
  std::string cut = fixture("interlaced_gray8.png");
  cut.erase(cut.size() - 40, 20);
  EXPECT_FALSE(imageAsPdf(cut, "cut.png").ok());
}

TEST(ImagePdf, WithOcrOffTheImageIsKeptWithItsUnreadPagesNoted) {
  ExtractOptions off;
  off.ocr = false;
  auto r = extractBytes(fixture("fax_g4.tif"), classifySource("fax.tif"), "fax.tif", off);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->unread_pages, 2);
  EXPECT_EQ(r->ocr_pages, 0);
}

TEST(ImagePdf, ImagesSmallerThanAPageAreSkippedNotOcrd) {
  SourceType png = classifySource("icon.png");
  const std::string icon = std::string("\x89PNG\r\n\x1A\n", 8) + std::string("\0\0\0\x0DIHDR\0\0\0\x40\0\0\0\x40\x08\x06\0\0\0", 21);
  auto reason = sniffContent(icon, png);
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(*reason, "an image of 64 x 64 pixels, smaller than a scanned page: not read by OCR");
  SourceType tif = classifySource("fax.tif");
  EXPECT_FALSE(sniffContent(fixture("fax_g4.tif"), tif).has_value());  // 1000 x 640
  SourceType jpg = classifySource("photo.jpg");
  EXPECT_FALSE(sniffContent(fixture("photo.jpg"), jpg).has_value());
}

using folio::test::put32le;

TEST(ImagePdf, DamagedImagesFailWithTheReason) {
  const auto fails = [](const std::string& bytes, const std::string& reason) {
    auto r = imageAsPdf(bytes, "scan.tif");
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_NE(r.error().message.find("scan.tif: "), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
  };
  const std::string fax = fixture("fax_g4.tif");
  ASSERT_GT(fax.size(), 100u);
  fails(fax.substr(0, 8), "its directory runs past the end");
  fails(std::string("II*\0\x08\0\0\0", 8), "its directory runs past the end");
  // A directory chain that loops (the second page's "next" pointing back at the first): two pages, then
  // the walk stops.
  const auto u16 = [&](size_t at) { return static_cast<uint32_t>(static_cast<unsigned char>(fax[at]) | static_cast<unsigned char>(fax[at + 1]) << 8); };
  const uint32_t first = u16(4) | u16(6) << 16;
  const uint32_t second = u16(first + 2 + u16(first) * 12) | u16(first + 4 + u16(first) * 12) << 16;
  ASSERT_GT(second, 0u);
  std::string loop = fax;
  put32le(loop, second + 2 + u16(second) * 12, first);
  auto looped = imageAsPdf(loop, "scan.tif");
  ASSERT_TRUE(looped.ok()) << looped.error().message;
  size_t pages = 0;
  for (size_t at = looped->find("/Type /Page "); at != std::string::npos; at = looped->find("/Type /Page ", at + 1)) ++pages;
  EXPECT_EQ(pages, 2u);
  std::string strip = fax;  // the first page's first strip said to start past the end
  // (found by its tag, 273, in the first directory)
  for (uint32_t i = 0; i < u16(first); ++i) {
    const size_t entry = first + 2 + i * 12;
    if (u16(entry) != 273) continue;
    const uint32_t list = u16(entry + 8) | u16(entry + 10) << 16;  // the offsets, or the one offset itself
    put32le(strip, u16(entry + 4) == 1 ? entry + 8 : list, 0x7FFFFFFF);
  }
  fails(strip, "a strip runs past the end");
  // Strips all pointing at one large run of bytes (1000 x the file, copied, were they believed).
  {
    const std::string g3 = fixture("fax_g3_lsb.tif");
    const auto v16 = [&](size_t at) { return static_cast<uint32_t>(static_cast<unsigned char>(g3[at]) | static_cast<unsigned char>(g3[at + 1]) << 8); };
    const uint32_t ifd = v16(4) | v16(6) << 16;
    std::string overlapping = g3;
    for (uint32_t i = 0; i < v16(ifd); ++i) {
      const size_t entry = ifd + 2 + i * 12;
      if (v16(entry) != 273 && v16(entry) != 279) continue;
      ASSERT_EQ(v16(entry + 2), 4u) << "LONG offsets and counts";
      const uint32_t n = v16(entry + 4) | v16(entry + 6) << 16;
      ASSERT_GT(n, 1u);
      const uint32_t list = v16(entry + 8) | v16(entry + 10) << 16;
      for (uint32_t k = 0; k < n; ++k) put32le(overlapping, list + 4 * k, v16(entry) == 273 ? 8 : static_cast<uint32_t>(g3.size() - 8));
    }
    fails(overlapping, "its strips overlap");
  }
  // JPEG tables claimed at 70,000 bytes (real ones fill a few KiB), which every strip would copy.
  {
    std::string jpeg = fixture("deed_jpeg.tif");
    const auto v16 = [&](size_t at) { return static_cast<uint32_t>(static_cast<unsigned char>(jpeg[at]) | static_cast<unsigned char>(jpeg[at + 1]) << 8); };
    ASSERT_EQ(jpeg.substr(0, 2), "II");
    const uint32_t ifd = v16(4) | v16(6) << 16;
    const auto tables_at = static_cast<uint32_t>(jpeg.size());
    jpeg += std::string(70000, '\x11');
    bool patched = false;
    for (uint32_t i = 0; i < v16(ifd); ++i) {
      const size_t entry = ifd + 2 + i * 12;
      if (v16(entry) != 347) continue;
      put32le(jpeg, entry + 4, 70000);
      put32le(jpeg, entry + 8, tables_at);
      patched = true;
    }
    ASSERT_TRUE(patched);
    fails(jpeg, "JPEG tables of 70000 bytes");
  }
  fails("\xFF\xD8\xFF\xE0\x00\x10JFIF", "damaged JPEG");
  fails(std::string("\x89PNG\r\n\x1A\n", 8) + std::string("\0\0\0\x0DIHDR\0\0\0\x10\0\0\0\x10\x08\x00\0\0\x01", 21) +
            std::string(4, '\0') + std::string("\0\0\0\x01IDATx", 9) + std::string(4, '\0'),
        "damaged PNG (its image data does not inflate");  // interlaced, its data a byte
  // RGBA at 16 bits, 65535 x 65535, claimed by a few bytes of data: refused before anything is allocated.
  fails(std::string("\x89PNG\r\n\x1A\n", 8) + std::string("\0\0\0\x0DIHDR\0\0\xFF\xFF\0\0\xFF\xFF\x10\x06\0\0\0", 21) +
            std::string(4, '\0') + std::string("\0\0\0\x01IDATx", 9) + std::string(4, '\0'),
        "too large to read");
  fails(std::string("\x89PNG\r\n\x1A\n", 8) + std::string("\0\0\0\x0DIHDR\0\0\0\0\0\0\0\x10\x08\x00\0\0\0", 21) +
            std::string(4, '\0') + std::string("\0\0\0\x01IDATx", 9) + std::string(4, '\0'),
        "image size 0 x 16");
}

}  // namespace
}  // namespace folio::ingest
