#!/usr/bin/env python3
"""Checks Folio's list of a Word file's tracked changes against pandoc's reading of the same file.

    python3 tools/docx/compare_tracked_changes.py FOLIO_TEXT [--generate N] [--keep DIR] [--doc] [FILE.docx ...]

FOLIO_TEXT prints the text Folio extracts from one file (build/hA/tools/folio_xls_text). --generate N
writes N OpenDocument contracts with random tracked changes (insertions, deletions, replacements, by
three authors, in clauses, table cells and footnotes, some formatting changes) and has LibreOffice save
them as .docx, so the redlines are Word's format written by another program than Folio's tests.

pandoc -f docx --track-changes=all shows each w:ins/w:del (and moves) as a Span with class insertion or
deletion and the author. Both sides are reduced to changes (author, deleted text, inserted text): on
pandoc's side, spans standing next to each other with the same author are one change, as Folio groups
them; on Folio's, a move counts as a deletion and an insertion, a table row as its cells. Changes in
headers and footers are left out (pandoc does not read them). Prints per file and in total how many of
pandoc's changes Folio lists identically, and the ones that differ; exits 1 when any differ. With --doc,
LibreOffice also saves each file as Word 97-2003, and Folio's list of the .doc's revision marks is
compared with pandoc's reading of the .docx the same way.
"""
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import zipfile

AUTHORS = ["Opposing Counsel", "Jane Doe", "Bob Smith"]
WORDS = ("the supplier shall pay all fees within thirty days of receipt of a valid invoice and the customer "
         "may terminate this agreement for convenience on ninety days written notice liability is limited to "
         "the fees paid in the twelve months before the claim").split()


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


# --- pandoc's side -------------------------------------------------------------------------------------

def stringify(inlines):
    out = []
    for x in inlines:
        t, c = x.get("t"), x.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Note":
            continue
        elif t in ("Span", "Link", "Image"):
            out.append(stringify(c[1]))
        elif t == "Quoted":
            out.append('"' + stringify(c[1]) + '"')
        elif t in ("Code", "Math", "RawInline"):
            out.append(c[1])
        elif isinstance(c, list):
            out.append(stringify(c))
    return "".join(out)


def change_span(x):
    if not isinstance(x, dict) or x.get("t") != "Span":
        return None
    attrs = x["c"][0]
    kinds = attrs[1]
    keys = dict(attrs[2])
    for kind in ("insertion", "deletion", "paragraph-insertion", "paragraph-deletion"):
        if kind in kinds:
            return kind, keys.get("author", ""), stringify(x["c"][1])
    return None


def pandoc_changes(path):
    doc = json.loads(subprocess.run(["pandoc", "-f", "docx", "--track-changes=all", "-t", "json", path],
                                    capture_output=True, text=True, check=True).stdout)
    changes = []

    def inline_list(items):
        group = None
        for x in items:
            span = change_span(x)
            if span and span[0].startswith("paragraph-"):
                continue
            if span:
                kind, author, text = span
                if group is None or group["author"] != author:
                    if group:
                        changes.append(group)
                    group = {"author": author, "deleted": "", "inserted": ""}
                group["deleted" if kind == "deletion" else "inserted"] += text
                visit(x["c"][1])  # a note inside a change
                continue
            if group:
                changes.append(group)
                group = None
            visit(x)
        if group:
            changes.append(group)

    def visit(node):
        if isinstance(node, list):
            if node and all(isinstance(x, dict) and x.get("t") in INLINES for x in node):
                inline_list(node)
            else:
                for x in node:
                    visit(x)
        elif isinstance(node, dict):
            visit(node.get("c"))

    visit(doc["blocks"])
    return [(c["author"], norm(c["deleted"]), norm(c["inserted"])) for c in changes
            if norm(c["deleted"]) or norm(c["inserted"])]


INLINES = {"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted",
           "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link", "Image", "Note", "Span"}


# --- Folio's side --------------------------------------------------------------------------------------

LINE = re.compile(r'^\[change \d+\] (?:(?P<place>.*?) \u2014 )?(?P<who>[^:"]*?)(?:, \d{4}-\d\d-\d\d(?: \d\d:\d\d)?)?: '
                  r'(?P<what>(?:deleted|inserted|moved).*)$')
