#!/usr/bin/python3
"""Writes pairs of versions of real agreements with known changes, to check `folio compare` against.

    make_version_pairs.py SRC OUT [--seed N]

SRC holds Common Paper's markdown agreements (as tools/eval/make_legal_corpus.sh takes them). For each,
the old version is the agreement; the new one has seven edits a negotiation makes, each in a different
clause: a phrase replaced ("thirty (30) days" -> "sixty (60) days"), a sentence added, a sentence
deleted, a clause deleted (the clauses after it renumber), a clause added, a clause moved to another
section, and a word changed. Both are numbered as typeset contracts are (number_clauses.py) and written
as Word files by pandoc; the new one also as a PDF by LibreOffice, so the comparison also runs across
formats. OUT/<agreement>/ gets old.docx, new.docx, new.pdf and truth.json, the edits as made.
Needs pandoc and LibreOffice (soffice)."""
import json, os, random, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NUMBER = os.path.join(HERE, "..", "eval", "number_clauses.py")
ITEM = re.compile(r'^( *)(\d+|[a-z]{1,4})\.\s+(.*)$')

PHRASES = [("thirty (30) days", "sixty (60) days"), ("30 days", "45 days"), ("reasonable", "commercially reasonable"),
           ("promptly", "within five (5) business days"), ("may", "must"), ("will", "shall"), ("any", "all")]
SENTENCES = ["Any such notice must be given in writing and delivered by courier.",
             "This obligation survives termination of this Agreement for three (3) years.",
             "The parties will cooperate in good faith to resolve any dispute under this Section."]
NEW_CLAUSES = ["Audit Rights. Customer may, once per calendar year and on thirty (30) days notice, audit Provider's "
               "records that relate to the fees charged under this Agreement.",
               "Non-Solicitation. During the Subscription Period and for twelve (12) months after, neither party will "
               "solicit for employment any employee of the other party who worked on the Product."]
WORDS = [("non-exclusive", "exclusive"), ("written", "prior written"), ("material", "any")]


def clean(line):
    return re.sub(r'<span[^>]*>', '', line).replace('</span>', '')


def items(lines):
    """(index, level, text) of each list item."""
    out = []
    for k, line in enumerate(lines):
        m = ITEM.match(line)
        if m:
            out.append((k, len(m.group(1)) // 4, m.group(3)))
    return out


def block_end(lines, k):
    """The line after item k and its deeper items."""
    level = len(ITEM.match(lines[k]).group(1)) // 4
    j = k + 1
    while j < len(lines):
        m = ITEM.match(lines[j])
        if m and len(m.group(1)) // 4 <= level:
            break
        if not m and lines[j].strip() and not lines[j].startswith(' '):
            break
        j += 1
    return j


def sentences(text):
    return [s for s in re.split(r'(?<=[.;])\s+', text) if s]


def edit(lines, rng):
    truth = []
    used = set()

    def pick(pred):
        cands = [it for it in items(lines) if it[0] not in used and pred(it)]
        if not cands:
            return None
        it = rng.choice(cands)
        used.add(it[0])
        return it

    def set_text(k, text):
        m = ITEM.match(lines[k])
        lines[k] = m.group(1) + m.group(2) + ". " + text

    # in-place edits first, while line numbers hold
    for old, new in rng.sample(PHRASES, len(PHRASES)):
        it = pick(lambda it: it[1] >= 1 and re.search(r'\b' + re.escape(old) + r'\b', it[2]) and len(sentences(it[2])) >= 1)
        if it:
            k, _, text = it
            m = list(re.finditer(r'\b' + re.escape(old) + r'\b', text))[-1]
            set_text(k, text[:m.start()] + new + text[m.end():])
            truth.append({"type": "phrase", "old": old, "new": new, "context": text[max(0, m.start() - 40):m.start()]})
            break
    it = pick(lambda it: it[1] >= 1 and len(it[2]) > 60)
    if it:
        s = rng.choice(SENTENCES)
        set_text(it[0], it[2] + " " + s)
        truth.append({"type": "insert_sentence", "new": s})
    it = pick(lambda it: it[1] >= 1 and len(sentences(it[2])) >= 3)
    if it:
        parts = sentences(it[2])
        gone = rng.randrange(1, len(parts))
        truth.append({"type": "delete_sentence", "old": parts[gone]})
        set_text(it[0], " ".join(parts[:gone] + parts[gone + 1:]))
    for old, new in WORDS:
        it = pick(lambda it: it[1] >= 1 and re.search(r'\b' + re.escape(old) + r'\b', it[2]))
        if it:
            k, _, text = it
            m = re.search(r'\b' + re.escape(old) + r'\b', text)
            set_text(k, text[:m.start()] + new + text[m.end():])
            truth.append({"type": "phrase", "old": old, "new": new, "context": text[max(0, m.start() - 40):m.start()]})
            break
    # structural edits: delete, add, move (level-1 items without children, in clauses of their own)
    leaf = lambda it: it[1] == 1 and block_end(lines, it[0]) == it[0] + 1 and len(it[2]) > 80
    it = pick(leaf)
    if it:
        truth.append({"type": "delete_clause", "old": clean(it[2])})
        del lines[it[0]]
        used.clear()  # indices moved; later edits pick by content
    it = rng.choice([it for it in items(lines) if leaf(it)] or [None])
    if it:
        text = rng.choice(NEW_CLAUSES)
        indent = ITEM.match(lines[it[0]]).group(1)
        lines.insert(it[0] + 1, indent + "1. " + text)
        truth.append({"type": "add_clause", "new": text})
    movable = [it for it in items(lines) if leaf(it) and not any(t.get("new") == it[2] for t in truth)]
    if len(movable) >= 2:
        src = rng.choice(movable)
        text = lines[src[0]]
        targets = [it for it in items(lines) if it[1] == 0 and abs(it[0] - src[0]) > 3]
        if targets:
            dst = rng.choice(targets)
            del lines[src[0]]
            at = next(k for k, line in enumerate(lines) if line == lines[dst[0] - (1 if dst[0] > src[0] else 0)])
            end = block_end(lines, at)
            lines.insert(end, "    1. " + ITEM.match(text).group(3))
            truth.append({"type": "move_clause", "text": clean(ITEM.match(text).group(3))})
    return truth


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    src, out = args
    rng = random.Random(seed)
    work = tempfile.mkdtemp()
    for name in sorted(os.listdir(src)):
        if not name.endswith(".md"):
            continue
        base = name[:-3]
        lines = open(os.path.join(src, name), encoding="utf-8").read().split("\n")
        if len(items(lines)) < 12:
            continue
        new_lines = list(lines)
        truth = edit(new_lines, rng)
        d = os.path.join(out, base)
        os.makedirs(d, exist_ok=True)
        for which, content in (("old", lines), ("new", new_lines)):
            raw = os.path.join(work, f"{base}.{which}.md")
            open(raw, "w", encoding="utf-8").write("\n".join(content))
            numbered = subprocess.run([sys.executable, NUMBER, raw], capture_output=True, text=True, check=True).stdout
            num_md = os.path.join(work, f"{which}.md")
            open(num_md, "w", encoding="utf-8").write(numbered)
            subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o", os.path.join(d, f"{which}.docx"), num_md], check=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", d, os.path.join(d, "new.docx")], check=True, capture_output=True)
        json.dump(truth, open(os.path.join(d, "truth.json"), "w"), indent=1)
        print(base, len(truth), "edits", file=sys.stderr)


if __name__ == "__main__":
    main()
