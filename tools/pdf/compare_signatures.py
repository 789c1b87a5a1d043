#!/usr/bin/env python3
"""Checks Folio's signature lines against pdfsig's (poppler's NSS-based checker), PDF by PDF.

    python3 tools/pdf/compare_signatures.py FOLIO_BINARY PDF...

`pdfsig -nocert` (in UTC) lists each signature field: signed or not, the signer certificate's common name,
the signing time, whether the signature covers the whole file ("Total document signed") and whether the
signed bytes verify ("Signature is Valid.", "Digest Mismatch.", ...). qpdf --json gives each field's page
and the name Folio shows (/TU, else the full name). `folio ingest` reads the PDFs into a scratch library,
and each field must have one line "[signature p.N, name: ...]" cited on its page that agrees: "not signed";
"signed by CN"; the signing time as "YYYY-MM-DD HH:MM UTC", stated as the signer's clock (beside a
timestamp token's time when there is one); "the signed bytes are unchanged" for a valid one, "do not
match" for a digest mismatch, "does not verify" or "not checked" otherwise; "the document was changed
after this signature" exactly when pdfsig says the whole document is not signed (where Folio checked
it). Prints "N of M" per aspect and every disagreement; exits 1 on any.

A field whose widget is in no page's /Annots (qpdf lists no page for it) must stand on the page its /P
names, else as "[signature on no page, name: ...]", read from qpdf's objects. pdfsig does not verify a
document timestamp (ETSI.RFC3161: "Signature has not yet been verified"); for those the openssl CLI is
the oracle: `openssl ts -reply -token_in -text` gives the token's time and message imprint, compared with
the SHA-256 (or the imprint's algorithm) of the ranges pdfsig lists, and `openssl cms -verify -noverify`
checks the token's own signature; Folio must say the bytes match the imprint exactly when both hold.
"""
import hashlib
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def pdfsig(path):
    """[{field, signed, cn, time, total, validation}] in pdfsig's order."""
    env = dict(os.environ, TZ="UTC")
    out = subprocess.run(["pdfsig", "-nocert", path], capture_output=True, text=True, env=env).stdout
    sigs = []
    for line in out.splitlines():
        line = line.strip()
        if re.match(r"Signature #\d+:", line):
            sigs.append({"signed": True, "cn": None, "time": None, "total": None, "validation": None, "ranges": None,
                         "type": None})
        elif not sigs:
            continue
        elif line.startswith("- Signature Field Name:"):
            sigs[-1]["field"] = line.split(":", 1)[1].strip()
        elif line.startswith("The signature form field is not signed"):
            sigs[-1]["signed"] = False
        elif line.startswith("- Signer Certificate Common Name:"):
            cn = line.split(":", 1)[1].strip()
            sigs[-1]["cn"] = None if cn == "(null)" else cn  # pdfsig could not read it
        elif line.startswith("- Signing Time:"):
            t = datetime.datetime.strptime(line.split(":", 1)[1].strip(), "%b %d %Y %H:%M:%S")
            sigs[-1]["time"] = t.strftime("%Y-%m-%d %H:%M UTC")
        elif line == "- Total document signed":
            sigs[-1]["total"] = True
        elif line == "- Not total document signed":
            sigs[-1]["total"] = False
        elif line.startswith("- Signature Type:"):
            sigs[-1]["type"] = line.split(":", 1)[1].strip()
        elif line.startswith("- Signed Ranges:"):
            sigs[-1]["ranges"] = [tuple(int(n) for n in r) for r in re.findall(r"\[(\d+) - (\d+)\]", line)]
        elif line.startswith("- Signature Validation:"):
            sigs[-1]["validation"] = line.split(":", 1)[1].strip()
    return sigs


def field_pages(path):
    """{full name: (page, name Folio shows)} of the signature fields, from qpdf; page 0: on no page."""
    out = subprocess.run(["qpdf", "--json", "--json-key=acroform", "--json-key=pages", "--json-key=qpdf", path],
                         capture_output=True, text=True)
    doc = json.loads(out.stdout)
    fields = {}
    for f in doc["acroform"]["fields"]:
        if f["fieldtype"] == "/Sig":
            fields[f["fullname"]] = (f["pageposfrom1"], f["alternativename"] or f["fullname"])
    # Widgets in no page's /Annots: qpdf's form view misses them; walk the /Parent chain in its objects.
    objects = doc["qpdf"][1]
    pages = {p["object"]: i + 1 for i, p in enumerate(doc["pages"])}
    text = lambda v: v[2:] if isinstance(v, str) and v.startswith(("u:", "b:")) else v
    for key, o in objects.items():
        v = o.get("value") if isinstance(o, dict) else None
        if not isinstance(v, dict) or v.get("/Subtype") != "/Widget":
            continue
        chain, at = [v], v
        while isinstance(at.get("/Parent"), str) and len(chain) < 32:
            at = objects.get("obj:" + at["/Parent"], {}).get("value", {})
            chain.append(at)
        if not any(d.get("/FT") == "/Sig" for d in chain):
            continue
        full = ".".join(text(d["/T"]) for d in reversed(chain) if "/T" in d)
        if full in fields:
            continue
        shown = next((text(d["/TU"]) for d in chain if "/TU" in d), full)
        fields[full] = (pages.get(v.get("/P"), 0), shown)
    return fields


