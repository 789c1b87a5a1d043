#!/usr/bin/env python3
"""Writes the .docx sources of tests/fixtures/doc/ and converts them to Word 97-2003 (.doc) with
LibreOffice (`soffice --headless --convert-to doc`), next to LibreOffice's own text export (.txt) for
comparison. Run by hand when the fixtures change; the tests read only the committed .doc files.

    python3 tools/doc/make_doc_fixtures.py [out-dir]   # default tests/fixtures/doc
    python3 tools/doc/make_doc_fixtures.py --contract N out-dir   # a large contract of N clauses
    /usr/bin/python3 tools/doc/make_doc_fixtures.py --fuzz-seeds   # tests/fuzz/corpus/fuzz_doc/ (olefile)
"""
import os
import subprocess
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' \
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="wps" ' \
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" ' \
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' \
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def run(text, props=""):
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(content, style=None, num=None, extra=""):
    ppr = ""
    if style or num or extra:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += extra + "</w:pPr>"
    if not content.startswith("<w:"):
        content = run(content)
    return f"<w:p>{ppr}{content}</w:p>"


def table(rows):
    out = '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>'
    out += '<w:gridCol w:w="3000"/>' * max(len(r) for r in rows) + "</w:tblGrid>"
    for r in rows:
        out += "<w:tr>"
        for c in r:
            body = c if c.startswith("<w:") else para(c)
            out += f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>{body}</w:tc>'
        out += "</w:tr>"
    return out + "</w:tbl>"


def field(instr, result):
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


STYLES = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Clause1"><w:name w:val="Clause 1"/><w:basedOn w:val="Heading1"/>
  <w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>'''


def level(i, fmt, text, start=1, restart=None, legal=False, suff=None):
    x = f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
    if restart is not None:
        x += f'<w:lvlRestart w:val="{restart}"/>'
    if legal:
        x += '<w:isLgl/>'
    if suff:
        x += f'<w:suff w:val="{suff}"/>'
    x += f'<w:lvlText w:val="{escape(text)}"/><w:lvlJc w:val="left"/>'
    x += f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
    return x


BULLET = "\uf0b7"
NUMBERING = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}>
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>
{level(0, "decimal", "%1.")}{level(1, "decimal", "%1.%2")}{level(2, "lowerLetter", "(%3)")}
{level(3, "lowerRoman", "(%4)")}{level(4, "upperLetter", "%5.")}{level(5, "decimal", "%6)")}
{level(6, "decimal", "%7.")}{level(7, "decimal", "%8.")}{level(8, "decimal", "%9.")}
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>
{level(0, "bullet", BULLET)}{level(1, "bullet", "o")}
</w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/>
{level(0, "upperRoman", "Article %1")}{level(1, "decimalZero", "%1.%2", legal=True)}
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>'''


def notes_part(kind, notes):
    tag = "footnote" if kind == "footnotes" else "endnote"
    x = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} {W}>'
    x += f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
    x += f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
    for i, text in enumerate(notes, 1):
        x += (f'<w:{tag} w:id="{i}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
              f'<w:{tag}Ref/></w:r>{run(" " + text)}</w:p></w:{tag}>')
    return x + f"</w:{kind}>"


def comments_part(comments):
    x = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W}>'
    for i, (author, text) in enumerate(comments):
        x += f'<w:comment w:id="{i}" w:author="{escape(author)}" w:initials="X"><w:p>{run(text)}</w:p></w:comment>'
    return x + "</w:comments>"


