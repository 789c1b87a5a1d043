#!/usr/bin/env python3
"""Checks Folio's reading of Office charts against charts other programs wrote, item by item.

    /usr/bin/python3 tools/charts/compare_charts.py [--tool build/hB/tools/folio_xls_text] [--charts 24]
                                                    [--seed 7] [--keep DIR]

Seeded data sets (kinds: column, bar, stacked column, line, pie, area, scatter, doughnut; 3-14 points;
1-3 series; negative and fractional values) become charts three ways:
  1. openpyxl (python3-openpyxl) writes a workbook, a sheet and a chart per data set. openpyxl keeps
     no cached points, only references ('D3'!$B$2:$B$9), so Folio reads each series' name, categories
     and values from the workbook's cells: the title, the kind, the axis titles, the series' names and
     points must match. Every third chart stands on a "Charts" sheet before the data it draws (its
     cells are read ahead), every fourth data set's values have the format #,##0.00.
  2. LibreOffice saves that workbook again as .xlsx, which writes the caches: each series' name,
     categories (or x values) and values must match the data, numerically (relative 1e-9).
  3. The same charts in flat OpenDocument text and presentation files (each chart with its data in a
     local table) converted by LibreOffice to .docx and .pptx: title, kind, series and points again.
     Doughnuts are left out there (LibreOffice 7.4 writes its ring charts without their series), and
     the text goes in files of 8 charts (its .docx export of 24 inline charts writes them all empty).
Folio's text comes from folio_xls_text (tools/xls/xls_text.cpp: what the ingest pipeline chunks).
Prints, per file, the items that agree out of those checked and the first differences. Exit 0 when
all agree, 1 otherwise, 77 when openpyxl or soffice is missing.
"""
import argparse
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

KINDS = ["col", "bar", "stacked", "line", "pie", "area", "scatter", "doughnut"]
# The kind sentence Folio writes for each, from Excel's (openpyxl's) chart and from LibreOffice's.
FOLIO_KIND = {"col": "Column", "bar": "Bar", "stacked": "Stacked column", "line": "Line", "pie": "Pie",
              "area": "Area", "scatter": "Scatter", "doughnut": "Doughnut"}
WORDS = ["Revenue", "Costs", "Margin", "Headcount", "Churn", "Backlog", "Capex", "Opex", "Cash", "Orders"]
LO = ["soffice", "-env:UserInstallation=file:///tmp/lo_profile_charts", "--headless"]


def datasets(n, seed):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        points = rng.randint(3, 14)
        nseries = 1 if kind in ("pie", "doughnut") else rng.randint(1, 3)
        signed = kind in ("col", "bar", "line")
        names = rng.sample(WORDS, nseries)
        cats = [f"P{j + 1} {rng.choice(['North', 'South', 'East', 'West'])}" for j in range(points)]
        xs = sorted(rng.sample(range(1, 100), points)) if kind == "scatter" else None
        series = []
        for name in names:
            vals = []
            for _ in range(points):
                v = rng.choice([rng.randint(0, 5000), round(rng.uniform(0, 900), 2)])
                vals.append(-v if signed and rng.random() < 0.2 else v)
            series.append((name, vals))
        out.append({"i": i + 1, "kind": kind, "title": f"Exhibit {i + 1}: {names[0]} by period",
                    "xtitle": "Period" if kind not in ("pie", "doughnut") else None,
                    "ytitle": f"{names[0]} (USD k)" if kind not in ("pie", "doughnut") else None,
                    "cats": cats, "xs": xs, "series": series})
    return out


def write_openpyxl(data, path):
    """Returns the data sets in the order their charts stand in the workbook."""
    from openpyxl import Workbook
    from openpyxl.chart import AreaChart, BarChart, DoughnutChart, LineChart, PieChart, Reference, ScatterChart, Series
    wb = Workbook()
    wb.remove(wb.active)
    front = wb.create_sheet("Charts")
    on_front = []
    for d in data:
        ws = wb.create_sheet(f"D{d['i']}")
        ws.append(["x" if d["xs"] else "Period"] + [name for name, _ in d["series"]])
        for j in range(len(d["cats"])):
            ws.append([d["xs"][j] if d["xs"] else d["cats"][j]] + [vals[j] for _, vals in d["series"]])
        rows = len(d["cats"]) + 1
        if d["i"] % 4 == 0:
            for row in ws.iter_rows(min_row=2, min_col=2):
                for cell in row:
                    cell.number_format = "#,##0.00"
        kind = d["kind"]
        if kind == "scatter":
            chart = ScatterChart()
            xref = Reference(ws, min_col=1, min_row=2, max_row=rows)
            for c in range(len(d["series"])):
                s = Series(Reference(ws, min_col=c + 2, min_row=1, max_row=rows), xref, title_from_data=True)
                chart.series.append(s)
        else:
            chart = {"col": BarChart, "bar": BarChart, "stacked": BarChart, "line": LineChart, "pie": PieChart,
                     "area": AreaChart, "doughnut": DoughnutChart}[kind]()
            if kind == "bar":
                chart.type = "bar"
            if kind == "stacked":
                chart.grouping = "stacked"
                chart.overlap = 100
            chart.add_data(Reference(ws, min_col=2, max_col=1 + len(d["series"]), min_row=1, max_row=rows), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows))
        chart.title = d["title"]
        if d["xtitle"]:
            chart.x_axis.title = d["xtitle"]
            chart.y_axis.title = d["ytitle"]
        if d["i"] % 3 == 0:
            front.add_chart(chart, f"B{2 + 20 * len(on_front)}")
            on_front.append(d)
        else:
            ws.add_chart(chart, "F2")
    wb.save(path)
    return on_front + [d for d in data if d not in on_front]