QUOTED = re.compile(r'(deleted table row|inserted table row|deleted paragraph|inserted paragraph|moved away|moved|deleted|inserted) "(.*?)"(?=, inserted "|$| from )')


def folio_changes(binary, path):
    text = subprocess.run([binary, path], capture_output=True, text=True, check=True).stdout
    at = text.find("# Tracked changes\n")
    if at < 0:
        return [], 0
    section = text[at:].split("\n\n# ")[0].split("\n\n")[1:]
    out, headers = [], 0
    for line in section:
        m = LINE.match(line)
        if not m:
            continue
        place = m.group("place") or ""
        if place.startswith(("header", "footer")):
            headers += 1
            continue
        author = m.group("who")
        if not m.group("place") and not author.strip():
            author = ""
        parts = QUOTED.findall(m.group("what"))
        deleted = "".join(t for k, t in parts if k.startswith("deleted"))
        inserted = "".join(t for k, t in parts if k.startswith("inserted"))
        moved = [t for k, t in parts if k.startswith("moved")]
        if any(k.endswith("table row") for k, _ in parts):  # pandoc has a table row's cells apart
            for cell in (deleted or inserted).split(" | "):
                out.append((author, norm(cell), "") if deleted else (author, "", norm(cell)))
            continue
        if moved:
            out.append((author, norm(moved[0]), ""))
            if not parts[0][0].endswith("away"):
                out.append((author, "", norm(moved[0])))
            continue
        out.append((author, norm(deleted), norm(inserted)))
    return out, headers


def same(a, b):
    """Folio quotes a long text with its middle left out: its ends must match."""
    if a == b:
        return True
    if " \u2026 " in a:
        head, tail = a.split(" \u2026 ", 1)
        return b.startswith(head) and b.endswith(tail)
    return False


def agree(folio, pandoc):
    left = list(folio)
    matched, missing = 0, []
    for p in pandoc:
        hit = next((f for f in left if f[0] == p[0] and same(f[1], p[1]) and same(f[2], p[2])), None)
        if hit:
            left.remove(hit)
            matched += 1
        else:
            missing.append(p)
    return matched, missing, left


# --- generated files -----------------------------------------------------------------------------------

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


class Redline:
    def __init__(self, rng):
        self.rng, self.regions, self.n = rng, [], 0

    def info(self, author):
        day = self.rng.randint(1, 28)
        return ("<office:change-info><dc:creator>%s</dc:creator><dc:date>2024-03-%02dT14:%02d:00</dc:date>"
                "</office:change-info>" % (author, day, self.rng.randint(0, 59)))

    def insertion(self, author, text):
        self.n += 1
        self.regions.append('<text:changed-region text:id="c%d"><text:insertion>%s</text:insertion></text:changed-region>'
                            % (self.n, self.info(author)))
        return '<text:change-start text:change-id="c%d"/>%s<text:change-end text:change-id="c%d"/>' % (self.n, text, self.n)

    def deletion(self, author, text):
        self.n += 1
        self.regions.append('<text:changed-region text:id="c%d"><text:deletion>%s<text:p>%s</text:p></text:deletion>'
                            '</text:changed-region>' % (self.n, self.info(author), text))
        return '<text:change text:change-id="c%d"/>' % self.n

    def formatting(self, author, text):
        self.n += 1
        self.regions.append('<text:changed-region text:id="c%d"><text:format-change>%s</text:format-change>'
                            '</text:changed-region>' % (self.n, self.info(author)))
        return ('<text:change-start text:change-id="c%d"/><text:span text:style-name="B">%s</text:span>'
                '<text:change-end text:change-id="c%d"/>' % (self.n, text, self.n))

    def sentence(self, words=12):
        """A sentence of plain words with 0-2 changes in it, standing apart."""
        out, i = [], 0
        for _ in range(words):
            out.append(self.rng.choice(WORDS))
        pieces, changed = [], 0
        for i, w in enumerate(out):
            if changed < 2 and self.rng.random() < 0.12:
                author = self.rng.choice(AUTHORS)
                kind = self.rng.choice(["ins", "del", "rep", "fmt"])
                new = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 4)))
                if kind == "ins":
                    pieces.append(w + " " + self.insertion(author, new) + " ")
                elif kind == "del":
                    pieces.append(self.deletion(author, w) + " ")
                elif kind == "rep":
                    pieces.append(self.deletion(author, w) + self.insertion(author, new) + " ")
                else:
                    pieces.append(self.formatting(author, w) + " ")
                changed += 1
            else:
                pieces.append(w + " ")
        return "".join(pieces).strip().capitalize() + "."


