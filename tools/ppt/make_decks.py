#!/usr/bin/env python3
"""Writes a varied set of presentations as flat OpenDocument (.fodp) and converts each with LibreOffice
Impress to PowerPoint 97-2003 (.ppt) and to .pptx, so Folio's .ppt reader can be compared with Folio's
.pptx reader on the same deck and with catppt (catdoc). Run by hand; nothing here is committed output.

    python3 tools/ppt/make_decks.py OUT_DIR            # the decks, converted
    python3 tools/ppt/make_decks.py OUT_DIR --slides N  # also big.fodp of N slides (size and time)
    /usr/bin/python3 tools/ppt/make_decks.py --fuzz-seeds DECK.ppt…  # tests/fuzz/corpus/fuzz_ppt/ (olefile)
"""
import os
import subprocess
import sys
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')


def frame(cls, y, body, height=3):
    return (f'<draw:frame presentation:class="{cls}" presentation:style-name="pr1" svg:x="1.5cm" svg:y="{y}cm" svg:width="25cm" '
            f'svg:height="{height}cm"><draw:text-box>{body}</draw:text-box></draw:frame>')


def paras(lines):
    return "".join(f"<text:p>{escape(l)}</text:p>" for l in lines)


def bullets(lines):
    items = "".join(f"<text:list-item><text:p>{escape(l)}</text:p></text:list-item>" for l in lines)
    return f"<text:list>{items}</text:list>"


def table(rows):
    cols = max(len(r) for r in rows)
    out = ('<draw:frame svg:x="2cm" svg:y="6cm" svg:width="20cm" svg:height="6cm"><table:table>'
           + '<table:table-column/>' * cols)
    for r in rows:
        out += "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
            for c in r) + "</table:table-row>"
    return out + "</table:table></draw:frame>"


def placeholder(cls, y, height):
    return (f'<draw:frame presentation:class="{cls}" presentation:placeholder="true" svg:x="1.5cm" '
            f'svg:y="{y}cm" svg:width="25cm" svg:height="{height}cm"/>')


def slide(n, title=None, body=None, notes=None, hidden=False, extra=""):
    style = "dpHidden" if hidden else "dp1"
    out = (f'<draw:page draw:name="page{n}" draw:style-name="{style}" draw:master-page-name="Default" '
           'presentation:presentation-page-layout-name="AL1T2">')
    if title is not None:
        out += frame("title", 1, paras([title]))
    if body:
        out += frame("outline", 5, bullets(body), 12)
    out += extra
    if notes:
        out += f'<presentation:notes>{frame("notes", 15, paras(notes), 8)}</presentation:notes>'
    return out + "</draw:page>"


def deck(slides, title="", author=""):
    meta = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    meta += f"<meta:initial-creator>{escape(author)}</meta:initial-creator>" if author else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.presentation">'
            f"<office:meta>{meta}</office:meta>"
            '<office:styles><style:presentation-page-layout style:name="AL1T2">'
            '<presentation:placeholder presentation:object="title" svg:x="1.5cm" svg:y="1cm" svg:width="25cm" svg:height="3cm"/>'
            '<presentation:placeholder presentation:object="outline" svg:x="1.5cm" svg:y="5cm" svg:width="25cm" svg:height="12cm"/>'
            '</style:presentation-page-layout></office:styles>'
            '<office:automatic-styles><style:style style:name="dp1" style:family="drawing-page"/>'
            '<style:style style:name="pr1" style:family="presentation"/>'
            '<style:style style:name="dpHidden" style:family="drawing-page">'
            '<style:drawing-page-properties presentation:visibility="hidden"/></style:style>'
            '</office:automatic-styles><office:master-styles><style:master-page style:name="Default">'
            + placeholder("title", 1, 3) + placeholder("outline", 5, 12)
            + '<presentation:notes>' + placeholder("notes", 15, 8) + '</presentation:notes></style:master-page>'
            '</office:master-styles><office:body><office:presentation>'
            + "".join(slides) + "</office:presentation></office:body></office:document>\n")


