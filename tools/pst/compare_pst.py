#!/usr/bin/env python3
"""Compares Folio's reading of Outlook mail stores with readpst's (pst-utils) and pffexport's (pff-tools),
message by message and field by field, and prints a table of fields that match: mail's header fields,
body and attachments; appointments' times, location, recurrence and changed occurrences, contacts' e-mail addresses,
company, job title and phone numbers, tasks' dates and status (named properties, read through the
store's name-to-id map). readpst writes appointments as iCalendar and contacts as vCards (no tasks);
pffexport writes each item's fields in its own file.

    tools/pst/compare_pst.py BUILD_DIR [STORE.pst ...]

Without stores it writes the test writer's sample stores (Unicode: plain, permute and cyclic encryption;
ANSI: plain and permute; Outlook 2013+ offline stores with 4 KiB pages and deflated blocks: plain, permute
and cyclic, and with 512-byte blocks and B-tree pages of 4 entries, plain and permute — the last read by
readpst only: libpff 20180714 unscrambles a deflated block of a data tree only to its stored size) with
BUILD_DIR/tools/folio_make_pst and compares those: a check of the writer (both tools must read what it
meant to write) and of the reader (Folio must read what both tools read). Both tools read the 4 KiB-page
format (readpst 0.6.76, pffexport 20180714). Needs `readpst` and `pffexport`
(apt-get install pst-utils pff-tools); Folio's text comes from BUILD_DIR/tools/folio_pst_text. Neither tool
shows an appointment's local time (readpst's iCalendar and pffexport give UTC): Folio's local times, in
the organizer's zone, are checked against its UTC times and Python's zoneinfo for the zone they name.
Exit status 1 when a field of a message differs or a message is missing, 77 when a tool is missing (the
ctest tools.compare_pst is then skipped).
"""
import datetime
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
# The fields of items that are not mail, by kind.
ITEM_FIELDS = {"appointment": ["when", "where", "recurs", "occurrences"], "contact": ["emails", "company", "title", "phones"],
               "task": ["start", "due", "status"]}
TASK_STATUSES = ["Not started", "In progress", "Complete", "Waiting on someone else", "Deferred"]
PHONE_LABELS = ("phone", "fax", "Pager")


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
        item = {
            "subject": fields.get("Subject", ""), "from": fields.get("From", ""), "to": names(fields.get("To")),
            "cc": names(fields.get("Cc")), "date": fields.get("Date", ""), "body": norm(own), "attachments": attachments,
            "when": folio_when(fields.get("When", "")), "where": fields.get("Where", ""), "recurs": fields.get("Recurs", ""),
            "emails": {address(v) for k, v in fields.items() if re.fullmatch(r"E-mail(?: \d)?", k) and "@" in v},
            "company": fields.get("Company", ""), "title": fields.get("Job title", ""),
            "phones": {v for k, v in fields.items() if k.endswith(PHONE_LABELS)},
            "start": fields.get("Start", ""), "due": fields.get("Due", ""), "status": fields.get("Status", ""),
            "name": fields.get("Name", ""),
            # A recurring series' changed occurrences: its attached appointments' times.
            "occurrences": {folio_when(w) for w in re.findall(r"(?m)^When: (.*)$", body)}}
        out[(path, item["subject"])] = item
        # readpst's vCards have no subject: a contact is also found by its addresses, else its name.
        if item["emails"]:
            out[(path, "vcard: " + " ".join(sorted(item["emails"])))] = item
        if item["name"]:
            out[(path, "vcard: " + norm(item["name"]))] = item
    return out


def address(value):
    """'Jane <jane@x>' or 'jane@x' -> 'jane@x'."""
    m = re.search(r"<([^<>]*)>$", value)
    return (m.group(1) if m else value).strip().lower()


# Folio's When line in the organizer's zone: local times, offsets and the zone's name, then the UTC times.
ZONED_WHEN = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d)(?: \u2013 (\d{4}-\d\d-\d\d )?(\d\d:\d\d))? "
                        r"\(UTC([+\u2212]\d\d:\d\d)(?:, ([^;]*?))?(?: to UTC([+\u2212]\d\d:\d\d)(?:, ([^;]*?))?)?; "
                        r"(\d{4}-\d\d-\d\d )?(\d\d:\d\d)(?: \u2013 (\d{4}-\d\d-\d\d )?(\d\d:\d\d))? UTC\)")
