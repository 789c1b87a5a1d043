#!/usr/bin/env python3
"""Compares the text Folio reads from spreadsheet cells in Excel number formats with what LibreOffice
shows for them (its CSV export with "save cell contents as shown"), pair by pair.

    /usr/bin/python3 tools/xlsx/number_format_oracle.py [--tool build/hB/tools/folio_xls_text] [--out DIR] [--show N]
    /usr/bin/python3 tools/xlsx/number_format_oracle.py --bench ROWS --out DIR   # bench.xlsx/.xls to time

Each (value, format code) pair is a row of a workbook: its number in column A, the value in the format in
column B. The workbook is written three ways: .xlsx by openpyxl (a built-in format's code becomes its
id), .xls converted from it by LibreOffice (FORMAT records as LibreOffice writes them), and .xls by xlwt
(the codes as given). Folio reads each with folio_xls_text (tools/xls/xls_text.cpp, the text the ingest
pipeline chunks); LibreOffice converts each to CSV. Cells are compared with padding trimmed at both ends
(Folio drops the spaces "_)" leaves, by design). Disagreements are listed by format code so each can be
classified: where LibreOffice departs from Excel's documented behaviour (Microsoft, "Number format
codes"), Folio follows Excel. Needs python3-openpyxl, python3-xlwt and LibreOffice; nothing here is run
by ctest, and nothing it writes is committed.
"""
import csv
import os
import random
import re
import subprocess
import sys
import tempfile

import openpyxl
import xlwt

LO = ["soffice", "-env:UserInstallation=file:///tmp/lo_profile_numfmt", "--headless"]
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"

VALUES = [0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 2.675, 1.005, 0.125, 0.05, 1234.5678, -1234.5, 1250000, -1250000,
          501, 99.999, 12.75, 1 / 3, -0.3, 0.0001234, 1e-7, 1e15, 123456789012345678, 7.5e9]

CODES = [
    "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.00%", "0.0%", "0.00E+00", "##0.0E+0", "# ?/?", "# ??/??",
    "0.000", "00000", "000-00-0000", "#", "#.##", "0.0#", "#,##0.00_);(#,##0.00)", "#,##0_);[Red](#,##0)",
    '"$"#,##0.00_);("$"#,##0.00)', '"$"#,##0_);[Red]("$"#,##0)',
    '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)', '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    '_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-', "[$€-407] #,##0.00", "#,##0.00 [$€-407]", '[$$-409]#,##0.00',
    '"USD" #,##0', '#,##0 "days"', '#,##0,', '#,##0,,"M"', '0.0,,"M"', '[>=1000000]0.0,,"M";[>=1000]0.0,"K";0',
    "[Red]0.00;[Blue]-0.00", "0.00;(0.00)", "0;-0;\"zero\"", '0.00;-0.00;"-";@', "0;0;0;\"text\"", "0.0;;",
    "?/16", "# ?/8", "0/100", "# ???/???", "?/?", "0.00E-00", "0E+0", "0.0E+00", "#,##0.0_);(#,##0.0)",
    "[h]:mm", "[h]:mm:ss", "[mm]:ss", "0.0?", "#,###", "\\$0.00", "0\" units\"", "+0;-0;0", "0.00*-",
    "#,##0.00;[Red]-#,##0.00", "@", "0;@", "[<0]\"neg \"0;\"pos \"0", "[<=100]0.0;[>100]#,##0", "0.00%;-0.00%",
    "General;-General", '"Total: "General', "#,##0.000", ".00", "0.", "# ?/?;-# ?/?",
]


def pairs():
    out = []
    for code in CODES:
        for v in VALUES:
            out.append((v, code))
    return out


def write_xlsx(path, items):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formats"
    for i, (v, code) in enumerate(items, start=1):
        ws.cell(i, 1, i)
        c = ws.cell(i, 2, v)
        c.number_format = code
    wb.save(path)


def write_xlwt(path, items):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Formats")
    styles = {}
    for i, (v, code) in enumerate(items):
        if code not in styles:
            styles[code] = xlwt.easyxf(num_format_str=code)
        ws.write(i, 0, i + 1)
        ws.write(i, 1, v, styles[code])
    wb.save(path)


def lo_csv(path, outdir):
    subprocess.run(LO + ["--convert-to", CSV_AS_SHOWN, "--outdir", outdir, path], check=True, capture_output=True)
    csv_path = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".csv")
    with open(csv_path, encoding="utf-8", newline="") as f:
        return {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}


def folio_cells(tool, path):
    text = subprocess.run([tool, path], check=True, capture_output=True).stdout.decode("utf-8")
    cells = {}
    for line in text.splitlines():
        if line.startswith("## Sheet"):
            continue
        parts = line.split(" | ")
        if len(parts) >= 2:
            cells[parts[0]] = parts[1]
    return cells