def write_docx(path, body, footnotes=(), endnotes=(), comments=(), title=None, author=None, headers=(), sect=""):
    """headers: (name, paragraphs) for header*/footer* parts, related by the id `name`; sect: the
    content of the body's last w:sectPr."""
    rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>']
    parts = {"word/styles.xml": STYLES, "word/numbering.xml": NUMBERING}
    types = ['<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
             '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
             '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>']
    for kind, items, rel in (("footnotes", footnotes, "footnotes"), ("endnotes", endnotes, "endnotes")):
        if items:
            parts[f"word/{kind}.xml"] = notes_part(kind, items)
            rels.append(f'<Relationship Id="rId{len(rels) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{rel}" Target="{kind}.xml"/>')
            types.append(f'<Override PartName="/word/{kind}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>')
    if comments:
        parts["word/comments.xml"] = comments_part(comments)
        rels.append(f'<Relationship Id="rId{len(rels) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>')
        types.append('<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>')
    for name, content in headers:
        kind = "footer" if name.startswith("footer") else "header"
        root = "ftr" if kind == "footer" else "hdr"
        parts[f"word/{name}.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {W}>{content}</w:{root}>'
        rels.append(f'<Relationship Id="{name}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{name}.xml"/>')
        types.append(f'<Override PartName="/word/{name}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>')
    core = ""
    if title or author:
        core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'<dc:title>{escape(title or "")}</dc:title><dc:creator>{escape(author or "")}</dc:creator></cp:coreProperties>')
        types.append('<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>' + "".join(types) + "</Types>")
        pkg_rels = '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        if core:
            pkg_rels += '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            z.writestr("docProps/core.xml", core)
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + pkg_rels + "</Relationships>")
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>")
        for name, data in parts.items():
            z.writestr(name, data)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr>{sect}</w:sectPr></w:body></w:document>')


def fn_ref(kind, i):
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Reference w:id="{i}"/></w:r>'


def comment_ref(i, text):
    return (f'<w:commentRangeStart w:id="{i}"/>{run(text)}<w:commentRangeEnd w:id="{i}"/>'
            f'<w:r><w:commentReference w:id="{i}"/></w:r>')


def contract():
    b = para("Services Agreement", "Title")
    b += para("Recitals", "Heading1")
    b += para("This Agreement is made between Müller GmbH and Ærø Ltd on 1 März 2024.")
    b += para("Definitions", "Clause1")
    b += para("In this Agreement the following words have these meanings:", None, (1, 1))
    b += para("“Services” means the work in Schedule 1;", None, (1, 2))
    b += para("“Fee” means €1,000 – payable monthly;", None, (1, 2))
    b += para("with sub-items:", None, (1, 3))
    b += para("Payment", "Clause1")
    b += para(run("The Client shall pay the Fee within 30 days") + fn_ref("footnote", 1) + run("."), None, (1, 1))
    b += para(run("Interest accrues at 4%") + fn_ref("endnote", 1) + run(" per year."), None, (1, 1))
    b += para("Bullets:")
    b += para("first bullet", None, (2, 0))
    b += para("second bullet", None, (2, 0))
    b += para("nested bullet", None, (2, 1))
    b += para("Term", "Clause1")
    b += para(run("This Agreement starts as shown on ") + field("HYPERLINK \"https://example.com/term\"", "the portal") + run(" and ends in two years."), None, (1, 1))
    b += para(comment_ref(0, "Either party may terminate it on notice."), None, (1, 1))
    b += table([["Party", "Address", "Role"], ["Müller GmbH", "Berlin", "Client"], ["Ærø Ltd", "London", "Supplier"]])
    b += para(run("First line") + '<w:r><w:br/></w:r>' + run("second line\tafter a tab"))
    b += para(run("Greek: Ελληνικά, Japanese: 日本語, a non") + '<w:r><w:noBreakHyphen/></w:r>' + run("breaking hyphen."))
    b += para(run("After a page break.") , None, None, '<w:pageBreakBefore/>')
    b += para("Boilerplate", "Clause1")
    b += para("Article text", None, (3, 0))
    b += para("Section text", None, (3, 1))
    b += para("Second article", None, (4, 0))
    b += para("Its section", None, (4, 1))
    write_docx("contract.docx", b, footnotes=["Days are calendar days."], endnotes=["Above the base rate."],
               comments=[("Jane Roe", "Check the notice period.")], title="Services Agreement", author="Jane Roe")


