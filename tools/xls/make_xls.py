#!/usr/bin/env python3
"""Writes a varied set of Excel workbooks and converts them to Excel 97-2003 (.xls), so Folio's .xls
reader can be compared cell by cell with xlrd and LibreOffice (tools/xls/compare_xls.py). Workbooks are
written with openpyxl (.xlsx, then saved as .xls by LibreOffice Calc, which also computes the formulas'
cached results) and with xlwt (a second BIFF8 writer: its own shared-string CONTINUE splits, RK and
MULRK packing, the 1904 date system). LibreOffice 7.4 no longer saves Excel 95 (BIFF5), so that
version is tested with the records written in tests/support/xls_writer.h only. Run by hand with Debian's python3 (python3-openpyxl, python3-xlwt);
nothing here is committed output.

    /usr/bin/python3 tools/xls/make_xls.py OUT_DIR                 # the workbooks, converted
    /usr/bin/python3 tools/xls/make_xls.py OUT_DIR --rows 100000   # also big.xls of N rows (size, time)
    /usr/bin/python3 tools/xls/make_xls.py --fixture DIR           # tests/fixtures/xls/ledger.xls
    /usr/bin/python3 tools/xls/make_xls.py --fuzz-seeds [BOOK.xls…]  # tests/fuzz/corpus/fuzz_xls/ (olefile);
                                                                    # without books: small ones made here
"""
import datetime
import os
import random
import subprocess
import sys

import openpyxl
import xlwt

LO = ["soffice", "-env:UserInstallation=file:///tmp/lo_profile_xls", "--headless"]