def odf_chart(d):
    """A chart object inline in a flat OpenDocument file, its data in a local table."""
    cls = {"col": "bar", "bar": "bar", "stacked": "bar", "line": "line", "pie": "circle", "area": "area",
           "scatter": "scatter", "doughnut": "ring"}[d["kind"]]
    props = {"bar": 'chart:vertical="true"', "stacked": 'chart:stacked="true"'}.get(d["kind"], "")
    n = len(d["cats"])
    cols = "ABCDEFG"
    series = ""
    for c in range(len(d["series"])):
        col = cols[c + 1]
        domain = f'<chart:domain table:cell-range-address="local-table.$A$2:.$A${n + 1}"/>' if d["xs"] else ""
        series += (f'<chart:series chart:style-name="ser" chart:values-cell-range-address="local-table.${col}$2:.${col}${n + 1}" '
                   f'chart:label-cell-address="local-table.${col}$1" chart:class="chart:{cls}">{domain}</chart:series>')
    axes = ""
    if d["xtitle"]:
        cats = "" if d["xs"] else f'<chart:categories table:cell-range-address="local-table.$A$2:.$A${n + 1}"/>'
        axes = (f'<chart:axis chart:dimension="x" chart:name="primary-x"><chart:title><text:p>{d["xtitle"]}</text:p></chart:title>{cats}</chart:axis>'
                f'<chart:axis chart:dimension="y" chart:name="primary-y"><chart:title><text:p>{d["ytitle"]}</text:p></chart:title></chart:axis>')
    header = "<table:table-row><table:table-cell><text:p/></table:table-cell>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{name}</text:p></table:table-cell>' for name, _ in d["series"]) + "</table:table-row>"
    rows = ""
    for j in range(n):
        first = (f'<table:table-cell office:value-type="float" office:value="{d["xs"][j]}"/>' if d["xs"]
                 else f'<table:table-cell office:value-type="string"><text:p>{d["cats"][j]}</text:p></table:table-cell>')
        rows += "<table:table-row>" + first + "".join(
            f'<table:table-cell office:value-type="float" office:value="{vals[j]}"/>' for _, vals in d["series"]) + "</table:table-row>"
    return (f'<draw:object><office:document office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.chart">'
            f'<office:automatic-styles><style:style style:name="plot" style:family="chart"><style:chart-properties {props}/></style:style>'
            f'<style:style style:name="ser" style:family="chart"><style:chart-properties/></style:style></office:automatic-styles>'
            f'<office:body><office:chart><chart:chart svg:width="12cm" svg:height="7cm" chart:class="chart:{cls}">'
            f'<chart:title><text:p>{d["title"]}</text:p></chart:title>'
            f'<chart:plot-area chart:style-name="plot" table:cell-range-address="local-table.$A$1:.${cols[len(d["series"])]}${n + 1}" '
            f'chart:data-source-has-labels="both">{axes}{series}</chart:plot-area>'
            f'<table:table table:name="local-table"><table:table-header-columns><table:table-column/></table:table-header-columns>'
            f'<table:table-columns><table:table-column table:number-columns-repeated="{len(d["series"])}"/></table:table-columns>'
            f'<table:table-header-rows>{header}</table:table-header-rows>'
            f'<table:table-rows>{rows}</table:table-rows></table:table></chart:chart></office:chart></office:body></office:document></draw:object>')


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"')


def write_fodt(data, path):
    body = "".join(f'<text:p>Exhibit {d["i"]} follows.<draw:frame draw:name="Chart{d["i"]}" text:anchor-type="as-char" '
                   f'svg:width="12cm" svg:height="7cm">{odf_chart(d)}</draw:frame></text:p>' for d in data)
    with open(path, "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
                f'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{body}</office:text></office:body></office:document>')


def write_fodp(data, path):
    pages = "".join(f'<draw:page draw:name="p{d["i"]}"><draw:frame draw:name="Chart{d["i"]}" svg:x="1cm" svg:y="3cm" '
                    f'svg:width="20cm" svg:height="12cm">{odf_chart(d)}</draw:frame></draw:page>' for d in data)
    with open(path, "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
                f'office:mimetype="application/vnd.oasis.opendocument.presentation"><office:body><office:presentation>{pages}'
                f'</office:presentation></office:body></office:document>')


def convert(src, fmt, outdir):
    subprocess.run(LO + ["--convert-to", fmt, "--outdir", outdir, src], check=True, capture_output=True, timeout=300)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
    if not os.path.exists(out):
        raise RuntimeError(f"LibreOffice wrote no {out}")
    return out


