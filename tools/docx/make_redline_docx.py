#!/usr/bin/env python3
"""Writes a large contract as a Word .docx, with or without tracked changes, for timing Folio's reader.

    python3 tools/docx/make_redline_docx.py OUT.docx [--pages 500] [--changes 2000]

About 8 numbered clauses of ~60 words a page under numbered headings ("12. Fees", "12.3 ..."), a table
every 10 pages, Word's XML for automatic numbering; with --changes N, N tracked changes spread evenly
over the clauses (replacements, insertions, deletions by two authors; every 10th a formatting change).
"""
import random
import sys
import zipfile

W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
WORDS = ("the supplier shall pay all fees within thirty days of receipt of a valid invoice and the customer may "
         "terminate this agreement for convenience on ninety days written notice liability is limited").split()
NUMBERING = ('<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
             '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


def run(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % text


def change(rng, k, words):
    who = 'w:author="%s" w:date="2024-03-05T14:%02d:00Z"' % (rng.choice(["Opposing Counsel", "Jane Doe"]), k % 60)
    old, new = " ".join(words[:3]), " ".join(rng.choice(WORDS) for _ in range(3))
    kind = k % 10
    if kind == 9:
        return '<w:r><w:rPr><w:b/><w:rPrChange w:id="%d" %s><w:rPr/></w:rPrChange></w:rPr><w:t>%s</w:t></w:r>' % (k, who, old)
    deleted = '<w:del w:id="%d" %s><w:r><w:delText xml:space="preserve">%s</w:delText></w:r></w:del>' % (k, who, old)
    inserted = '<w:ins w:id="%d" %s>%s</w:ins>' % (k, who, run(new))
    return [deleted + inserted, deleted, run(old + " ") + inserted][kind % 3]


def main():
    args = sys.argv[1:]
    out = args[0]
    pages = int(args[args.index("--pages") + 1]) if "--pages" in args else 500
    changes = int(args[args.index("--changes") + 1]) if "--changes" in args else 0
    rng = random.Random(7)
    clauses = pages * 8
    every = clauses / changes if changes else 0
    next_change, k = 0.0, 0
    body = []
    for i in range(clauses):
        if i % 6 == 0:
            body.append('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/>'
                        '</w:pPr>%s</w:p>' % run(rng.choice(["Fees", "Term", "Liability", "Notices", "Confidentiality"])))
        words = [rng.choice(WORDS) for _ in range(60)]
        runs = run(" ".join(words[3:30]) + " ")
        if changes and i >= next_change and k < changes:
            runs += change(rng, k, words)
            k += 1
            next_change += every
        else:
            runs += run(" ".join(words[:3]))
        runs += run(" " + " ".join(words[30:]) + ".")
        body.append('<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>%s</w:p>' % runs)
        if i % 80 == 79:
            cells = "".join("<w:tc><w:p>%s</w:p></w:tc>" % run(rng.choice(WORDS)) for _ in range(3))
            body.append("<w:tbl>%s</w:tbl>" % ("<w:tr>%s</w:tr>" % cells * 4))
        if i % 8 == 7:
            body.append('<w:p><w:r><w:lastRenderedPageBreak/></w:r></w:p>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'numbering" Target="numbering.xml"/></Relationships>')
        z.writestr("word/numbering.xml", '<?xml version="1.0"?><w:numbering %s>%s</w:numbering>' % (W, NUMBERING))
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document %s><w:body>%s</w:body></w:document>'
                   % (W, "".join(body)))
    print("%s: %d clauses, %d tracked changes" % (out, clauses, k))


if __name__ == "__main__":
    main()
