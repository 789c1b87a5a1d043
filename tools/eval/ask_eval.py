#!/usr/bin/python3
"""Asks each question of a questions file (question<TAB>answering targets) with `folio ask --json` (no
model: the extractive answer's citations) and prints whether a target is cited, and at which rank.
A target is a file path ("src/expire.c"), or a file and a clause ("CSA.pdf#8.1"): a citation of that
file whose heading has a part numbered so ("8. Limitation of Liability › 8.1 Liability Caps").
Usage: ask_eval.py FOLIO LIBRARY QUESTIONS.tsv [--top N]"""
import json, os, re, subprocess, sys


def clause_numbers(heading):
    """The leading numbers of a heading's parts: "8. Limitation › 8.1 Caps" -> {"8", "8.1"}."""
    numbers = set()
    for part in heading.split(" › "):
        token = part.strip().split(" ")[0].rstrip(".")
        if token[:1].isdigit():
            numbers.add(token)
    return numbers


def inner_file(heading):
    """The file a passage of an archive or a message lies in: "File: src/expire.c › …" -> src/expire.c."""
    inner = ""
    for part in heading.split(" › "):
        for lead in ("File: ", "Attachment: "):
            if part.startswith(lead):
                inner = re.sub(r", (pages?|slides?) [0-9–-]+$", "", part[len(lead):])
    return inner


def matches(citation, target):
    file, _, clause = target.partition("#")
    paths = [citation["path"], inner_file(citation.get("heading") or "")]
    if not any(p == file or p.endswith("/" + file) for p in paths if p):
        return False
    return not clause or clause in clause_numbers(citation.get("heading") or "")


def main():
    folio, library, questions = sys.argv[1:4]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 3
    clauses = False
    rows = []
    for line in open(questions, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        question, targets = line.rstrip("\n").split("\t")
        targets = targets.split()
        clauses = clauses or any("#" in t for t in targets)
        out = subprocess.run([folio, "ask", "--library", library, "--json", question],
                             capture_output=True, text=True, check=True).stdout
        # Citations in order; with clause targets each passage counts, else each file once.
        cited = []
        for c in json.loads(out)["citations"]:
            key = (c["path"], c.get("heading") or "") if clauses else (c["path"], inner_file(c.get("heading") or ""))
            if key not in [(x["path"], x.get("heading") or "") if clauses else (x["path"], inner_file(x.get("heading") or "")) for x in cited]:
                cited.append(c)
        rank = next((i + 1 for i, c in enumerate(cited) if any(matches(c, t) for t in targets)), None)
        shown = [os.path.basename(c["path"]) + (" " + (c.get("heading") or "").split(" › ")[-1][:24] if clauses else "")
                 if clauses else (inner_file(c.get("heading") or "") or c["path"]) for c in cited[:top]]
        rows.append((question, rank, shown))
    width = min(max(len(q) for q, _, _ in rows), 90)
    for q, rank, shown in rows:
        print(f"{q[:width]:<{width}}  {'-' if rank is None else rank:>2}  {' | '.join(shown)}")
    first = sum(1 for _, rank, _ in rows if rank == 1)
    found = sum(1 for _, rank, _ in rows if rank is not None and rank <= top)
    what = "answering clause" if clauses else "answering file"
    print(f"\n{what} cited first: {first} of {len(rows)}")
    print(f"{what} among the first {top} cited: {found} of {len(rows)}")


main()