def odt(rng, path):
    r = Redline(rng)
    body = []
    for clause in range(1, 7):
        body.append('<text:h text:outline-level="1">%d. %s</text:h>' % (clause, r.rng.choice(["Fees", "Term", "Liability", "Notices"])))
        for sub in range(1, rng.randint(2, 4)):
            note = ""
            if rng.random() < 0.3:
                note = ('<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>'
                        '<text:p>%s</text:p></text:note-body></text:note>' % r.sentence(6))
            body.append("<text:p>%d.%d %s%s</text:p>" % (clause, sub, r.sentence(), note))
        if rng.random() < 0.4:
            rows = "".join("<table:table-row>%s</table:table-row>" % "".join(
                "<table:table-cell><text:p>%s</text:p></table:table-cell>" % r.sentence(3) for _ in range(2)) for _ in range(2))
            body.append('<table:table table:name="T%d"><table:table-column table:number-columns-repeated="2"/>%s</table:table>'
                        % (clause, rows))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content %s office:version="1.2">'
               '<office:automatic-styles><style:style style:name="B" style:family="text"><style:text-properties '
               'fo:font-weight="bold"/></style:style></office:automatic-styles><office:body><office:text>'
               '<text:tracked-changes>%s</text:tracked-changes>%s</office:text></office:body></office:document-content>'
               % (ODF_NS, "".join(r.regions), "".join(body)))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def generate(n, folder):
    rng = random.Random(20261129)
    odts = []
    for i in range(n):
        path = os.path.join(folder, "redline%02d.odt" % i)
        odt(rng, path)
        odts.append(path)
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + os.path.join(folder, "profile"),
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder] + odts,
                   capture_output=True, check=True, timeout=600)
    return [p[:-4] + ".docx" for p in odts if os.path.exists(p[:-4] + ".docx")]


def as_doc(files, folder):
    """Each .docx saved as Word 97-2003 by LibreOffice: (the .docx, the .doc)."""
    out = os.path.join(folder, "doc")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + os.path.join(folder, "profile"),
                    "--convert-to", "doc:MS Word 97", "--outdir", out] + files, capture_output=True, check=True, timeout=600)
    pairs = [(f, os.path.join(out, os.path.basename(f)[:-5] + ".doc")) for f in files]
    return [(f, d) for f, d in pairs if os.path.exists(d)]


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    binary, files, count, keep, doc = args[0], [], 0, None, False
    i = 1
    while i < len(args):
        if args[i] == "--generate":
            count, i = int(args[i + 1]), i + 2
        elif args[i] == "--keep":
            keep, i = args[i + 1], i + 2
        elif args[i] == "--doc":
            doc, i = True, i + 1
        else:
            files.append(args[i])
            i += 1
    folder = keep or tempfile.mkdtemp(prefix="folio-redlines-")
    os.makedirs(folder, exist_ok=True)
    if count:
        files += generate(count, folder)
    pairs = as_doc(files, folder) if doc else [(f, f) for f in files]
    totals = collections.Counter()
    for source, path in pairs:
        pandoc = pandoc_changes(source)
        folio, headers = folio_changes(binary, path)
        matched, missing, extra = agree(folio, pandoc)
        totals.update(pandoc=len(pandoc), folio=len(folio), matched=matched, headers=headers)
        print("%s: %d of %d pandoc changes listed alike by Folio (Folio lists %d; %d in headers/footers not compared)"
              % (os.path.basename(path), matched, len(pandoc), len(folio), headers))
        for m in missing:
            print("  pandoc only:", m)
        for e in extra:
            print("  Folio only: ", e)
    print("total: %d of %d pandoc changes agree; Folio listed %d (%d files)"
          % (totals["matched"], totals["pandoc"], totals["folio"], len(pairs)))
    return 0 if totals["matched"] == totals["pandoc"] == totals["folio"] else 1


if __name__ == "__main__":
    sys.exit(main())