def timestamp_oracle(pdf, ranges):
    """(time "YYYY-MM-DD HH:MM UTC", bytes match the imprint and the token's signature verifies), by openssl."""
    data = open(pdf, "rb").read()
    (a, b), (c, d) = ranges
    gap = data[b:c].strip()
    token = bytes.fromhex(gap[1:-1].decode("latin-1").strip()).rstrip(b"\0")
    with tempfile.NamedTemporaryFile(suffix=".tst") as f:
        f.write(token)
        f.flush()
        info = subprocess.run(["openssl", "ts", "-reply", "-in", f.name, "-token_in", "-text"], capture_output=True,
                              text=True).stdout
        signed = subprocess.run(["openssl", "cms", "-verify", "-noverify", "-inform", "DER", "-in", f.name, "-out",
                                 os.devnull], capture_output=True).returncode == 0
    when = re.search(r"Time stamp: (\w+ +\d+ \d+:\d+:\d+) (\d+)", info)
    t = datetime.datetime.strptime(when.group(1) + " " + when.group(2), "%b %d %H:%M:%S %Y")
    algorithm = re.search(r"Hash Algorithm: (\S+)", info).group(1)
    imprint = bytes.fromhex("".join(re.findall(r"^\s+[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]?)+)", info, re.M)).replace(" ", "").replace("-", ""))
    digest = hashlib.new(algorithm, data[a:b] + data[c:d]).digest()
    return t.strftime("%Y-%m-%d %H:%M UTC"), signed and digest == imprint


def folio_lines(folio, pdf, tmp):
    docs = os.path.join(tmp, os.path.basename(pdf) + ".d")
    os.makedirs(docs)
    shutil.copy(pdf, docs)
    lib = os.path.join(tmp, os.path.basename(pdf) + ".sqlite")
    subprocess.run([folio, "ingest", "--quiet", "--library", lib, docs], check=True, stdout=subprocess.DEVNULL)
    lines = []
    for first, last, text in sqlite3.connect(lib).execute("SELECT page_first, page_last, text FROM chunks"):
        lines += [(first, last, l) for l in text.splitlines() if l.startswith(("[signature p.", "[signature on no page"))]
    return lines


def agrees(sig, line, pdf):
    """{aspect: True/False} for the aspects pdfsig (or, for a document timestamp, openssl) states."""
    out = {"signed": ("not signed]" in line) != sig["signed"]}
    if not sig["signed"]:
        return out
    # pdfsig 22 names a document timestamp's type "unknown" (later ones ETSI.RFC3161) and verifies nothing.
    if sig["type"] in ("unknown", "ETSI.RFC3161") and "document timestamp" in line and sig["ranges"]:
        when, holds = timestamp_oracle(pdf, sig["ranges"])
        out["timestamp signer"] = ("document timestamp by %s" % sig["cn"]) in line
        out["timestamp time"] = (when + " (the time the token states)") in line
        out["timestamp imprint"] = ("the timestamped bytes match the token's message imprint" in line) == holds
        out["coverage"] = ("the document was changed after this timestamp" in line) != sig["total"]
        return out
    if sig["cn"] is not None:
        out["signer"] = ("signed by %s" % sig["cn"]) in line
    if sig["time"] is not None:
        out["time"] = sig["time"] + " (the time the signer's computer stated" in line or \
            "the signer's computer stated " + sig["time"] + ")" in line
    v = sig["validation"] or ""
    if v.startswith("Signature is Valid"):
        out["integrity"] = "the signed bytes are unchanged" in line
    elif v.startswith("Digest Mismatch"):
        out["integrity"] = "the signed bytes do not match the signature" in line
    elif v:
        out["integrity"] = "does not verify" in line or "not checked:" in line
    if sig["total"] is not None and "the signature was not checked:" not in line:
        out["coverage"] = ("the document was changed after this signature" in line) != sig["total"]
    return out


def main():
    folio, pdfs = sys.argv[1], sys.argv[2:]
    totals, failures = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            lines, pages = folio_lines(folio, pdf, tmp), field_pages(pdf)
            for sig in pdfsig(pdf):
                page, name = pages.get(sig.get("field"), (0, sig.get("field")))
                prefix = "[signature p.%d, %s: " % (page, name) if page else "[signature on no page, %s: " % name
                hits = [(a, b, l) for a, b, l in lines if l.startswith(prefix)]
                # On no page: after the last page's text, so in a chunk of the last page.
                found = len(hits) == 1 and (hits[0][0] <= page <= hits[0][1] if page else hits[0][1] >= 1)
                results = {"present": found}
                if found:
                    results.update(agrees(sig, hits[0][2], pdf))
                for aspect, ok in results.items():
                    good, total = totals.get(aspect, (0, 0))
                    totals[aspect] = (good + ok, total + 1)
                    if not ok:
                        failures.append("%s %s %s: pdfsig %s; Folio %s" % (pdf, name, aspect, sig, [h[2] for h in hits]))
    for aspect, (good, total) in totals.items():
        print("%s: %d of %d agree with pdfsig" % (aspect, good, total))
    for f in failures:
        print("DISAGREE", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
