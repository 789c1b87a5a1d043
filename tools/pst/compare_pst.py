#!/usr/bin/env python3
"""Compares Folio's reading of Outlook mail stores with readpst's (pst-utils) and pffexport's (pff-tools),
message by message and field by field, and prints a table of fields that match.

    tools/pst/compare_pst.py BUILD_DIR [STORE.pst ...]

Without stores it writes the test writer's sample stores (Unicode: plain, permute and cyclic encryption;
ANSI: plain and permute) with
BUILD_DIR/tools/folio_make_pst and compares those: a check of the writer (both tools must read what it
meant to write) and of the reader (Folio must read what both tools read). Needs `readpst` and `pffexport`
(apt-get install pst-utils pff-tools); Folio's text comes from BUILD_DIR/tools/folio_pst_text.
Exit status 1 when a field of a message differs or a message is missing, 77 when a tool is missing (the
ctest tools.compare_pst is then skipped).
"""
import email
import email.policy
import html
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

FIELDS = ["subject", "from", "to", "cc", "date", "body", "attachments"]


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def html_text(s):
    s = re.sub(r"(?is)<(script|style).*?</\1>", " ", s)
    return html.unescape(re.sub(r"<[^>]+>", " ", s))


def names(field):
    """Display names of an address list: 'A <a@x>, B' -> {'A', 'B'}."""
    out = set()
    for part in re.split(r"[,;]", field or ""):
        part = re.sub(r"<[^>]*>", "", part).strip().strip('"')
        if part:
            out.add(part)
    return out


def folio_messages(tool, store):
    text = subprocess.run([tool, store], check=True, capture_output=True).stdout.decode("utf-8")
    pages = re.split(r"(?m)^# Message \d[\d,]* of [\d,]*: ", text)[1:]
    out = {}
    for page in pages:
        heading, _, rest = page.partition("\n\n")
        head, _, body = rest.partition("\n\n")
        fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        path = heading.rsplit(" \u203a ", 1)[0] if " \u203a " in heading else ""
        own = re.split(r"(?m)^---------- (?:Attachment: |Attached message)|^Attachments \(not read\):", body)[0]
        attachments = set(re.findall(r"(?m)^---------- Attachment: (.*) ----------$", body))
        attachments |= set(re.findall(r"(?m)^- (.*) \([^()]*\)(?::.*)?$", body))
        out[(path, fields.get("Subject", ""))] = {
            "subject": fields.get("Subject", ""), "from": fields.get("From", ""), "to": names(fields.get("To")),
            "cc": names(fields.get("Cc")), "date": fields.get("Date", ""), "body": norm(own), "attachments": attachments}
    return out


def readpst_messages(store, work):
    out_dir = pathlib.Path(work) / "readpst"
    out_dir.mkdir()
    subprocess.run(["readpst", "-q", "-D", "-M", "-b", "-o", str(out_dir), store], check=True, capture_output=True)
    out = {}
    for f in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        m = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        folder = f.parent.relative_to(out_dir).parts[1:]  # below the store's own folder
        body = ""
        # Names at any depth (walk() does not enter every attached message readpst writes).
        attachments = set(re.findall(r'filename="([^"]*)"', f.read_text("utf-8", "replace")))
        for part in m.walk():
            if part.get_filename():
                continue
            if part.get_content_type() in ("text/plain", "text/html") and not body and part.get_content_disposition() != "attachment":
                content = part.get_content()
                body = html_text(content) if part.get_content_type() == "text/html" else content
        out[(" \u203a ".join(folder), str(m["subject"] or ""))] = {
            "subject": str(m["subject"] or ""), "from": str(m["from"] or ""), "to": names(str(m["to"] or "")),
            "cc": names(str(m["cc"] or "")), "date": str(m["date"] or ""), "body": norm(body), "attachments": attachments}
    return out


