#!/usr/bin/env python3
"""Scores `folio review` against a targets file (legal_review.tsv): for each (question, document) pair
listed, whether the cell holds a passage under one of the target clauses, or says "not found" where the
document has none. Usage: review_eval.py FOLIO LIBRARY TARGETS.tsv [extra folio review args...]"""
import collections
import json
import subprocess
import sys


def matches(heading, targets):
    parts = [p.strip() for p in heading.split("›")]
    for t in targets:
        for p in parts:
            if p == t or (p.startswith(t) and len(p) > len(t) and p[len(t)] in " ."):
                return True
    return False


def main():
    folio, library, targets_path = sys.argv[1:4]
    extra = sys.argv[4:]
    targets = collections.OrderedDict()
    for line in open(targets_path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        q, f, clauses = line.rstrip("\n").split("\t")
        targets[(q, f)] = None if clauses == "-" else clauses.split(",")
    questions = list(dict.fromkeys(q for q, _ in targets))
    cmd = [folio, "review", "--library", library, "--json"] + extra
    for q in questions:
        cmd += ["--question", q]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    table = json.loads(out.stdout)
    cells = {}
    for row in table["rows"]:
        for q, cell in zip(table["questions"], row["cells"]):
            cells[(q, row["document"]["path"])] = cell
    per_q = collections.defaultdict(lambda: [0, 0])
    hits = absent_right = absent_total = present_total = 0
    for (q, f), want in targets.items():
        cell = cells.get((q, f))
        if cell is None:
            print(f"MISSING ROW  {q} / {f}")
            continue
        got = cell["source"]["heading"] if cell["found"] else None
        if want is None:
            absent_total += 1
            ok = got is None
            absent_right += ok
        else:
            present_total += 1
            ok = got is not None and matches(got, want)
            hits += ok
        per_q[q][0] += ok
        per_q[q][1] += 1
        if not ok:
            print(f"MISS  {q} / {f}: want {want or 'not found'}, got {got or 'not found'}")
    print()
    for q in questions:
        print(f"{q:40s} {per_q[q][0]}/{per_q[q][1]}")
    print(f"\nclauses found: {hits}/{present_total}; absent said not found: {absent_right}/{absent_total}; "
          f"all: {hits + absent_right}/{present_total + absent_total}")


if __name__ == "__main__":
    main()