def nested():
    inner = table([["inner a", "inner b"], ["inner c", "inner d"]])
    b = para("Nested tables")
    b += table([["outer 1", inner + para("after inner")], ["outer 3", "outer 4"]])
    b += para("End.")
    write_docx("nested_table.docx", b)


def headers():
    """Three sections sharing one running header, a first-page letterhead, a footer with page numbers."""
    def refs(*items):
        return "".join(f'<w:{k}Reference w:type="{t}" r:id="{i}"/>' for k, t, i in items)
    first = refs(("header", "first", "header1"), ("header", "default", "header2"), ("footer", "default", "footer1"))
    b = para("Part one.", None, None, f'<w:sectPr>{first}<w:titlePg/></w:sectPr>')
    b += para("Part two.", None, None, f'<w:sectPr>{refs(("header", "default", "header2"), ("footer", "default", "footer1"))}</w:sectPr>')
    b += para("Part three.")
    footer = para(run("Page ") + field("PAGE", "1") + run(" of ") + field("NUMPAGES", "3"))
    footer += para(run("Confidential \u2014 ") + field("PAGE", "1"))
    write_docx("headers.docx", b, headers=[("header1", para("ACME Legal LLP, 1 Main Street")),
                                           ("header2", para("Master Services Agreement")), ("footer1", footer)],
               sect=refs(("header", "default", "header2"), ("footer", "default", "footer1")))


def text_box():
    """A text box (as Word 2010+ writes it: a DrawingML shape and a VML copy) holding a table."""
    content = para("Boxed note") + table([["Deposit", "EUR 500"]])
    anchor = ('<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
              'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
              '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
              '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
              '<wp:extent cx="2000000" cy="900000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Text Box 1"/>'
              '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
              '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="900000"/></a:xfrm>'
              '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>')
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>' + anchor +
           f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>'
           '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:150pt;height:70pt">'
           f'<v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    b = para("Rent", "Heading1") + para(run("The tenant pays the rent.") + box) + para("After the box.")
    write_docx("text_box.docx", b)


def big_contract(n):
    b = para("Master Agreement", "Title")
    for i in range(n):
        if i % 10 == 0:
            b += para(f"Part {i // 10 + 1}", "Clause1")
        b += para(f"The Supplier shall perform obligation {i + 1} with reasonable skill and care, "
                  "in accordance with Good Industry Practice and the Specification.", None, (1, 1))
        if i % 5 == 0:
            b += para("Including without limitation the following matters.", None, (1, 2))
    write_docx(f"contract_{n}.docx", b)


def convert(names):
    subprocess.run(["soffice", "--headless", "--convert-to", "doc"] + names, check=True, capture_output=True)
    docs = [n.replace(".docx", ".doc") for n in names]
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text (encoded):UTF8"] + docs, check=True,
                   capture_output=True)


def fuzz_seeds():
    """fuzz_doc's input from each fixture: the WordDocument stream's length (32-bit), it, the table stream."""
    import olefile
    import struct
    here = os.path.dirname(os.path.abspath(__file__))
    fixtures = os.path.join(here, "../../tests/fixtures/doc")
    out = os.path.join(here, "../../tests/fuzz/corpus/fuzz_doc")
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".doc"):
            ole = olefile.OleFileIO(os.path.join(fixtures, name))
            word = ole.openstream("WordDocument").read()
            table = ole.openstream("1Table" if word[11] & 2 else "0Table").read()
            with open(os.path.join(out, name[:-4]), "wb") as f:
                f.write(struct.pack("<I", len(word)) + word + table)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--fuzz-seeds":
        fuzz_seeds()
    elif args and args[0] == "--contract":
        os.makedirs(args[2], exist_ok=True)
        os.chdir(args[2])
        big_contract(int(args[1]))
        convert([f"contract_{args[1]}.docx"])
    else:
        out = args[0] if args else os.path.join(os.path.dirname(__file__), "../../tests/fixtures/doc")
        os.makedirs(out, exist_ok=True)
        os.chdir(out)
        contract()
        nested()
        headers()
        text_box()
        convert(["contract.docx", "nested_table.docx", "headers.docx", "text_box.docx"])
