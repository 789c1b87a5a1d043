#!/usr/bin/python3
"""Scores `folio compare` against redlines made by another program: each Word file's tracked changes
(pandoc --track-changes=all reads them) are the truth; pandoc writes the file with all of them rejected
(the old version) and all accepted (the new one), and Folio compares those two.

    score_redlines.py FOLIO REDLINE.docx... | --generate N

--generate N writes N redlined contracts as tools/docx/compare_tracked_changes.py does (LibreOffice
saves random insertions, deletions and replacements by three authors in clauses, table cells and
footnotes as .docx). A tracked change is found when a listed difference's deleted and inserted words
hold it or lie within it (a diff's shortest difference, or two authors' adjacent changes listed as
one); a listed difference is spurious when no tracked change does. Exits 1 on any miss or spurious."""
import json, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "docx"))
import compare_tracked_changes as tc  # noqa: E402

FOLD = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}


def squash(s):
    return re.sub(r"\s+", "", "".join(FOLD.get(c, c) for c in s))


def related(x, y):
    return x in y or y in x


def matches(truth, change):
    td, ti = squash(truth[1]), squash(truth[2])
    cd, ci = squash(change["deleted"]), squash(change["inserted"])
    if td and cd and not related(td, cd):
        return False
    if ti and ci and not related(ti, ci):
        return False
    return bool((td and cd) or (ti and ci))


def changes_of(report):
    for c in report["changes"]:
        yield c
        for inner in c.get("inner", []):
            yield inner


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    folio, files = args[0], args[1:]
    work = tempfile.mkdtemp(prefix="folio-score-redlines-")
    if files[0] == "--generate":
        files = tc.generate(int(files[1]), work)
    found = total = spurious = listed = 0
    for path in files:
        truth = tc.pandoc_changes(path)
        versions = {}
        for mode in ("reject", "accept"):
            out = os.path.join(work, f"{os.path.basename(path)}.{mode}.docx")
            subprocess.run(["pandoc", "-f", "docx", f"--track-changes={mode}", "-t", "docx", "-o", out, path], check=True)
            versions[mode] = out
        r = subprocess.run([folio, "compare", "--json", versions["reject"], versions["accept"]], capture_output=True, text=True)
        if r.returncode != 0:
            print(path, "failed:", r.stderr.strip())
            total += len(truth)
            continue
        report = json.loads(r.stdout)
        listed_changes = list(changes_of(report))
        missed = [t for t in truth if not any(matches(t, c) for c in listed_changes)]
        unexplained = [c for c in listed_changes if not any(matches(t, c) for t in truth)]
        found += len(truth) - len(missed)
        total += len(truth)
        spurious += len(unexplained)
        listed += len(listed_changes)
        print(f"{os.path.basename(path):20} {len(truth) - len(missed)}/{len(truth)} tracked changes found, "
              f"{len(unexplained)} of {len(listed_changes)} listed spurious")
        for t in missed:
            print("   missed:", t[1][:70], "->", t[2][:70])
        for c in unexplained:
            print("   spurious:", c["kind"], c["deleted"][:70], "->", c["inserted"][:70])
    print(f"\nfound {found}/{total} tracked changes; {spurious} of {listed} listed differences spurious")
    sys.exit(0 if found == total and spurious == 0 else 1)


if __name__ == "__main__":
    main()
