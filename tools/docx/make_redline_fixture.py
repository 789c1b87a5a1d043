#!/usr/bin/env python3
"""Writes tests/fixtures/doc/redline.docx, a contract with tracked changes of every kind Word lists,
redline_rows.docx, a fee table with a row deleted and one inserted, redline_joins.docx, paragraphs whose
marks alone were deleted, and redline_cells.docx, changes in cells of tables with and without a header
row, and has LibreOffice save them as Word 97-2003 (redline.doc, …), whose revision marks the .doc
reader lists the same way (a .doc marks a row's characters, no row: the reader groups them into one row
change). Uses the helpers of tools/doc/make_doc_fixtures.py (its styles and list numbering). Run by hand when
the fixture changes; the tests read the committed files.

    python3 tools/docx/make_redline_fixture.py [out-dir]   # default tests/fixtures/doc
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../doc"))
import make_doc_fixtures as m  # noqa: E402

OPPOSING = 'w:author="Opposing Counsel" w:date="2024-03-05T14:30:00Z"'
JANE = 'w:author="Jane Doe" w:date="2024-03-06T09:15:00Z"'


def ins(text, who=OPPOSING, i=1):
    return f'<w:ins w:id="{i}" {who}>{m.run(text)}</w:ins>'


def dele(text, who=OPPOSING, i=2):
    return f'<w:del w:id="{i}" {who}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def redline():
    b = m.para("Supply Agreement", "Title")
    b += m.para("Payment", "Clause1")
    b += m.para(m.run("The Customer shall pay each invoice within ") + dele("thirty (30)") + ins("sixty (60)") +
                m.run(" days."), None, (1, 1))
    b += m.para(m.run("Late payments bear interest") + ins(" at 2% a month", JANE, 3) + m.run("."), None, (1, 1))
    b += m.para("Limitation of Liability", "Clause1")
    b += m.para(m.run("Liability is capped at the fees paid in the ") + dele("twelve (12)") + ins("six (6)") +
                m.run(" months before the claim") + m.fn_ref("footnote", 1) + m.run("."), None, (1, 1))
    # A whole clause deleted: its text and its paragraph mark.
    b += m.para(dele("The Supplier is not liable for indirect loss.", JANE, 4), None, (1, 1),
                f'<w:rPr><w:del w:id="5" {JANE}/></w:rPr>')
    b += m.para(m.run("Nothing limits liability for fraud") + dele(" or wilful default", OPPOSING, 6) + m.run("."),
                None, (1, 1))
    # A whole clause inserted.
    b += m.para(ins("Each party shall mitigate its losses.", OPPOSING, 7), None, (1, 1),
                f'<w:rPr><w:ins w:id="8" {OPPOSING}/></w:rPr>')
    b += m.para(m.run("Fees", '<w:rPr><w:b/><w:rPrChange w:id="9" w:author="Jane Doe"><w:rPr/></w:rPrChange></w:rPr>'))
    b += m.table([["Service", "Monthly fee"], ["Hosting", m.para(m.run("EUR ") + dele("1,200", OPPOSING, 10) +
                                                                   ins("1,500", OPPOSING, 11))]])
    b += m.para("End of the agreement.")
    m.write_docx("redline.docx", b, footnotes=["Except for " + "claims under clause 4."], title="Supply Agreement")
    # The footnote's own change: a replacement inside it.
    import zipfile
    with zipfile.ZipFile("redline.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(
        m.run(" Except for claims under clause 4.").encode(),
        (m.run(" Except for claims under clause ") + dele("4", JANE, 12) + ins("5", JANE, 13) + m.run(".")).encode())
    with zipfile.ZipFile("redline.docx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def row(cells, trpr):
    out = f"<w:tr><w:trPr>{trpr}</w:trPr>"
    for c in cells:
        out += f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{m.para(c)}</w:tc>'
    return out + "</w:tr>"


def redline_rows():
    b = m.para("Schedule B: Fees", "Title")
    table = m.table([["Service", "Monthly fee"], ["Hosting", "EUR 1,200"]])
    deleted = row([dele("Support", OPPOSING, 20), dele("EUR 300", OPPOSING, 21)], f'<w:del w:id="22" {OPPOSING}/>')
    inserted = row([ins("Training", JANE, 23), ins("EUR 90", JANE, 24)], f'<w:ins w:id="25" {JANE}/>')
    b += table.replace("</w:tbl>", deleted + inserted + "</w:tbl>")
    b += m.para("Fees are payable monthly in advance.")
    m.write_docx("redline_rows.docx", b, title="Schedule B")


def mark_deleted(who=OPPOSING, i=30):
    return f'<w:rPr><w:del w:id="{i}" {who}/></w:rPr>'


def redline_joins():
    """Paragraphs whose marks alone were deleted: accepted, each runs on into the next (keeping its own
    number), in a cell too, but not across a section break. (LibreOffice's .doc drops a deleted mark
    before a table, at a cell's end and of a wholly deleted paragraph: those cases are the .docx tests'.)"""
    b = m.para("Schedule C: Notices", "Title")
    b += m.para("Notices", "Clause1")
    b += m.para(m.run("Notices must be in writing "), None, (1, 1), mark_deleted(OPPOSING, 30))
    b += m.para(m.run("and sent by ") + dele("post", OPPOSING, 31) + ins("email", OPPOSING, 32) + m.run("."), None, (1, 1))
    b += m.para(m.run("Notices take effect on receipt."), None, (1, 1))
    b += m.para(m.run("A notice to the Supplier "), None, (1, 1), mark_deleted(JANE, 33))
    b += m.para(m.run("goes to its registered office "), None, (1, 1), mark_deleted(JANE, 34))
    b += m.para(m.run("marked for the attention of Legal."), None, (1, 1))
    b += m.para(m.run("A notice by email is received when sent."), None, (1, 1))
    b += m.table([["Party", "Address"],
                  [m.para(m.run("Supplier "), None, None, mark_deleted(OPPOSING, 35)) + m.para("Ltd"), "1 High Street"]])
    b += m.para(m.run("End of section one."), None, None,
                mark_deleted(OPPOSING, 36) + '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>')
    b += m.para("Section two.")
    m.write_docx("redline_joins.docx", b, title="Schedule C")


def redline_cells():
    """Changes in table cells, listed by row and column: a fee table with a header row (Word's "repeat as
    header row", w:tblHeader) names the column by its header, one without by its number."""
    b = m.para("Schedule B: Fees", "Title")
    fees = m.table([["Service", m.para(m.run("Monthly fee") + ins(" (EUR)", JANE, 40)), "Notes"],
                    ["Hosting", m.para(m.run("EUR ") + dele("1,200", OPPOSING, 41) + ins("1,500", OPPOSING, 42)),
                     "billed monthly"],
                    ["Support", "EUR 300", m.para(m.run("up to 10 hours") + ins(" a month", JANE, 43))]])
    b += fees.replace("<w:tr>", "<w:tr><w:trPr><w:tblHeader/></w:trPr>", 1)
    b += m.para("Term")
    b += m.table([["Initial term", m.para(dele("12", OPPOSING, 44) + ins("24", OPPOSING, 45) + m.run(" months"))],
                  ["Renewal", "12 months"]])
    m.write_docx("redline_cells.docx", b, title="Schedule B")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../tests/fixtures/doc")
    os.makedirs(out, exist_ok=True)
    os.chdir(out)
    redline()
    redline_rows()
    redline_joins()
    redline_cells()
    names = ["redline", "redline_rows", "redline_joins", "redline_cells"]
    m.convert([n + ".docx" for n in names])
    for n in names:
        os.remove(n + ".txt")
