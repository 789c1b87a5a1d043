#!/usr/bin/env python3
"""Compares Folio's text of each .ppt that make_decks.py wrote with three other readings, line by line:
the deck's .pptx (LibreOffice's export of the same source, read by Folio's .pptx reader), the .ppt
opened by LibreOffice and saved as .pptx (an independent reader of the .ppt, read by Folio's .pptx
reader), and catppt (catdoc).

    /usr/bin/python3 tools/ppt/compare_decks.py OUT_DIR [FOLIO_BINARY] [--show]

Ingests OUT_DIR's .ppt and .pptx files into a scratch library with `folio ingest`, rebuilds each
document's text from its chunks, normalises lines (blank lines and indentation dropped, a table
row split into its cells) and prints how many lines of the other reading Folio's .ppt text has.
"""
import difflib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

PROFILE = "-env:UserInstallation=file:///tmp/lo_profile_ppt"


def lines(text):
    out = []
    for line in text.split("\n"):
        line = re.sub(r"^#+ ", "", line).strip()
        line = re.sub(r"^Speaker notes: ", "", line)
        # LibreOffice's .pptx of an imported .ppt indents titles with tabs; an empty title leaves "Slide N:".
        line = re.sub(r"^(Slide \d+(?: \(hidden\))?):$", r"\1", re.sub(r"\s+", " ", line))
        if line:
            out.extend(c.strip() for c in line.split(" | ") if c.strip())
    return out


def library_texts(db_path):
    db = sqlite3.connect(db_path)
    texts = {}
    for doc_id, rel, status, error in db.execute("select id, rel_path, status, error from documents"):
        buf = bytearray()
        for begin, text in db.execute("select byte_begin, text from chunks where document_id=? order by ordinal", (doc_id,)):
            data = text.encode()
            if len(buf) < begin + len(data):
                buf.extend(b"\n" * (begin + len(data) - len(buf)))
            buf[begin:begin + len(data)] = data
        texts[rel] = buf.decode(errors="replace") if status == "ok" else "FAILED: " + error
    return texts


def compare(ours, theirs, label, show):
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks())
    print(f"  {label}: {same} of {len(theirs)} lines equal (Folio .ppt: {len(ours)} lines)")
    if show:
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                print("    ", tag, "ppt:", ours[i1:i2][:4], label + ":", theirs[j1:j2][:4])
    return same, len(theirs)


def main():
    out_dir = sys.argv[1]
    folio = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "build/hB/bin/folio"
    show = "--show" in sys.argv
    work = tempfile.mkdtemp(prefix="folio_ppt_")
    tree = os.path.join(work, "tree")
    os.makedirs(tree)
    decks = sorted(f[:-4] for f in os.listdir(out_dir) if f.endswith(".ppt"))
    for name in decks:
        shutil.copy(os.path.join(out_dir, name + ".ppt"), os.path.join(tree, name + ".ppt"))
        shutil.copy(os.path.join(out_dir, name + ".pptx"), os.path.join(tree, name + ".pptx"))
        os.makedirs(os.path.join(work, "lo"), exist_ok=True)
    # LibreOffice's reading of the .ppt, saved as .pptx ("name.lo.pptx").
    subprocess.run(["soffice", PROFILE, "--headless", "--convert-to", "pptx", "--outdir", os.path.join(work, "lo")]
                   + [os.path.join(tree, n + ".ppt") for n in decks], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    for name in decks:
        shutil.copy(os.path.join(work, "lo", name + ".pptx"), os.path.join(tree, name + ".lo.pptx"))
    db = os.path.join(work, "lib.sqlite")
    subprocess.run([folio, "ingest", "--library", db, "--quiet", "--no-ocr", tree], check=True)
    texts = library_texts(db)
    totals = {}
    for name in decks:
        ours = lines(texts[name + ".ppt"])
        print(f"{name}.ppt: {texts[name + '.ppt'].count('# Slide ')} slides")
        catppt = subprocess.run(["catppt", "-d", "utf-8", os.path.join(tree, name + ".ppt")], capture_output=True,
                                text=True).stdout
        for label, other in (("deck .pptx", lines(texts[name + ".pptx"])),
                             ("LibreOffice .ppt->.pptx", lines(texts[name + ".lo.pptx"])),
                             ("catppt", [l.strip() for l in catppt.split("\n") if l.strip()])):
            same, total = compare(ours, other, label, show)
            s, t = totals.get(label, (0, 0))
            totals[label] = (s + same, t + total)
    print("total:", ", ".join(f"{label} {s}/{t}" for label, (s, t) in totals.items()))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
