#!/usr/bin/python3
"""Writes the image fixtures of tests/unit/ingest/test_image_pdf.cpp: text rendered onto pages saved
as a 2-page G4 fax TIFF, a G3 2-D TIFF with reversed bit order and 100-row strips (tiffcp), an RGB TIFF
compressed with LZW and a horizontal predictor (tiffcp), an RGBA PNG (a screenshot), a JPEG photo and a
JPEG stored sideways with an EXIF orientation, and one stored transposed (a mirror orientation).
Needs python3-pil, libtiff-tools and fonts-dejavu-core (Debian). Run from the repository root."""
import os
import struct
import subprocess
import tempfile
import zlib

from PIL import Image, ImageDraw, ImageFont

OUT = "tests/fixtures/images"
FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)


def page(lines, mode="L", size=(1000, 640)):
    white = 255 if mode in ("L", "1") else (255,) * len(mode)
    black = {"L": 0, "1": 0, "RGB": (0, 0, 0), "RGBA": (0, 0, 0, 255)}[mode]
    im = Image.new(mode, size, white)
    d = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        d.text((40, 30 + i * 60), line, fill=black, font=FONT)
    return im


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def filtered(rows, bpp):
    """Each row led by a filter byte, the five filters taken in turn (the decoder must undo each)."""
    out, prev = b"", bytes(len(rows[0])) if rows else b""
    for i, row in enumerate(rows):
        f = i % 5
        line = bytearray()
        for x, v in enumerate(row):
            a = row[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][f]
            line.append((v - pred) & 255)
        out += bytes([f]) + bytes(line)
        prev = row
    return out


def interlaced_png(path, w, h, pixel, bits, color_type, channels):
    """An Adam7-interlaced PNG written here (PIL writes none): pixel(x, y) gives a pixel's samples."""
    bpp = max(1, channels * bits // 8)
    data = b""
    for x0, y0, dx, dy in ADAM7:
        xs, ys = list(range(x0, w, dx)), list(range(y0, h, dy))
        if not xs or not ys:
            continue
        rows = []
        for y in ys:
            if bits < 8:
                acc, n, row = 0, 0, bytearray()
                for x in xs:
                    acc = acc << bits | pixel(x, y)[0]
                    n += bits
                    if n == 8:
                        row.append(acc)
                        acc, n = 0, 0
                if n:
                    row.append(acc << (8 - n))
                rows.append(bytes(row))
            else:
                rows.append(bytes(v for x in xs for v in pixel(x, y)))
        data += filtered(rows, bpp)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", w, h, bits, color_type, 0, 0, 1)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b""))
    # Checked by an independent decoder: PIL reads every pixel back.
    im = Image.open(path)
    for y in range(h):
        for x in range(w):
            got = im.getpixel((x, y))
            want = pixel(x, y)
            got = (got,) if isinstance(got, int) else tuple(got)
            assert got == (tuple(255 if v else 0 for v in want) if bits == 1 and im.mode == "1" else want), (path, x, y)


def main():
    os.makedirs(OUT, exist_ok=True)
    fax1 = page(["NOTICE OF TERMINATION", "Sent by registered mail."]).convert("1")
    fax2 = page(["SCHEDULE OF DILAPIDATIONS", "Roof repairs before handover."]).convert("1")
    fax1.save(f"{OUT}/fax_g4.tif", compression="group4", save_all=True, append_images=[fax2], dpi=(204, 196))
    subprocess.run(["tiffcp", "-c", "g3:2d", "-f", "lsb2msb", "-r", "100", f"{OUT}/fax_g4.tif",
                    f"{OUT}/fax_g3_lsb.tif"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        page(["Deed of variation for Unit 4", "Rent increases to twelve thousand."], mode="RGB").save(f"{tmp}/rgb.tif")
        subprocess.run(["tiffcp", "-c", "lzw:2", f"{tmp}/rgb.tif", f"{OUT}/deed_lzw.tif"], check=True)
    # Tiled: 256 x 256 tiles, the right and bottom ones padded past the image (LZW with a predictor, and G4).
    subprocess.run(["tiffcp", "-t", "-w", "256", "-l", "256", "-c", "lzw:2", f"{OUT}/deed_lzw.tif",
                    f"{OUT}/deed_tiled.tif"], check=True)
    subprocess.run(["tiffcp", "-t", "-w", "256", "-l", "128", "-c", "g4", f"{OUT}/fax_g4.tif", f"{OUT}/fax_tiled.tif"],
                   check=True)
    # JPEG in TIFF (YCbCr, 64-row strips sharing one JPEGTables), as scanners and tiffcp write it.
    subprocess.run(["tiffcp", "-c", "jpeg:60", "-r", "64", f"{OUT}/deed_lzw.tif", f"{OUT}/deed_jpeg.tif"], check=True)
    page(["Screenshot of the settlement terms", "Payment of forty thousand euros."], mode="RGBA").save(f"{OUT}/shot.png")
    page(["Photographed exhibit seventeen", "Signed by both parties in Lyon."], mode="RGB").save(
        f"{OUT}/photo.jpg", quality=60, dpi=(200, 200))
    # A phone photo: stored sideways, its EXIF Orientation (6) telling viewers to turn it clockwise.
    exif = Image.Exif()
    exif[0x0112] = 6
    page(["Exhibit eighteen, photographed sideways", "Witnessed in Geneva."], mode="RGB").rotate(90, expand=True).save(
        f"{OUT}/photo_sideways.jpg", quality=60, exif=exif.tobytes())
    # A front-camera picture: stored transposed (mirrored across its diagonal), EXIF Orientation 5.
    exif[0x0112] = 5
    page(["Exhibit nineteen, a mirrored selfie", "Taken at the hearing."], mode="RGB").transpose(
        Image.Transpose.TRANSPOSE).save(f"{OUT}/photo_transposed.jpg", quality=60, exif=exif.tobytes())
    # Interlaced PNGs at odd sizes, their pixels a formula test_image_pdf.cpp computes too.
    interlaced_png(f"{OUT}/interlaced_gray8.png", 37, 23, lambda x, y: ((x * 7 + y * 13) & 255,), 8, 0, 1)
    interlaced_png(f"{OUT}/interlaced_bw1.png", 37, 23, lambda x, y: (1 if (x * 3 + y * 5) % 7 < 3 else 0,), 1, 0, 1)
    interlaced_png(f"{OUT}/interlaced_rgba.png", 37, 23,
                   lambda x, y: ((x * 5) & 255, (y * 9) & 255, ((x + y) * 3) & 255, (x * y) & 255), 8, 6, 4)


if __name__ == "__main__":
    main()
