#!/usr/bin/env python3
"""Checks Folio's reading of PDF comments and form fields against qpdf's (an independent PDF reader).

    python3 tools/pdf_annots/compare_with_qpdf.py FOLIO_BINARY PDF...

qpdf --json gives each page's annotation dictionaries (decrypted, out of object streams) and the
AcroForm fields with their page. `folio ingest` reads the PDFs into a scratch library; each comment with
text (Contents) must then be in a chunk cited on its page, once, on a line naming its author (or, for a
FreeText, drawn in that page's text), and each field's value on its widget's page once: checked or
unchecked for a check box, the chosen option's name for radio buttons. Prints "N of N" per kind and
every mismatch; exits 1 on any.

On the committed fixtures (tests/fixtures/pdf/): comments 26 of 26; fields 11 of 16, the 5 others being
where this check and Folio read differently, not misreadings: a value that is also part of another value
on the page ("Jane Doe" in "Jane Doe, claimant") or of a comment ("two"), radio buttons that qpdf lists
per widget under the widget's name where Folio names the field by its parent's /TU, and a check box
whose /V is a string (qpdf: checked; Folio: no value, since a button's value is a name).
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

NOT_COMMENTS = {"/Popup", "/Link", "/Widget", "/Movie", "/Screen", "/PrinterMark", "/TrapNet", "/Watermark", "/3D"}


def text(v):
    return v[2:] if isinstance(v, str) and v[:2] in ("u:", "b:") else None


def qpdf_json(path):
    out = subprocess.run(["qpdf", "--json", "--json-key=pages", "--json-key=qpdf", "--json-key=acroform", path],
                         capture_output=True, text=True)
    if out.returncode not in (0, 3):
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def resolve(objects, v):
    while isinstance(v, str) and v.endswith(" R"):
        o = objects.get("obj:" + v)
        if o is None:
            return None
        v = o.get("value")
    return v


def expected(path):
    data = qpdf_json(path)
    objects = data["qpdf"][1]
    comments, fields = [], []
    for n, page in enumerate(data["pages"], start=1):
        pdict = resolve(objects, page["object"])
        annots = resolve(objects, pdict.get("/Annots")) or []
        for a in annots if isinstance(annots, list) else []:
            d = resolve(objects, a)
            if not isinstance(d, dict) or d.get("/Subtype") in NOT_COMMENTS or not isinstance(d.get("/Subtype"), str):
                continue
            contents = text(d.get("/Contents"))
            if contents and contents.strip():
                comments.append((n, d.get("/Subtype"), text(d.get("/T")) or "", contents.strip()))
    seen = set()
    for f in data["acroform"]["fields"]:
        if f["value"] is None or f["fieldtype"] not in ("/Tx", "/Ch", "/Btn") or f["object"] in seen:
            continue
        seen.add(f["object"])
        name = f["alternativename"] or f["fullname"]
        if f["ischeckbox"]:
            value = "unchecked" if f["value"] == "/Off" else "checked"
        elif f["isradiobutton"]:
            value = f["value"].lstrip("/") if f["value"] != "/Off" else None
        elif isinstance(f["value"], list):
            opt = resolve(objects, resolve(objects, f["object"]).get("/Opt")) or []
            shown = {text(o[0]): text(o[1]) for o in opt if isinstance(o, list) and len(o) == 2}
            value = "; ".join(shown.get(text(v), text(v)) for v in f["value"] if text(v))
        else:
            value = text(f["value"])
        if value:
            fields.append((f["pageposfrom1"], name, value, f["ischeckbox"] or f["isradiobutton"]))
    return comments, fields


def main():
    folio, pdfs = sys.argv[1], sys.argv[2:]
    failures, totals = [], {"comments": [0, 0], "fields": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            docs = os.path.join(tmp, os.path.basename(pdf) + ".d")
            os.makedirs(docs)
            shutil.copy(pdf, docs)
            lib = os.path.join(tmp, os.path.basename(pdf) + ".sqlite")
            subprocess.run([folio, "ingest", "--quiet", "--library", lib, docs], check=True, stdout=subprocess.DEVNULL)
            chunks = sqlite3.connect(lib).execute("SELECT page_first, page_last, text FROM chunks").fetchall()

            def where(s):
                return [(a, b, t) for a, b, t in chunks if s in t]

            comments, fields = expected(pdf)
            for page, subtype, author, contents in comments:
                totals["comments"][1] += 1
                first = contents.splitlines()[0]
                hits = where(first)
                ok = len(hits) == 1 and hits[0][0] <= page <= hits[0][1]
                if ok and subtype != "/FreeText":  # a text box drawn on the page has no comment line
                    line = next(l for l in hits[0][2].splitlines() if first in l)
                    ok = line.lstrip().startswith(("[comment p.%d" % page, "[reply p.%d" % page)) and author in line
                totals["comments"][0] += ok
                if not ok:
                    failures.append("%s p.%d comment %r by %r: %s" % (pdf, page, first, author, hits))
            for page, name, value, button in fields:
                totals["fields"][1] += 1
                probe = "[field p.%d, %s: %s]" % (page, name, value) if button else value
                hits = where(probe)
                ok = len(hits) == 1 and hits[0][0] <= page <= hits[0][1] and hits[0][2].count(probe) == 1
                totals["fields"][0] += ok
                if not ok:
                    failures.append("%s p.%d field %r = %r: %s" % (pdf, page, name, value, hits))
    for kind, (good, total) in totals.items():
        print("%s: %d of %d match qpdf" % (kind, good, total))
    for f in failures:
        print("MISMATCH", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
