#!/usr/bin/env python3
"""Compares Folio's reading of Excel 97-2003 workbooks with xlrd's and LibreOffice's, cell by cell.

    /usr/bin/python3 tools/xls/compare_xls.py DIR [--tool build/hA/tools/folio_xls_text] [--show N] [--no-lo]

Every .xls in DIR is read by folio_xls_text (tools/xls/xls_text.cpp: the text the ingest pipeline
chunks) and split into sheets ("## Sheet: …"), rows and cells (" | "). xlrd 1.2 (python3-xlrd) reads the same files: its values are written as Folio writes
cells — text as it is, numbers as General (15 significant digits), dates and times (those xlrd takes
for dates) as ISO 8601, percent formats ×100 with "%", TRUE/FALSE, error codes — so a difference is a
different value, not a different style. LibreOffice's CSV export (every sheet, values as shown) is the
second reader: its cells are shown in the workbook's formats (US dates, "E+016" exponents, fixed
decimals, currency), so they count equal as text, or as the same value once LibreOffice's US dates and
times are read back and numbers parsed (relative difference under 1e-9, what a format's rounding hides).

xlrd 1.2 decodes each CONTINUE part of a string on its own, so a surrogate pair split between parts
(LibreOffice splits them) fails there; the parts are decoded with surrogates passed and joined after.
"""
import csv
import datetime
import glob
import math
import os
import re
import subprocess
import sys
import tempfile

import xlrd
import xlrd.book
from xlrd.formatting import FDT

xlrd.book.unicode = lambda b, enc: b.decode(enc, "surrogatepass")


def joined(s):
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

LO = ["soffice", "-env:UserInstallation=file:///tmp/lo_profile_xls", "--headless"]
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def general(v):
    if v == 0:
        return "0"
    return "%.15g" % v


def date_kinds(fmt):
    """(date part, time part) from a format code's letters outside quotes and [brackets]."""
    code = re.sub(r'"[^"]*"|\\.|_.|\*.', "", fmt)
    elapsed = re.search(r"\[(h+|m+|s+)\]", code, re.I) is not None
    code = re.sub(r"\[[^\]]*\]", "", code).split(";")[0].lower()
    has_time = "h" in code or "s" in code or elapsed
    has_date = "y" in code or "d" in code or ("m" in code and not has_time)
    return has_date, has_time


def iso(v, date1904, has_date, has_time):
    days = math.floor(v)
    secs = round((v - days) * 86400)
    if secs >= 86400:
        days, secs = days + 1, secs - 86400
    out = ""
    if has_date or not has_time:
        if date1904:
            d = datetime.date(1904, 1, 1) + datetime.timedelta(days=days)
        elif days == 60:
            return "1900-02-29"
        else:
            d = datetime.date(1899, 12, 30 if days > 60 else 31) + datetime.timedelta(days=days)
        out = d.isoformat()
        if not has_time:
            return out
        out += " "
    out += "%02d:%02d" % (secs // 3600, secs // 60 % 60)
    if secs % 60:
        out += ":%02d" % (secs % 60)
    return out


def xlrd_cell(book, cell):
    t = cell.ctype
    if t == xlrd.XL_CELL_TEXT:
        return re.sub(r"[\n\r\t]", " ", joined(cell.value))
    if t == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if t == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR!")
    if t in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
        v = cell.value
        fmt = book.format_map[book.xf_list[cell.xf_index].format_key]
        if fmt.type == FDT and 0 <= v <= 2958465.99999:
            # A built-in format with no FORMAT record has no code in xlrd: its id says which kind.
            builtin = {18: "h:mm", 19: "h:mm", 20: "h:mm", 21: "h:mm", 22: "d h:mm", 45: "h:mm", 46: "h:mm", 47: "h:mm"}
            has_date, has_time = date_kinds(fmt.format_str or builtin.get(fmt.format_key, "d"))
            return iso(v, book.datemode == 1, has_date, has_time)
        if "%" in re.sub(r'"[^"]*"', "", fmt.format_str):
            return general(v * 100) + "%"
        return general(v)
    return ""


def trimmed(rows):
    out = []
    for r in rows:
        while r and r[-1] == "":
            r = r[:-1]
        if r:
            out.append(r)
    return out


def xlrd_sheets(path):
    book = xlrd.open_workbook(path, formatting_info=True)
    sheets = {}
    for s in book.sheets():
        sheets[joined(s.name)] = trimmed([[xlrd_cell(book, c) for c in s.row(r)] for r in range(s.nrows)])
    return sheets


def folio_sheets(text):
    sheets, rows = {}, None
    for line in text.split("\n"):
        m = re.match(r"^## Sheet: (.*?)( \(hidden\))?$", line)
        if m:
            rows = sheets.setdefault(m.group(1), [])
        elif rows is not None and line:
            rows.append(line.split(" | "))
    return sheets


def lo_sheets(path, names, workdir):
    subprocess.run(LO + ["--convert-to", CSV_FILTER, "--outdir", workdir, path], capture_output=True)
    stem = os.path.splitext(os.path.basename(path))[0]
    sheets = {}
    for name in names:
        f = os.path.join(workdir, f"{stem}-{name}.csv")
        if os.path.exists(f):
            with open(f, encoding="utf-8", newline="") as fh:
                sheets[name] = trimmed([[re.sub(r"[\n\r\t]", " ", c) for c in row] for row in csv.reader(fh)])
    return sheets


def lo_value(ours, shown):
    """LibreOffice's shown text read back as Folio writes it, where it is a US date, time or number (Calc
    has no boolean cells: a BIFF boolean is the number 1 or 0 to it)."""
    if (ours, shown) in (("TRUE", "1"), ("FALSE", "0"), ("TRUE", "TRUE"), ("FALSE", "FALSE")):
        return ours
    m = re.match(r"^(\d\d)/(\d\d)/(\d{4})(?: (\d\d):(\d\d)(?::(\d\d))?)?$", shown)
    if m:
        out = f"{m[3]}-{m[1]}-{m[2]}"
        if m[4]:
            out += f" {m[4]}:{m[5]}" + (f":{m[6]}" if m[6] and m[6] != "00" else "")
        return out
    m = re.match(r"^(\d\d):(\d\d)(?::(\d\d))?(?: (AM|PM))?$", shown)
    if m:
        h = int(m[1]) % 12 + (12 if m[4] == "PM" else 0) if m[4] else int(m[1])
        return f"{h:02d}:{m[2]}" + (f":{m[3]}" if m[3] and m[3] != "00" else "")
    try:
        a = float(ours.rstrip("%"))
        b = float(re.sub(r"[,\s€$]", "", shown).rstrip("%"))
        if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300) and ours.endswith("%") == shown.endswith("%"):
            return ours
    except ValueError:
        pass
    return shown