# Windows' zone names as the IANA zones that zoneinfo checks Folio's offsets against.
IANA = {"Eastern": "America/New_York", "Tokyo": "Asia/Tokyo", "AUS Eastern": "Australia/Sydney", "GMT": "Europe/London"}


def zoned_when(value):
    """A zoned When line as (local start, local end, UTC start, UTC end, start offset, end offset, start zone name)."""
    m = ZONED_WHEN.fullmatch(value)
    if not m:
        return None
    at = lambda day, hm: datetime.datetime.strptime(day + hm, "%Y-%m-%d %H:%M")
    offset = lambda o: (-1 if o[0] == "\u2212" else 1) * datetime.timedelta(hours=int(o[1:3]), minutes=int(o[4:6]))
    local_start = at(m.group(1)[:11], m.group(1)[11:])
    local_end = at(m.group(2) or m.group(1)[:11], m.group(3)) if m.group(3) else None
    utc_start = at(m.group(8) or m.group(1)[:11], m.group(9))
    utc_end = at(m.group(10) or utc_start.strftime("%Y-%m-%d "), m.group(11)) if m.group(11) else None
    start_offset = offset(m.group(4))
    return local_start, local_end, utc_start, utc_end, start_offset, offset(m.group(6)) if m.group(6) else start_offset, m.group(5) or ""


def local_times_agree(value):
    """Whether a zoned When line's local times are its UTC times moved by its offsets, and its offset the one
    zoneinfo gives the named zone at that time (tzdata, independent of the item's own rules); None if not zoned."""
    z = zoned_when(value)
    if not z:
        return None
    local_start, local_end, utc_start, utc_end, start_offset, end_offset, name = z
    ok = local_start == utc_start + start_offset and (local_end is None) == (utc_end is None)
    ok = ok and (utc_end is None or local_end == utc_end + end_offset)
    zone = IANA.get(re.sub(r" (Standard|Daylight) Time$", "", name))
    if zone:
        import zoneinfo
        ok = ok and utc_start.replace(tzinfo=datetime.timezone.utc).astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() == start_offset
    return ok


def folio_when(value):
    """Folio's 'When' line as (start, end, all day) in UTC; None where there is none."""
    z = zoned_when(value)
    if z:
        return (z[2], z[3], False)
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d \d\d:\d\d)(?: \u2013 (\d{4}-\d\d-\d\d )?(\d\d:\d\d))? \(UTC\)", value)
    if m:
        start = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M")
        end = datetime.datetime.strptime((m.group(2) or m.group(1)[:11]) + m.group(3), "%Y-%m-%d %H:%M") if m.group(3) else None
        return (start, end, False)
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)(?: \u2013 (\d{4}-\d\d-\d\d))? \(all day\)", value)
    if m:  # the end as the tools give it: the midnight after the last day
        start = datetime.datetime.strptime(m.group(1), "%Y-%m-%d")
        last = datetime.datetime.strptime(m.group(2), "%Y-%m-%d") if m.group(2) else start
        return (start, last + datetime.timedelta(days=1), True)
    return None


def their_when(start, end):
    return (start, end, False) if start else None


def nearest_midnight(t):
    return datetime.datetime(t.year, t.month, t.day) + datetime.timedelta(days=1 if t.hour >= 12 else 0)


def ical_time(value):
    value = value.rstrip("Z")
    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")


def pff_time(value):
    """'Mar 05, 2026 14:00:00.000000000 UTC' -> a datetime."""
    m = re.match(r"(\w+ \d+, \d+ \d\d:\d\d:\d\d)", value or "")
    return datetime.datetime.strptime(m.group(1), "%b %d, %Y %H:%M:%S") if m else None


