#!/usr/bin/env python3
"""Compares Folio's text of a .doc with LibreOffice's text export of it, line by line.

    python3 tools/doc/compare_text.py folio.txt libreoffice.txt [--show]

Folio writes a blank line between paragraphs, heading marks ("# ") and the notes after the body;
LibreOffice writes one line per paragraph or table cell, list labels after indentation and note
marks as their numbers. Both sides are normalised (blank lines, indentation, heading marks and
Folio's Notes/Comments sections dropped; Folio's table rows split into cells, "[n]" marks as "n")
and aligned in order; prints how many of LibreOffice's lines Folio has exactly.
"""
import difflib
import re
import sys


def folio_lines(text):
    out = []
    for line in text.split("\n"):
        if line in ("# Notes", "# Comments", "Notes", "Comments"):
            break
        line = re.sub(r"^#+ ", "", line).strip()
        line = re.sub(r"\[comment \d+\]", "", line)
        line = re.sub(r"\[(\d+)\]", r"\1", line)
        if line:
            out.extend(c.strip() for c in line.split("|") if c.strip())
    return out


def libreoffice_lines(text):
    return [l.strip() for l in text.lstrip("\ufeff").split("\n") if l.strip()]


def main():
    ours = folio_lines(open(sys.argv[1], encoding="utf-8").read())
    theirs = libreoffice_lines(open(sys.argv[2], encoding="utf-8").read())
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks())
    print(f"{same} of {len(theirs)} LibreOffice lines matched exactly ({len(ours)} Folio lines)")
    if "--show" in sys.argv:
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                print(tag, "folio:", ours[i1:i2][:5], "libreoffice:", theirs[j1:j2][:5])


if __name__ == "__main__":
    main()
