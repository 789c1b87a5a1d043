#!/usr/bin/python3
"""Asks each question of a questions file (question<TAB>answering files) with `folio ask --json` (no
model: the extractive answer's citations) and prints whether an answering file is cited, and at which
rank. Usage: ask_eval.py FOLIO LIBRARY QUESTIONS.tsv [--top N]"""
import json, subprocess, sys

def main():
    folio, library, questions = sys.argv[1:4]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 3
    found = 0
    rows = []
    for line in open(questions, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        question, files = line.rstrip("\n").split("\t")
        want = set(files.split())
        out = subprocess.run([folio, "ask", "--library", library, "--json", question],
                             capture_output=True, text=True, check=True).stdout
        cited = []
        for c in json.loads(out)["citations"]:
            if c["path"] not in cited:
                cited.append(c["path"])
        rank = next((i + 1 for i, p in enumerate(cited) if p in want), None)
        hit = rank is not None and rank <= top
        found += hit
        rows.append((question, rank, cited[:top]))
    width = max(len(q) for q, _, _ in rows)
    for q, rank, cited in rows:
        print(f"{q:<{width}}  {'-' if rank is None else rank:>2}  {', '.join(cited)}")
    first = sum(1 for _, rank, _ in rows if rank == 1)
    print(f"\nanswering file cited first: {first} of {len(rows)}")
    print(f"answering file among the first {top} cited: {found} of {len(rows)}")

main()