def readpst_messages(store, work):
    out_dir = pathlib.Path(work) / "readpst"
    out_dir.mkdir()
    subprocess.run(["readpst", "-q", "-D", "-M", "-b", "-o", str(out_dir), store], check=True, capture_output=True)
    out = {}
    for f in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        folder = f.parent.relative_to(out_dir).parts[1:]  # below the store's own folder
        raw = f.read_bytes()
        if raw.startswith((b"BEGIN:VCALENDAR", b"BEGIN:VCARD")):
            key, item = readpst_item(raw.decode("utf-8", "replace"))
            out[(" \u203a ".join(folder), key)] = item
            continue
        m = email.message_from_bytes(raw, policy=email.policy.default)
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
            "kind": "mail", "subject": str(m["subject"] or ""), "from": str(m["from"] or ""), "to": names(str(m["to"] or "")),
            "cc": names(str(m["cc"] or "")), "date": str(m["date"] or ""), "body": norm(body), "attachments": attachments}
    return out


def readpst_item(text):
    """An appointment (iCalendar) or a contact (vCard) as readpst writes it: its key and fields."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    values = {}
    for line in lines:
        name, _, value = line.partition(":")
        value = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)
        values.setdefault(name.split(";")[0], []).append(value)
    first = lambda name: values.get(name, [""])[0]
    if text.startswith("BEGIN:VCALENDAR"):
        start, end = first("DTSTART"), first("DTEND")
        return first("SUMMARY"), {"kind": "appointment", "where": first("LOCATION"),
                                  "when": their_when(ical_time(start) if start else None, ical_time(end) if end else None)}
    emails = {e.strip().lower() for e in values.get("EMAIL", []) if e.strip()}
    family, given, middle = (first("N").split(";") + ["", "", ""])[:3]
    key = "vcard: " + (" ".join(sorted(emails)) if emails else norm(" ".join([given, middle, family])))
    return key, {"kind": "contact", "emails": emails, "company": first("ORG"), "title": first("TITLE"),
                 "phones": {t for t in values.get("TEL", []) if t}}


def pff_item(kind, text):
    """An appointment's, contact's or task's fields from pffexport's Appointment.txt, Contact.txt or Task.txt."""
    info = dict(re.findall(r"(?m)^([A-Za-z0-9 ]+):\t+(.*)$", text))
    if kind == "appointment":
        return {"when": their_when(pff_time(info.get("Start time")), pff_time(info.get("End time"))),
                "where": info.get("Location", ""), "recurs": info.get("Recurrence pattern", "")}
    if kind == "contact":
        return {"emails": {v.lower() for k, v in info.items() if k.startswith("Email address") and "@" in v},
                "company": info.get("Company name", ""), "title": info.get("Job title", ""),
                "phones": {v for k, v in info.items() if k.endswith(("phone number", "phone number 1", "phone number 2", "fax number"))
                           and v}}
    status = int(info["Status"], 16) if re.fullmatch(r"0x[0-9a-fA-F]+", info.get("Status", "")) else None
    parts = [TASK_STATUSES[status]] if status is not None and status < len(TASK_STATUSES) else []
    if info.get("Percentage complete"):
        parts.append(f"{round(float(info['Percentage complete']) * 100)}% complete")
    day = lambda v: pff_time(v).strftime("%Y-%m-%d") if pff_time(v) else ""
    return {"start": day(info.get("Start date")), "due": day(info.get("Due date")), "status": ", ".join(parts)}


def pff_messages(store, work):
    target = pathlib.Path(work) / "pff"
    subprocess.run(["pffexport", "-q", "-t", str(target), store], check=True, capture_output=True)
    root = next(target.parent.glob("pff.export"))
    out = {}
    kinds = {"OutlookHeaders.txt": "mail", "Appointment.txt": "appointment", "Contact.txt": "contact", "Task.txt": "task"}
    for headers in sorted(p for name in kinds for p in root.rglob(name)):
        d = headers.parent
        if "Attachments" in d.relative_to(root).parts:
            continue  # an attached message: compared inside its message
        kind = kinds[headers.name]
        text = headers.read_text("utf-8", "replace")
        if kind != "mail":
            info = dict(re.findall(r"(?m)^([A-Za-z ]+):\t+(.*)$", text))
            folder = d.parent.relative_to(root).parts[1:]
            item = {"kind": kind, **pff_item(kind, text)}
            if kind == "appointment":
                item["occurrences"] = {pff_item(kind, a.read_text("utf-8", "replace"))["when"]
                                       for a in (d / "Attachments").rglob("Appointment.txt")} if (d / "Attachments").exists() else set()
            out[(" \u203a ".join(folder), info.get("Subject", ""))] = item
            continue
        info = dict(re.findall(r"(?m)^([A-Za-z ]+):\t+(.*)$", text))
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
            "kind": "mail", "subject": info.get("Subject", ""), "from": sender, "to": to, "cc": cc, "date": info.get("Client submit time", ""),
            "body": norm(body), "attachments": attachments}
    return out


def same(field, ours, theirs, tool):
    if field == "when":
        if ours and theirs and ours[2]:  # all day: the tools give the UTC times of local midnights
            theirs = (nearest_midnight(theirs[0]), nearest_midnight(theirs[1]) if theirs[1] else None, True)
        return ours == theirs
    if field in ("where", "recurs", "company", "title"):
        return norm(ours) == norm(theirs)
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
    rows, bad = {f: [0, 0] for f in FIELDS + [f for fields in ITEM_FIELDS.values() for f in fields]}, 0
    for key, theirs in other.items():
        ours = folio.get(key)
        if ours is None:
            print(f"  {tool}: message {key} not in Folio's text")
            bad += 1
            continue
        kind = theirs["kind"]
        # An item's field is compared where the tool reads it and either reading has a value (mail's always).
        for f in FIELDS if kind == "mail" else [f for f in ITEM_FIELDS[kind] if f in theirs and (theirs[f] or ours[f])]:
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
        not_pff = {}  # stores pffexport is known to misread, and why
        if not stores:
            for variant in [[], ["--permute"], ["--cyclic"], ["--ansi"], ["--ansi", "--permute"], ["--4k"], ["--4k", "--permute"],
                            ["--4k", "--cyclic"], ["--4k", "--deep"], ["--4k", "--deep", "--permute"]]:
                suffix = ".ost" if "--4k" in variant else ".pst"
                path = str(pathlib.Path(work) / f"sample{''.join(variant).replace('--', '-')}{suffix}")
                subprocess.run([str(build / "tools/folio_make_pst"), "sample", path] + variant, check=True)
                stores.append(path)
                if {"--4k", "--deep"} <= set(variant) and "--permute" in variant:
                    # libpff 20180714 unscrambles only the stored (deflated) size of a block in a data tree: it
                    # cannot read a scrambled store whose heaps span blocks.
                    not_pff[path] = "libpff 20180714 unscrambles a deflated block of a data tree only to its stored size"
            zones = str(pathlib.Path(work) / "zones.pst")
            subprocess.run([str(build / "tools/folio_make_pst"), "zones", zones], check=True)
            stores.append(zones)
        failures = 0
        for store in stores:
            sub = tempfile.mkdtemp(dir=work)
            folio = folio_messages(str(build / "tools/folio_pst_text"), store)
            pages = len({id(item) for item in folio.values()})
            text = subprocess.run([str(build / "tools/folio_pst_text"), store], check=True, capture_output=True).stdout.decode("utf-8")
            local = [local_times_agree(w) for w in re.findall(r"(?m)^When: (.*)$", text)]
            local = [ok for ok in local if ok is not None]
            failures += local.count(False)
            print(f"{pathlib.Path(store).name}: Folio read {pages} messages; local times in the organizer's zone agreeing "
                  f"with their UTC times and zoneinfo: {local.count(True)}/{len(local)}")
            for tool, read in [("readpst", readpst_messages), ("pffexport", pff_messages)]:
                if tool == "pffexport" and store in not_pff:
                    print(f"  {tool}: not compared ({not_pff[store]})")
                    continue
                other = read(store, sub)
                rows, bad = compare(folio, other, tool)
                failures += bad
                cells = "  ".join(f"{f} {ok}/{n}" for f, (ok, n) in rows.items() if n)
                print(f"  {tool}: {len(other)} messages; fields matching: {cells}")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