def compare(ours, theirs, show, label, diffs, normalise=None):
    """(equal cells, cells) over theirs' non-empty cells and ours' extra ones, rows aligned in order."""
    equal = total = 0
    for name, rows in theirs.items():
        mine = ours.get(name, [])
        for i in range(max(len(rows), len(mine))):
            a = mine[i] if i < len(mine) else []
            b = rows[i] if i < len(rows) else []
            for j in range(max(len(a), len(b))):
                x = a[j] if j < len(a) else ""
                y = b[j] if j < len(b) else ""
                if x == "" and y == "":
                    continue
                total += 1
                if x == y or (normalise and x and y and normalise(x, y) == x):
                    equal += 1
                elif len(diffs) < show:
                    diffs.append(f"  {label} {name}!R{i + 1}C{j + 1}: folio {x[:60]!r} vs {y[:60]!r}")
    return equal, total


def main():
    folder = sys.argv[1]
    tool = sys.argv[sys.argv.index("--tool") + 1] if "--tool" in sys.argv else "build/hA/tools/folio_xls_text"
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 10
    grand = {"xlrd": [0, 0], "lo": [0, 0], "lo_text": [0, 0]}
    with tempfile.TemporaryDirectory() as work:
        for path in sorted(glob.glob(os.path.join(folder, "*.xls"))):
            rel = os.path.basename(path)
            run = subprocess.run([tool, path], capture_output=True)
            if run.returncode != 0:
                print(f"{rel}: folio failed: {run.stderr.decode().strip()}")
                continue
            ours = folio_sheets(run.stdout.decode("utf-8"))
            diffs = []
            try:
                theirs = xlrd_sheets(path)
            except Exception as e:  # xlrd gives up on some files Folio reads
                print(f"{rel}: xlrd cannot read it: {type(e).__name__}: {str(e)[:100]}")
                continue
            e1, t1 = compare(ours, theirs, show, "xlrd", diffs)
            line = f"{rel}: xlrd {e1}/{t1}"
            grand["xlrd"][0] += e1
            grand["xlrd"][1] += t1
            if "--no-lo" not in sys.argv:
                lo = lo_sheets(path, list(ours.keys()), work)
                e3, t3 = compare(ours, lo, 0, "lo", [])
                e2, t2 = compare(ours, lo, show, "lo", diffs, lo_value)
                line += f", LibreOffice CSV {e2}/{t2} ({e3} equal as shown)"
                for key, e, t in (("lo", e2, t2), ("lo_text", e3, t3)):
                    grand[key][0] += e
                    grand[key][1] += t
            print(line)
            for d in diffs:
                print(d)
    print(f"all: xlrd {grand['xlrd'][0]}/{grand['xlrd'][1]} cells equal; LibreOffice CSV {grand['lo'][0]}/{grand['lo'][1]} "
          f"as values ({grand['lo_text'][0]} as shown)")


if __name__ == "__main__":
    main()