def pff_messages(store, work):
    target = pathlib.Path(work) / "pff"
    subprocess.run(["pffexport", "-q", "-t", str(target), store], check=True, capture_output=True)
    root = next(target.parent.glob("pff.export"))
    out = {}
    for headers in sorted(root.rglob("OutlookHeaders.txt")):
        d = headers.parent
        if "Attachments" in d.relative_to(root).parts:
            continue  # an attached message: compared inside its message
        info = dict(re.findall(r"(?m)^([A-Za-z ]+):\t+(.*)$", headers.read_text("utf-8", "replace")))
        recipients = (d / "Recipients.txt").read_text("utf-8") if (d / "Recipients.txt").exists() else ""
        to, cc = set(), set()
        for block in recipients.split("\n\n"):
            r = dict(re.findall(r"(?m)^([A-Za-z ]+):\t+(.*)$", block))
            if r.get("Recipient type") in ("To", "CC"):
                (to if r["Recipient type"] == "To" else cc).add(r.get("Display name", ""))
        body = ""
        if (d / "Message.txt").exists():
            body = (d / "Message.txt").read_text("utf-8", "replace")
        elif (d / "Message.html").exists():
            body = html_text((d / "Message.html").read_text("utf-8", "replace"))
        attachments = {re.sub(r"^\d+_", "", p.name) for p in (d / "Attachments").rglob("*")
                       if p.is_file() and p.name not in ("OutlookHeaders.txt", "Recipients.txt", "Message.txt", "Message.html",
                                                         "ConversationIndex.txt")} if (d / "Attachments").exists() else set()
        folder = d.parent.relative_to(root).parts[1:]  # below "Top of Personal Folders"
        sender = info.get("Sender name", "") + (" <" + info["Sender email address"] + ">" if info.get("Sender email address") else "")
        out[(" \u203a ".join(folder), info.get("Subject", ""))] = {
            "subject": info.get("Subject", ""), "from": sender, "to": to, "cc": cc, "date": info.get("Client submit time", ""),
            "body": norm(body), "attachments": attachments}
    return out


def same(field, ours, theirs, tool):
    if field == "body":
        return theirs[:300] in ours or ours[:300] in theirs
    if field == "date" and tool == "pffexport":  # "Mar 07, 2026 09:06:00.000000000 UTC"
        m = re.match(r"(\w+) (\d+), (\d+) (\d\d:\d\d:\d\d)", theirs)
        return bool(m) and f"{int(m.group(2)):02d} {m.group(1)} {m.group(3)} {m.group(4)}" in ours
    if field == "from":
        return norm(email.utils.parseaddr(ours)[1]) == norm(email.utils.parseaddr(theirs)[1]) and \
            norm(str(email.header.make_header(email.header.decode_header(theirs)))).startswith(ours.split(" <")[0])
    return ours == theirs


def compare(folio, other, tool):
    rows, bad = {f: [0, 0] for f in FIELDS}, 0
    for key, theirs in other.items():
        ours = folio.get(key)
        if ours is None:
            print(f"  {tool}: message {key} not in Folio's text")
            bad += 1
            continue
        for f in FIELDS:
            ok = same(f, ours[f], theirs[f], tool)
            rows[f][0] += ok
            rows[f][1] += 1
            if not ok:
                bad += 1
                print(f"  {tool}: {key} {f}: Folio {ours[f]!r} vs {theirs[f]!r}"[:400])
    return rows, bad


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = pathlib.Path(sys.argv[1])
    missing = [t for t in ("readpst", "pffexport") if shutil.which(t) is None]
    if missing:
        print(f"skipped: {', '.join(missing)} not installed (apt-get install pst-utils pff-tools)")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as work:
        stores = sys.argv[2:]
        if not stores:
            for variant in [[], ["--permute"], ["--cyclic"], ["--ansi"], ["--ansi", "--permute"]]:
                path = str(pathlib.Path(work) / f"sample{''.join(variant).replace('--', '-')}.pst")
                subprocess.run([str(build / "tools/folio_make_pst"), "sample", path] + variant, check=True)
                stores.append(path)
        failures = 0
        for store in stores:
            sub = tempfile.mkdtemp(dir=work)
            folio = folio_messages(str(build / "tools/folio_pst_text"), store)
            print(f"{pathlib.Path(store).name}: Folio read {len(folio)} messages")
            for tool, read in [("readpst", readpst_messages), ("pffexport", pff_messages)]:
                other = read(store, sub)
                rows, bad = compare(folio, other, tool)
                failures += bad
                cells = "  ".join(f"{f} {ok}/{n}" for f, (ok, n) in rows.items())
                print(f"  {tool}: {len(other)} messages; fields matching: {cells}")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