WORDS = ["indemnity", "clause", "Müller", "Société", "Zürich", "Ελλάδα", "Москва", "東京", "合同", "naïve", "€100",
         "payment", "termination", "warranty", "Øresund", "İstanbul", "ﬁnal", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def strings_book(path, rng):
    """Strings: short, non-ASCII, long ones crossing CONTINUE records, Latin-1 runs then CJK."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Strings"
    ws.append(["Short", "Mixed", "Long"])
    for i in range(300):
        ws.append([f"row {i}", text(rng, 3), text(rng, 40 + i % 50)])
    ws.append(["a" * 9000 + "東京" * 500 + "b" * 3000, "x" * 32767, "ü" * 10000])
    ws.append(["tab\there", "line\nbreak", "pipe-free"])
    wb.save(path)


def numbers_book(path, rng):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Numbers"
    ws.append(["int", "float", "neg", "big", "small", "cents"])
    for i in range(500):
        ws.append([i * 7, rng.uniform(-1e6, 1e6), -i - 0.5, rng.randint(1, 10**14) * 1000, rng.uniform(0, 1e-6), i / 100])
    ws.append([0, 1e300, -1e-300, 123456789012345, 0.1 + 0.2, 1 / 3])
    wb.save(path)


def formats_book(path, rng):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formats"
    ws.append(["date", "datetime", "time", "percent", "percent1", "custom date", "money", "text date"])
    base = datetime.datetime(2020, 1, 1, 9, 30)
    for i in range(200):
        d = base + datetime.timedelta(days=i * 3, minutes=i * 17)
        row = [d.date(), d, datetime.time(i % 24, i % 60, (i * 7) % 60), i / 200, i / 37, d.date(), i * 12.5, d.strftime("%d.%m.%Y")]
        ws.append(row)
        r = ws.max_row
        ws.cell(r, 1).number_format = "yyyy-mm-dd"
        ws.cell(r, 2).number_format = "dd/mm/yyyy hh:mm"
        ws.cell(r, 3).number_format = "h:mm:ss"
        ws.cell(r, 4).number_format = "0%"
        ws.cell(r, 5).number_format = "0.00%"
        ws.cell(r, 6).number_format = "[$-409]mmmm d, yyyy"
        ws.cell(r, 7).number_format = '#,##0.00 "€"'
    wb.save(path)


def formulas_book(path, rng):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formulas"
    ws.append(["a", "b", "sum", "text", "bool", "error", "empty", "date"])
    for i in range(1, 101):
        r = i + 1
        ws.append([i, i * 2.5, f"=A{r}+B{r}", f'="item "&A{r}', f"=A{r}>50", f"=A{r}/0" if i % 10 == 0 else f"=A{r}/2",
                   f'=IF(A{r}>1000,1,"")', f"=DATE(2024,1,A{r})"])
        ws.cell(r, 8).number_format = "yyyy-mm-dd"
    ws.append([None, None, None, "=NA()", "=TRUE()", "=SQRT(-1)", '=""', "=1/3"])
    wb.save(path)


def sheets_book(path, rng):
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Summary"
    first["A1"] = "Overview"
    first["C5"] = 42  # empty rows and columns before it
    first["Z30"] = "far cell"
    hidden = wb.create_sheet("Working")
    hidden.sheet_state = "hidden"
    hidden.append(["hidden data", 1, 2])
    for n in range(3, 8):
        ws = wb.create_sheet(f"Sheet {n} – Ünïcode")
        for r in range(1, 60, 3):
            ws.cell(r, (r % 5) + 1, text(rng, 2))
            ws.cell(r, 7, r * n)
    wb.save(path)


def big_book(path, rows, rng):
    """`rows` rows over as many 65,536-row sheets as they need (the .xls limit)."""
    wb = openpyxl.Workbook(write_only=True)
    left = rows
    n = 1
    while left > 0:
        ws = wb.create_sheet(f"Data {n}")
        ws.append(["id", "date", "counterparty", "amount", "note"])
        for i in range(min(left, 65535)):
            ws.append([i, datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1500), f"Counterparty {i % 997}",
                       round(rng.uniform(-5000, 5000), 2), text(rng, 4)])
        left -= 65535
        n += 1
    wb.save(path)


def xlwt_book(path, rng, date1904):
    """A second BIFF8 writer: its own SST layout, RK/MULRK and (here) the 1904 date system."""
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = date1904
    ws = wb.add_sheet("Written by xlwt")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    time_style = xlwt.easyxf(num_format_str="hh:mm")
    pct_style = xlwt.easyxf(num_format_str="0.0%")
    ws.write(0, 0, "name")
    ws.write(0, 1, "value")
    ws.write(0, 2, "date")
    ws.write(0, 3, "time")
    ws.write(0, 4, "share")
    for i in range(1, 400):
        ws.write(i, 0, text(rng, 1 + i % 30))
        ws.write(i, 1, i * 3 if i % 2 else i / 4)
        ws.write(i, 2, datetime.date(2000 + i % 30, 1 + i % 12, 1 + i % 28), date_style)
        ws.write(i, 3, datetime.time(i % 24, i % 60), time_style)
        ws.write(i, 4, i / 1000, pct_style)
        ws.write(i, 5, i % 3 == 0)
    ws.write(401, 0, "Ω" * 5000 + "a" * 5000)
    other = wb.add_sheet("Second")
    for i in range(50):
        for j in range(20):
            other.write(i, j, i * 20 + j)
    wb.save(path)


def fixture(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ledger"
    ws.append(["Date", "Counterparty", "Amount", "Share"])
    ws.append([datetime.date(2024, 3, 1), "Müller GmbH", 1250.5, 0.25])
    ws.append([datetime.date(2024, 3, 15), "Société Générale", -300, 0.125])
    ws["D2"].number_format = "0%"
    ws["D3"].number_format = "0.0%"
    ws["C4"] = "=SUM(C2:C3)"
    ws["B4"] = "Total"
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Agreed with the auditors on 2024-04-02."
    notes.sheet_state = "hidden"
    wb.properties.title = "Quarterly ledger"
    wb.properties.creator = "Renée Dubois"
    os.makedirs(out, exist_ok=True)
    wb.save(os.path.join(out, "ledger.xlsx"))
    subprocess.run(LO + ["--convert-to", "xls", "--outdir", out, os.path.join(out, "ledger.xlsx")], check=True, capture_output=True)
    os.remove(os.path.join(out, "ledger.xlsx"))


def small_books(out):
    """Small workbooks for fuzz seeds: formula results of every kind, and (xlwt) a string crossing a
    CONTINUE record with its width changing, RK and MULRK numbers, the 1904 date system."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws.append(["n", "text", "bool", "error", "date"])
    for r in range(2, 8):
        ws.append([r, f'="row "&A{r}', f"=A{r}>4", f"=1/(A{r}-4)", f"=DATE(2024,2,A{r}*5)"])
        ws.cell(r, 5).number_format = "dd/mm/yyyy hh:mm"
    wb.create_sheet("Hidden").sheet_state = "hidden"
    wb.save(os.path.join(out, "formulas_small.xlsx"))
    subprocess.run(LO + ["--convert-to", "xls", "--outdir", out, os.path.join(out, "formulas_small.xlsx")], check=True,
                   capture_output=True)
    book = xlwt.Workbook(encoding="utf-8")
    book.dates_1904 = True
    sheet = book.add_sheet("xlwt")
    sheet.write(0, 0, "a" * 4200 + "東京" * 20)
    for c in range(8):
        sheet.write(1, c, c * 25)
    sheet.write(2, 0, datetime.date(2024, 3, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(2, 1, 0.125, xlwt.easyxf(num_format_str="0.0%"))
    book.save(os.path.join(out, "xlwt_small.xls"))
    return [os.path.join(out, "formulas_small.xls"), os.path.join(out, "xlwt_small.xls")]


def fuzz_seeds(books):
    import olefile
    import tempfile
    if not books:
        books = small_books(tempfile.mkdtemp())
    out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fuzz", "corpus", "fuzz_xls")
    os.makedirs(out, exist_ok=True)
    for book in books:
        ole = olefile.OleFileIO(book)
        stream = ole.openstream("Workbook" if ole.exists("Workbook") else "Book").read()
        name = os.path.splitext(os.path.basename(book))[0]
        if len(stream) > 20000:
            print(f"{name}: {len(stream)} bytes, too big for a seed")
            continue
        with open(os.path.join(out, name), "wb") as f:
            f.write(stream)
        print(f"{name}: {len(stream)} bytes")


def main():
    if sys.argv[1] == "--fixture":
        fixture(sys.argv[2])
        return
    if sys.argv[1] == "--fuzz-seeds":
        fuzz_seeds(sys.argv[2:])
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    made = []
    for name, make in [("strings", strings_book), ("numbers", numbers_book), ("formats", formats_book),
                       ("formulas", formulas_book), ("sheets", sheets_book)]:
        path = os.path.join(out, name + ".xlsx")
        make(path, rng)
        made.append(path)
    if "--rows" in sys.argv:
        path = os.path.join(out, "big.xlsx")
        big_book(path, int(sys.argv[sys.argv.index("--rows") + 1]), rng)
        made.append(path)
    subprocess.run(LO + ["--convert-to", "xls", "--outdir", out] + made, check=True, capture_output=True)
    for path in made:
        os.remove(path)
    xlwt_book(os.path.join(out, "xlwt_1900.xls"), rng, False)
    xlwt_book(os.path.join(out, "xlwt_1904.xls"), rng, True)
    for name in sorted(os.listdir(out)):
        print(name)


if __name__ == "__main__":
    main()
