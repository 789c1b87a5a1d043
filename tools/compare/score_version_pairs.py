#!/usr/bin/python3
"""Scores `folio compare` on the pairs make_version_pairs.py wrote: how many of the edits made it finds
(recall, per kind) and how many of the differences it lists no edit explains (spurious).

    score_version_pairs.py FOLIO PAIRS [--new new.docx|new.pdf] [-v]

An edit is found when a listed difference says it: a phrase as a change whose deleted and inserted
words are those of the edit (the shortest difference: "reasonable" -> "commercially reasonable" is
found as an inserted "commercially"); a sentence inserted or deleted as such a change; a clause added,
removed or moved as that kind of difference holding the clause's text. A listed difference is spurious
when no edit holds its deleted and inserted words. Renumbering is not scored (it follows the edits).
Exits 1 when any edit is missed or any difference is spurious."""
import collections, json, re, subprocess, sys

FOLD = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}


def norm(s):
    s = re.sub(r'<span[^>]*>|</span>|\*\*|\\', '', s)
    s = "".join(FOLD.get(c, c) for c in s)
    return re.sub(r'[\s]+', '', s)


def changes_of(report):
    for c in report["changes"]:
        yield c
        for inner in c.get("inner", []):
            yield dict(inner, kind="inner")


def found(edit, changes):
    t = edit["type"]
    for c in changes:
        d, i = norm(c["deleted"]), norm(c["inserted"])
        if t == "phrase" and c["kind"] in ("replaced", "inserted", "deleted", "inner"):
            if (d or i) and d in norm(edit["old"]) and i in norm(edit["new"]):
                return True
        elif t == "insert_sentence" and c["kind"] in ("inserted", "replaced") and norm(edit["new"]) in i:
            return True
        elif t == "delete_sentence" and c["kind"] in ("deleted", "replaced") and norm(edit["old"]) in d:
            return True
        elif t == "delete_clause" and c["kind"] == "clause removed" and norm(edit["old"])[:60] in d:
            return True
        elif t == "add_clause" and c["kind"] == "clause added" and norm(edit["new"])[:60] in i:
            return True
        elif t == "move_clause" and c["kind"] == "moved" and norm(edit["text"])[:60] in norm(c["inserted"]):
            return True
    return False


def explained(c, edits):
    d, i = norm(c["deleted"]), norm(c["inserted"])
    for e in edits:
        old = norm(e.get("old", "") or e.get("text", ""))
        new = norm(e.get("new", "") or e.get("text", ""))
        if c["kind"] == "moved" and e["type"] == "move_clause" and norm(e["text"])[:60] in i:
            return True
        if c["kind"] == "clause removed" and e["type"] == "delete_clause" and old[:60] in d:
            return True
        if c["kind"] == "clause added" and e["type"] == "add_clause" and new[:60] in i:
            return True
        if c["kind"] in ("replaced", "inserted", "deleted", "inner") and e["type"] in ("phrase", "insert_sentence", "delete_sentence", "move_clause"):
            if (not d or d in old) and (not i or i in new):
                return True
    return False


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    new_name = "new.docx"
    if "--new" in args:
        k = args.index("--new")
        new_name = args[k + 1]
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    folio, pairs = args
    import os
    per_kind = collections.Counter()
    per_kind_found = collections.Counter()
    spurious_total = listed_total = 0
    for name in sorted(os.listdir(pairs)):
        d = os.path.join(pairs, name)
        if not os.path.isfile(os.path.join(d, "truth.json")):
            continue
        edits = json.load(open(os.path.join(d, "truth.json")))
        r = subprocess.run([folio, "compare", "--json", "--library", "/nonexistent-folio-library.sqlite",
                            os.path.join(d, "old.docx"), os.path.join(d, new_name)], capture_output=True, text=True)
        if r.returncode != 0:
            r = subprocess.run([folio, "compare", "--json", os.path.join(d, "old.docx"), os.path.join(d, new_name)],
                               capture_output=True, text=True)
        report = json.loads(r.stdout)
        changes = list(changes_of(report))
        missed = [e for e in edits if not found(e, changes)]
        spurious = [c for c in report["changes"] if not explained(c, edits)]
        for e in edits:
            per_kind[e["type"]] += 1
            per_kind_found[e["type"]] += e not in missed
        spurious_total += len(spurious)
        listed_total += len(report["changes"])
        print(f"{name:28} edits {len(edits)-len(missed)}/{len(edits)} found, {len(report['changes'])} listed, {len(spurious)} spurious")
        if verbose:
            for e in missed:
                print("   missed:", json.dumps(e)[:200])
            for c in spurious:
                print("   spurious:", c["kind"], "-", c["deleted"][:80], "+", c["inserted"][:80])
    total = sum(per_kind.values())
    got = sum(per_kind_found.values())
    print(f"\nfound {got}/{total} edits; {spurious_total} of {listed_total} listed differences spurious")
    for k in sorted(per_kind):
        print(f"  {k:16} {per_kind_found[k]}/{per_kind[k]}")
    sys.exit(0 if got == total and spurious_total == 0 else 1)


if __name__ == "__main__":
    main()