def folio_charts(tool, path):
    """The charts in Folio's text: [{title, describe, series: [(name, points text)]}], in text order."""
    text = subprocess.run([tool, path], check=True, capture_output=True, text=True).stdout
    charts = []
    for line in text.splitlines():
        m = re.match(r"^(?:#+ )?Chart(?:: (.*))?$", line)
        if m:
            charts.append({"title": m.group(1) or "", "describe": "", "series": []})
        elif charts and line.startswith("Series: "):
            name, _, points = line[len("Series: "):].partition(" — ")
            charts[-1]["series"].append((name, points))
        elif charts and " chart." in line and not charts[-1]["describe"] and not charts[-1]["series"]:
            charts[-1]["describe"] = line
    return charts


def number(s):
    return float(s.replace(",", "").replace("$", ""))


def same_number(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


class Tally:
    def __init__(self, name):
        self.name, self.ok, self.total, self.diffs = name, 0, 0, []

    def check(self, what, good, detail=""):
        self.total += 1
        if good:
            self.ok += 1
        else:
            self.diffs.append(f"{what}: {detail}")


def points_agree(points, d, vals):
    """Folio's 'cat value; …' (or '(x, y); …') against the data set's categories and values."""
    got = points.split("; ")
    if len(got) != len(vals):
        return False, f"{len(got)} points, expected {len(vals)}: {points[:120]}"
    for j, p in enumerate(got):
        if d["xs"]:
            m = re.match(r"^\((.*), (.*)\)$", p)
            if not m or not same_number(number(m.group(1)), d["xs"][j]) or not same_number(number(m.group(2)), vals[j]):
                return False, f"point {j}: {p!r}, expected ({d['xs'][j]}, {vals[j]})"
        else:
            cat, _, value = p.rpartition(" ")
            if cat != d["cats"][j] or not same_number(number(value), vals[j]):
                return False, f"point {j}: {p!r}, expected {d['cats'][j]} {vals[j]}"
    return True, ""


def compare(tally, charts, data):
    tally.check("chart count", len(charts) == len(data), f"{len(charts)} charts, expected {len(data)}")
    for d, c in zip(data, charts):
        tag = f"chart {d['i']} ({d['kind']})"
        tally.check(f"{tag} title", c["title"] == d["title"], f"{c['title']!r}")
        tally.check(f"{tag} kind", c["describe"].startswith(FOLIO_KIND[d["kind"]] + " chart."), f"{c['describe']!r}")
        if d["xtitle"]:
            x = ("X" if d["xs"] else "Category") + " axis: " + d["xtitle"] + "."
            y = ("Y" if d["xs"] else "Value") + " axis: " + d["ytitle"] + "."
            tally.check(f"{tag} axis titles", x in c["describe"] and y in c["describe"], f"{c['describe']!r}")
        tally.check(f"{tag} series count", len(c["series"]) == len(d["series"]), f"{len(c['series'])}")
        for k, ((name, vals), (got_name, got_points)) in enumerate(zip(d["series"], c["series"])):
            tally.check(f"{tag} series {k + 1} name", got_name == name, f"{got_name!r}")
            good, why = points_agree(got_points, d, vals)
            tally.check(f"{tag} series {k + 1} points", good, why)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", default="build/hB/tools/folio_xls_text")
    ap.add_argument("--charts", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", help="write the files here and keep them")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        print("python3-openpyxl is not installed (apt-get install python3-openpyxl)")
        return 77
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is not installed")
        return 77
    tool = os.path.abspath(args.tool)
    data = datasets(args.charts, args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="folio_charts_")
    os.makedirs(work, exist_ok=True)
    lo_dir = os.path.join(work, "lo")
    os.makedirs(lo_dir, exist_ok=True)
    xlsx = os.path.join(work, "openpyxl_charts.xlsx")
    in_book = write_openpyxl(data, xlsx)
    odf = [d for d in data if d["kind"] != "doughnut"]
    write_fodp(odf, os.path.join(work, "lo_charts.fodp"))
    files = [
        ("openpyxl .xlsx (no caches: cells)", [(xlsx, in_book)]),
        ("LibreOffice .xlsx (caches)", [(convert(xlsx, "xlsx", lo_dir), in_book)]),
        ("LibreOffice .docx", []),
        ("LibreOffice .pptx", [(convert(os.path.join(work, "lo_charts.fodp"), "pptx", lo_dir), odf)]),
    ]
    for k in range(0, len(odf), 8):
        fodt = os.path.join(work, f"lo_charts_{k // 8 + 1}.fodt")
        write_fodt(odf[k:k + 8], fodt)
        files[2][1].append((convert(fodt, "docx", lo_dir), odf[k:k + 8]))
    all_ok = True
    for name, parts in files:
        tally = Tally(name)
        for path, expected in parts:
            compare(tally, folio_charts(tool, path), expected)
        print(f"{name}: {tally.ok}/{tally.total} items agree")
        for d in tally.diffs[:args.show]:
            print("   ", d)
        all_ok = all_ok and tally.ok == tally.total
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
