#!/usr/bin/python3
"""Writes the image fixtures of tests/unit/ingest/test_image_pdf.cpp: text rendered onto pages saved
as a 2-page G4 fax TIFF, a G3 2-D TIFF with reversed bit order and 100-row strips (tiffcp), an RGB TIFF
compressed with LZW and a horizontal predictor (tiffcp), an RGBA PNG (a screenshot), a JPEG photo and a
JPEG stored sideways with an EXIF orientation, and one stored transposed (a mirror orientation).
Needs python3-pil, libtiff-tools and fonts-dejavu-core (Debian). Run from the repository root."""
import os
import subprocess
import tempfile

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


if __name__ == "__main__":
    main()