def classify(v, code, f, lo, xlwt_file):
    """Why Folio and LibreOffice differ, where the difference is a known one (see the module doc)."""
    if lo == "#FMT":
        return "LibreOffice cannot show it (#FMT); Folio shows the number, or General past 1e15"
    if xlwt_file and code.startswith(('"$"', "_(")) and re.fullmatch(r"-?[0-9.]+(E[+-][0-9]+)?", lo):
        return "built-in id with no FORMAT record (xlwt): LibreOffice shows General, Excel its built-in format"
    if v < 0 and f.replace("-", "", 1) == lo:
        if "[" in code and code.count(";") >= 2:
            return "a negative value in a conditional format's third section: Excel writes its minus, LibreOffice not"
        return "a negative value rounded to zero: Excel keeps its minus (\"-0\"), LibreOffice drops it"
    if f.rstrip(".") == lo.rstrip(".") and f.endswith(".") and "." in code:
        return "a point with no decimal places shown (\"#.##\", \"0.\"): Excel shows it (\"1.\"), LibreOffice not"
    if ("General" in code or code == "@") and "E" in f:
        return "General past 15 digits or below 1E-05: Excel writes 1E+15, 1E-07 (two-digit exponent)"
    if f.replace(" ", "") == lo.replace(" ", ""):
        return "spaces: Folio writes a negative fraction's minus next to it (\"-1/2\", LibreOffice \"- 1/2\")"
    try:
        if abs(float(f.rstrip("%").split("/")[0]) - float(lo.rstrip("%").split("/")[0])) <= 1:
            return "a tie in binary (1.005 -> 100.49999…): Folio rounds the 15-digit decimal half away from zero, as Excel"
    except ValueError:
        pass
    return "unclassified"


def compare(label, items, folio, lo, show, classes):
    agree = 0
    bad = {}
    for i, (v, code) in enumerate(items, start=1):
        key = str(i)
        f = folio.get(key, "").strip()
        l = lo.get(key, "").strip()
        if f == l:
            agree += 1
        else:
            bad.setdefault(code, []).append((v, f, l))
            why = classify(v, code, f, l, "xlwt" in label)
            classes[why] = classes.get(why, 0) + 1
            if why == "unclassified":
                print(f"  unclassified: {v!r} in {code!r}: folio {f!r}, libreoffice {l!r}")
    print(f"{label}: {agree} of {len(items)} agree")
    for code, rows in list(bad.items())[:show]:
        print(f"  {code!r}:")
        for v, f, l in rows[:8]:
            print(f"      {v!r:>22}  folio {f!r:<24} libreoffice {l!r}")
        if len(rows) > 8:
            print(f"      … {len(rows) - 8} more")
    return agree


def bench(rows, out):
    """Rows of formatted amounts, rates, dates and fractions: the read that must not slow down."""
    from openpyxl.cell import WriteOnlyCell
    rng = random.Random(11)
    formats = ["General", "#,##0.00", '"$"#,##0.00_);[Red]("$"#,##0.00)', "0.0%", "yyyy-mm-dd",
               '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', "0.000E+00", "# ?/?", "General"]
    wb = openpyxl.Workbook(write_only=True)
    left, n = rows, 1
    while left > 0:
        ws = wb.create_sheet(f"Data {n}")
        ws.append(["id", "amount", "money", "share", "date", "acct", "sci", "frac", "note"])
        for i in range(min(left, 65535)):
            values = [i, rng.uniform(-1e6, 1e6), rng.uniform(-1e5, 1e5), rng.random(), 43000 + i % 1500,
                      rng.uniform(-1e4, 1e4), rng.uniform(0, 1e9), rng.uniform(0, 100), f"note {i % 97}"]
            row = []
            for v, fmt in zip(values, formats):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = fmt
                row.append(c)
            ws.append(row)
        left -= 65535
        n += 1
    path = os.path.join(out, "bench.xlsx")
    wb.save(path)
    subprocess.run(LO + ["--convert-to", "xls", "--outdir", out, path], check=True, capture_output=True)
    print(path, os.path.join(out, "bench.xls"))


def main():
    args = sys.argv[1:]
    tool = args[args.index("--tool") + 1] if "--tool" in args else "build/hB/tools/folio_xls_text"
    out = args[args.index("--out") + 1] if "--out" in args else tempfile.mkdtemp(prefix="numfmt_")
    show = int(args[args.index("--show") + 1]) if "--show" in args else 1000
    os.makedirs(out, exist_ok=True)
    if "--bench" in args:
        bench(int(args[args.index("--bench") + 1]), out)
        return
    items = pairs()
    xlsx = os.path.join(out, "formats.xlsx")
    write_xlsx(xlsx, items)
    lo_dir = os.path.join(out, "lo")
    os.makedirs(lo_dir, exist_ok=True)
    subprocess.run(LO + ["--convert-to", "xls", "--outdir", lo_dir, xlsx], check=True, capture_output=True)
    xls_lo = os.path.join(lo_dir, "formats.xls")
    xls_xlwt = os.path.join(out, "formats_xlwt.xls")
    write_xlwt(xls_xlwt, items)
    total = 0
    classes = {}
    for label, path in [(".xlsx (openpyxl)", xlsx), (".xls (LibreOffice)", xls_lo), (".xls (xlwt)", xls_xlwt)]:
        csv_dir = os.path.join(out, "csv_" + os.path.basename(path).replace(".", "_"))
        os.makedirs(csv_dir, exist_ok=True)
        total += compare(label, items, folio_cells(tool, path), lo_csv(path, csv_dir), show, classes)
    print(f"all: {total} of {3 * len(items)} agree ({len(CODES)} codes x {len(VALUES)} values, 3 files)")
    for why, n in sorted(classes.items(), key=lambda kv: -kv[1]):
        print(f"  {n:4d}  {why}")


if __name__ == "__main__":
    main()