def decks(big):
    out = {}
    out["basic"] = deck([
        slide(1, "Quarterly review", ["Revenue grew 12%", "Costs held flat", "Hiring paused"]),
        slide(2, "Risks", ["Supplier delay on part A-17", "Currency exposure"], notes=["Mention the hedge."]),
        slide(3, "Next steps", ["Sign the lease", "Close the audit"]),
    ], title="Quarterly review", author="Ada Lovelace")
    out["unicode"] = deck([
        slide(1, "Résiliation du bail", ["Le preneur doit quitter les lieux", "Délai : trois mois"]),
        slide(2, "Договор аренды", ["Стороны договорились", "Срок — один год"], notes=["Заметки докладчика"]),
        slide(3, "契約の解除", ["甲は乙に通知する", "期間は三か月"]),
        slide(4, "Ελληνικά και emoji 😀", ["α β γ", "naïve façade — “quotes”"]),
    ])
    out["hidden"] = deck([
        slide(1, "Shown", ["Visible body"]),
        slide(2, "Backup slide", ["Only if asked"], hidden=True, notes=["Hidden slide notes"]),
        slide(3, "Shown again", ["Last body"]),
    ])
    out["tables"] = deck([
        slide(1, "Fees", None, extra=table([["Item", "Amount"], ["Rent", "1,200"], ["Deposit", "2,400"]])),
        slide(2, "Matrix", ["Before the table"],
              extra=table([["a", "b", "c"], ["d", "e", "f"]])),
    ])
    out["notitles"] = deck([
        slide(1, None, ["Only a body, no title"]),
        slide(2, "", ["Empty title frame"]),
        slide(3, "Several paragraphs", ["One", "Two", "Three", "Four", "Five"]),
    ])
    box = ('<draw:frame svg:x="2cm" svg:y="14cm" svg:width="20cm" svg:height="3cm"><draw:text-box>'
           '<text:p>A text box<text:line-break/>with a line break</text:p><text:p>and a second paragraph</text:p>'
           '</draw:text-box></draw:frame>')
    nested = ('<text:list><text:list-item><text:p>Level one</text:p><text:list><text:list-item>'
              '<text:p>Level two</text:p></text:list-item></text:list></text:list-item></text:list>')
    out["mixed"] = deck([
        slide(1, "Text boxes and breaks", ["Body first"], extra=box),
        slide(2, "Nested bullets", None, extra=frame("outline", 5, nested, 12)),
        slide(3, "Long title that goes on and on across the whole width of the slide and wraps", ["x"]),
        slide(4, "Tabs\tand  spaces", ["a\tb", "trailing spaces   "], notes=["Note one", "Note two"]),
    ])
    if big:
        out["big"] = deck([slide(i, f"Slide title {i}", [f"Point {i}.{k} about clause {i * 7 + k}" for k in range(6)],
                                 notes=[f"Notes for slide {i}"]) for i in range(1, big + 1)])
    return out


def fuzz_seeds(paths):
    """fuzz_ppt's input from each deck: the Current User's offsetToCurrentEdit (32-bit), then the
    "PowerPoint Document" stream."""
    import olefile
    import struct
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/fuzz/corpus/fuzz_ppt")
    os.makedirs(out, exist_ok=True)
    for path in paths:
        ole = olefile.OleFileIO(path)
        user = ole.openstream("Current User").read()
        document = ole.openstream("PowerPoint Document").read()
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name), "wb") as f:
            f.write(struct.pack("<I", struct.unpack_from("<I", user, 16)[0]) + document)


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("-") and sys.argv[1] != "--fuzz-seeds":
        sys.exit("usage: make_decks.py OUT_DIR [--slides N] | make_decks.py --fuzz-seeds DECK.ppt... (see the top of this file)")
    if sys.argv[1] == "--fuzz-seeds":
        fuzz_seeds(sys.argv[2:])
        return
    out_dir = sys.argv[1]
    big = int(sys.argv[sys.argv.index("--slides") + 1]) if "--slides" in sys.argv else 0
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for name, text in decks(big).items():
        path = os.path.join(out_dir, name + ".fodp")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        paths.append(path)
    profile = "-env:UserInstallation=file:///tmp/lo_profile_ppt"
    for fmt in ("ppt", "pptx"):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", out_dir] + paths,
                       check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
