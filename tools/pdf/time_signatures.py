#!/usr/bin/env python3
"""Times `folio ingest` of PDFs with and without signature fields, for one or more Folio binaries.

    python3 tools/pdf/time_signatures.py [--runs N] FOLIO_BINARY...

Writes, in a scratch folder: a 200-page text PDF (45 lines a page, no annotations), the same 200 pages
with a filled text field and a check box on every page (form widgets, none of them signatures), and a
50-page contract whose last page holds two signature fields, both signed (tools/pdf/make_signed_pdfs.py's
signing, with its test keys). Each binary ingests each file into a fresh library N times (default 5),
the binaries taking turns; the table gives the median wall time, the median CPU time (user + system of
folio and its PDF child: steadier than wall time on a loaded machine) and the signature lines Folio
wrote. Give the binary built before a change and the one after it to see what the change costs.
"""
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_signed_pdfs as signed  # noqa: E402  (Pdf, content, party, sign)

LINE = "%d.%d The Supplier shall provide the Services in accordance with this Agreement and the Schedules."


def pages_pdf(n_pages, widgets=False, signature_fields=False):
    """1 catalog, 2 pages, 3 font, then per page: page, content (and its widgets); then the signature fields."""
    pdf = signed.Pdf()
    objects, kids, fields = {}, [], []
    num = 4
    sig_page = None
    for p in range(1, n_pages + 1):
        page, cont = num, num + 1
        num += 2
        annots = []
        if widgets:
            objects[num] = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (ref%d) /V (Matter %d) /Rect [72 40 300 60] "
                            b"/P %d 0 R >>" % (p, p, page))
            objects[num + 1] = (b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (seen%d) /V /Yes /AS /Yes "
                                b"/Rect [320 40 340 60] /P %d 0 R >>" % (p, page))
            annots += [num, num + 1]
            fields += [num, num + 1]
            num += 2
        if signature_fields and p == n_pages:
            sig_page = page
            annots += [num, num + 1]  # the Buyer and Seller fields, written below
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                         b"/Contents %d 0 R /Annots [%s] >>" % (cont, b" ".join(b"%d 0 R" % a for a in annots)))
        objects[cont] = signed.content([LINE % (p, i) for i in range(1, 46)])
        kids.append(page)
    buyer = seller = None
    if signature_fields:
        buyer, seller = num, num + 1
        fields += [buyer, seller]
    form = b" /AcroForm << /Fields [%s] /SigFlags 3 >>" % b" ".join(b"%d 0 R" % f for f in fields) if fields else b""
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R" + form + b" >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), n_pages)
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    bodies = {}
    if signature_fields:
        for n, field, name, y in ((buyer, b"BuyerSig", b"Buyer signature", 560), (seller, b"SellerSig", b"Seller signature", 460)):
            bodies[n] = (b"/Type /Annot /Subtype /Widget /FT /Sig /T (%s) /TU (%s) /F 4 /P %d 0 R /Rect [72 %d 300 %d]"
                         % (field, name, sig_page, y, y + 50))
            objects[n] = b"<< " + bodies[n] + b" >>"
    pdf.section(objects)
    if signature_fields:
        jane = signed.party("jane_roe", "/CN=Jane Roe/O=Acme Corp")
        john = signed.party("john_smith", "/CN=John Smith/O=Globex Ltd")
        signed.sign(pdf, buyer, bodies[buyer], jane, "Jane Roe", "240305143000Z", "I approve this agreement", "New York")
        signed.sign(pdf, seller, bodies[seller], john, "John Smith", "240306091500Z", "Agreed", "London")
    return bytes(pdf.data)


def ingest_once(folio, path, tmp):
    """(wall s, CPU s, signature lines) of one ingest into a fresh library."""
    lib = os.path.join(tmp, "lib.sqlite")
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([folio, "ingest", "--quiet", "--library", lib, path], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = "".join(t for (t,) in sqlite3.connect(lib).execute("SELECT text FROM chunks"))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(lib + suffix):
            os.remove(lib + suffix)
    lines = sum(1 for l in text.splitlines() if l.startswith("[signature p."))
    return wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, lines


def main():
    args = sys.argv[1:]
    runs = 5
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "200 pages, no annotations": pages_pdf(200),
            "200 pages, 400 form widgets": pages_pdf(200, widgets=True),
            "50-page contract, 2 signatures": pages_pdf(50, signature_fields=True),
        }
        paths = {}
        for i, (label, data) in enumerate(files.items()):
            paths[label] = os.path.join(tmp, "doc%d" % i, "file.pdf")
            os.makedirs(os.path.dirname(paths[label]))
            with open(paths[label], "wb") as f:
                f.write(data)
        print("| file | size | binary | median wall (s) of %d | median CPU (s) | signature lines |" % runs)
        print("|---|---|---|---|---|---|")
        for label, path in paths.items():
            results = {folio: [] for folio in args}
            for _ in range(runs):
                for folio in args:
                    results[folio].append(ingest_once(folio, path, tmp))
            for folio, rs in results.items():
                print("| %s | %s KB | %s | %.3f | %.3f | %d |" % (label, len(files[label]) // 1024, folio,
                      statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), rs[-1][2]))


if __name__ == "__main__":
    main()
