#!/usr/bin/env python3
"""Writes the signed PDFs the PDF signature tests use (tests/fixtures/pdf/signed_*.pdf), offline (openssl, qpdf).

    python3 tools/pdf/make_signed_pdfs.py [OUT_DIR]

A two-page amendment whose page 2 holds two signature fields (Buyer, Seller), signed the way Acrobat
signs: each signature is an incremental update holding the signature dictionary, whose /ByteRange
covers the whole file but its /Contents, a detached CMS SignedData (adbe.pkcs7.detached, SHA-256,
RSA). The CMS is built here byte by byte so the signing time is fixed (openssl cms stamps the current
time); the RSA signature is openssl's (`openssl dgst -sha256 -sign`). The test keys and self-signed
certificates are in tests/fixtures/pdf/signing_keys/ (made once with openssl req when missing; they
sign nothing but these fixtures).

- signed_unsigned.pdf:  the amendment with both signature fields empty
- signed.pdf:           Buyer signed by Jane Roe (Acme Corp), 2024-03-05 14:30 UTC; Seller empty
- signed_changed.pdf:   signed.pdf, then an incremental update that replaces page 1's text
- signed_tampered.pdf:  signed.pdf with "$100,000" changed to "$900,000" inside the signed bytes
- signed_twice.pdf:     signed.pdf, then Seller signed by John Smith (Globex Ltd), 2024-03-06 09:15 UTC
- signed_certified.pdf: a certification signature by Jane Roe (DocMDP, form filling allowed)
- signed_sha1.pdf:      signed.pdf's signature as adbe.pkcs7.sha1 (the CMS, SHA-1 throughout, signs the ranges'
                      SHA-1 digest, held inside it)
- signed_rewritten.pdf: signed_twice.pdf rewritten whole by qpdf: its byte ranges no longer frame the signatures
- signed_timestamped.pdf: Buyer signed by Jane Roe at 14:30 by her clock, with a timestamp token of a test
                      timestamp authority ("Folio Test TSA") stating 14:31
- signed_doc_timestamp.pdf: signed.pdf, then a document timestamp (/Type /DocTimeStamp, ETSI.RFC3161) by the
                      test TSA stating 2024-03-07 10:00:05 UTC, in a third field "DocTimeStamp" on page 2: the
                      token's message imprint is the SHA-256 of its byte ranges
- signed_doc_timestamp_tampered.pdf: signed_doc_timestamp.pdf with "$100,000" changed to "$900,000" (inside
                      both the signature's and the timestamp's signed bytes)
- signed_orphans.pdf:   both fields signed (Jane Roe, John Smith), neither widget in a page's /Annots (some
                      producers leave them out): Buyer's widget names page 2 in /P, Seller's (a kid of a
                      "Parties" field) names no page; reachable only through the AcroForm's /Fields
"""
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "pdf")
KEYS = os.path.join(ROOT, "tests", "fixtures", "pdf", "signing_keys")
CONTENTS_HEX = 4096  # the /Contents placeholder, in hex digits (the CMS is about 1,100 bytes)

# --- DER, just what a CMS SignedData needs -------------------------------------------------------


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def der_set(*items):
    return tlv(0x31, b"".join(sorted(items)))  # DER: a SET OF in the order of its encodings


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def integer(v):
    return tlv(0x02, v.to_bytes(v.bit_length() // 8 + 1, "big"))


def read_tlv(data, at):
    """(tag, body start, body end) of the element at `at`."""
    tag, n = data[at], data[at + 1]
    at += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[at:at + k], "big")
        at += k
    return tag, at, at + n


def children(data, start, end):
    out = []
    while start < end:
        tag, b, e = read_tlv(data, start)
        out.append((tag, start, e))
        start = e
    return out


def issuer_and_serial(cert):
    """The DER of IssuerAndSerialNumber, taken from a certificate's TBSCertificate."""
    _, b, e = read_tlv(cert, 0)
    _, tb, te = read_tlv(cert, children(cert, b, e)[0][1])
    fields = children(cert, tb, te)
    if fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    serial, issuer = fields[0], fields[2]
    return seq(cert[issuer[1]:issuer[2]], cert[serial[1]:serial[2]])


SHA256 = seq(oid("2.16.840.1.101.3.4.2.1"), b"\x05\x00")
SHA1 = seq(oid("1.3.14.3.2.26"), b"\x05\x00")
DIGESTS = {"sha256": (SHA256, hashlib.sha256), "sha1": (SHA1, hashlib.sha1)}
RSA = seq(oid("1.2.840.113549.1.1.1"), b"\x05\x00")
DATA = "1.2.840.113549.1.7.1"


TST_INFO = "1.2.840.113549.1.9.16.1.4"


def rsa_sign(key, data, digest="sha256"):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(["openssl", "dgst", "-" + digest, "-sign", key, "-binary", f.name],
                              check=True, capture_output=True).stdout


def cms_signed_data(signed_bytes, key, cert, utc_time, content_type=DATA, embedded=False, tsa=None, digest="sha256"):
    """A SignedData over `signed_bytes` (detached, or embedded as its content): contentType, signingTime
    (when `utc_time`) and messageDigest signed; with `tsa` (key, cert, time), a timestamp token over the
    signature value as an unsigned attribute."""
    attrs = [seq(oid("1.2.840.113549.1.9.3"), der_set(oid(content_type))),
             seq(oid("1.2.840.113549.1.9.4"), der_set(tlv(0x04, DIGESTS[digest][1](signed_bytes).digest())))]
    if utc_time:
        attrs.append(seq(oid("1.2.840.113549.1.9.5"), der_set(tlv(0x17, utc_time.encode()))))  # UTCTime YYMMDDHHMMSSZ
    signed_attrs = der_set(*attrs)  # signed as a SET (0x31), stored as [0] IMPLICIT
    signature = rsa_sign(key, signed_attrs, digest)
    unsigned = b""
    if tsa:
        token = timestamp_token(signature, *tsa)
        unsigned = b"\xA1" + der_set(seq(oid("1.2.840.113549.1.9.16.2.14"), der_set(token)))[1:]
    algorithm = DIGESTS[digest][0]
    signer_info = seq(integer(1), issuer_and_serial(cert), algorithm, b"\xA0" + signed_attrs[1:], RSA,
                      tlv(0x04, signature), unsigned)
    content = seq(oid(content_type), tlv(0xA0, tlv(0x04, signed_bytes))) if embedded else seq(oid(content_type))
    signed_data = seq(integer(3 if content_type != DATA else 1), der_set(algorithm), content, tlv(0xA0, cert),
                      der_set(signer_info))
    return seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, signed_data))


def timestamp_token(signature, key, cert, gen_time):
    """An RFC 3161 token: a SignedData whose content is a TSTInfo stamping the SHA-256 of `signature` (a
    signature value, or a document timestamp's byte ranges)."""
    tst_info = seq(integer(1), oid("1.3.6.1.4.1.99999.1"), seq(SHA256, tlv(0x04, hashlib.sha256(signature).digest())),
                   integer(4242), tlv(0x18, gen_time.encode()))  # GeneralizedTime YYYYMMDDHHMMSSZ
    return cms_signed_data(tst_info, key, cert, None, content_type=TST_INFO, embedded=True)


def party(name, subject):
    """The key and DER certificate of a test signer, made with openssl the first time."""
    os.makedirs(KEYS, exist_ok=True)
    key, crt = os.path.join(KEYS, name + ".key"), os.path.join(KEYS, name + ".crt")
    if not os.path.exists(key):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                        "-outform", "DER", "-days", "36500", "-subj", subject], check=True, capture_output=True)
    with open(crt, "rb") as f:
        return key, f.read()


# --- the PDF and its incremental updates ---------------------------------------------------------


def pdf_string(s):
    return b"(" + s.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def content(lines):
    out = b"BT /F1 12 Tf 72 720 Td 16 TL\n" + b"".join(pdf_string(l) + b" Tj T*\n" for l in lines) + b"ET"
    return b"<< /Length %d >>\nstream\n" % len(out) + out + b"\nendstream"


PAGE1 = ["AMENDMENT No. 1 TO THE MASTER SERVICES AGREEMENT",
         "1. The annual fee is increased to $100,000.",
         "2. All other terms of the Agreement remain in force."]
PAGE1_CHANGED = ["AMENDMENT No. 1 TO THE MASTER SERVICES AGREEMENT",
                 "1. The annual fee is increased to $250,000 (changed after signing).",
                 "2. All other terms of the Agreement remain in force."]
PAGE2 = ["Signed for Acme Corp (Buyer):", "", "", "", "", "", "Signed for Globex Ltd (Seller):"]
BUYER, SELLER = 9, 10  # the signature fields' object numbers
BUYER_FIELD = b"/Type /Annot /Subtype /Widget /FT /Sig /T (BuyerSig) /TU (Buyer signature) /F 4 /P 6 0 R " \
              b"/Rect [72 560 300 610]"
SELLER_FIELD = b"/Type /Annot /Subtype /Widget /FT /Sig /T (SellerSig) /TU (Seller signature) /F 4 /P 6 0 R " \
               b"/Rect [72 460 300 510]"
CATALOG = b"/Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 10 0 R] /SigFlags 3 >>"


class Pdf:
    def __init__(self):
        self.data = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.size, self.xref = 1, None

    def section(self, objects):
        """Appends objects {number: body} and their xref section (an incremental update after the first)."""
        offsets = {}
        for num in sorted(objects):
            offsets[num] = len(self.data)
            self.data += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
        self.size = max(self.size, max(objects) + 1)
        xref = len(self.data)
        self.data += b"xref\n"
        if self.xref is None:
            self.data += b"0 1\n0000000000 65535 f \n"
        for num in sorted(objects):
            self.data += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
        prev = b"" if self.xref is None else b" /Prev %d" % self.xref
        self.data += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (self.size, prev, xref)
        self.xref = xref

    def copy(self):
        c = Pdf()
        c.data, c.size, c.xref = bytearray(self.data), self.size, self.xref
        return c


def base():
    pdf = Pdf()
    pdf.section(base_objects())
    return pdf


def base_objects():
    return {
        1: b"<< " + CATALOG + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
           b"/Contents 4 0 R >>",
        4: content(PAGE1),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        6: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
           b"/Contents 7 0 R /Annots [9 0 R 10 0 R] >>",
        7: content(PAGE2),
        8: b"<< /Producer (Folio test fixtures) >>",
        BUYER: b"<< " + BUYER_FIELD + b" >>",
        SELLER: b"<< " + SELLER_FIELD + b" >>",
    }


def sign(pdf, field_num, field_body, who, name, when, reason, location, certify=False, tsa=None, contents_hex=CONTENTS_HEX,
         sha1_embedded=False, extra=None):
    """An incremental update that signs field `field_num` and covers the whole file but /Contents; with
    `sha1_embedded`, as adbe.pkcs7.sha1: the CMS signs the byte ranges' SHA-1 digest, embedded in it.
    `extra`: more objects {number: body} in the same update."""
    key, cert = who
    sig = pdf.size
    reference = b""
    objects = {field_num: b"<< " + field_body + b" /V %d 0 R >>" % sig}
    objects.update(extra or {})
    if certify:  # DocMDP: the author certifies the document and allows form filling (P 2)
        reference = b" /Reference [<< /Type /SigRef /TransformMethod /DocMDP " \
                    b"/TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>]"
        objects[1] = b"<< " + CATALOG + b" /Perms << /DocMDP %d 0 R >> >>" % sig
    sub_filter = b"adbe.pkcs7.sha1" if sha1_embedded else b"adbe.pkcs7.detached"
    objects[sig] = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + sub_filter + b" /Name " + pdf_string(name)
                    + b" /M (D:20" + when.encode() + b") /Reason " + pdf_string(reason) + b" /Location "
                    + pdf_string(location) + reference + b" /ByteRange [0 0000000000 0000000000 0000000000] /Contents <"
                    + b"0" * contents_hex + b"> >>")
    pdf.section(objects)
    if sha1_embedded:
        fill(pdf, contents_hex, lambda b: cms_signed_data(hashlib.sha1(b).digest(), key, cert, when, embedded=True,
                                                          digest="sha1"))
    else:
        fill(pdf, contents_hex, lambda b: cms_signed_data(b, key, cert, when, tsa=tsa))


def fill(pdf, contents_hex, make_der):
    """Writes the last /ByteRange of `pdf` (the whole file but its /Contents) and the DER `make_der` makes of
    the bytes it covers into /Contents."""
    data = pdf.data
    at = data.rindex(b"/ByteRange [")
    gap_start = data.index(b"/Contents <", at) + len(b"/Contents ")
    gap_end = gap_start + contents_hex + 2
    byte_range = b"0 %010d %010d %010d" % (gap_start, gap_end, len(data) - gap_end)
    data[at + 12:at + 12 + len(byte_range)] = byte_range
    der = make_der(bytes(data[:gap_start] + data[gap_end:]))
    hex_der = der.hex().upper().encode()
    assert len(hex_der) <= contents_hex, "the CMS outgrew its placeholder"
    data[gap_start + 1:gap_start + 1 + len(hex_der)] = hex_der


def doc_timestamp(pdf, tsa, gen_time):
    """An incremental update adding an invisible field on page 2 whose value is a document timestamp: an RFC
    3161 token over the byte ranges (the whole file but /Contents), as Acrobat's "Timestamp" writes one."""
    field, sig = pdf.size, pdf.size + 1
    pdf.section({
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 10 0 R %d 0 R] /SigFlags 3 >> >>" % field,
        6: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
           b"/Contents 7 0 R /Annots [9 0 R 10 0 R %d 0 R] >>" % field,
        field: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (DocTimeStamp) /F 132 /P 6 0 R /Rect [0 0 0 0] "
               b"/V %d 0 R >>" % sig,
        sig: b"<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
             b"/ByteRange [0 0000000000 0000000000 0000000000] /Contents <" + b"0" * CONTENTS_HEX + b"> >>",
    })
    fill(pdf, CONTENTS_HEX, lambda b: timestamp_token(b, tsa[0], tsa[1], gen_time))


def orphans(jane, john):
    """Both fields signed, their widgets in no page's /Annots: Buyer's /P names page 2, Seller's (a kid of
    "Parties") names no page."""
    buyer = BUYER_FIELD
    seller = SELLER_FIELD.replace(b" /P 6 0 R", b"") + b" /Parent 11 0 R"
    objects = base_objects()
    objects.update({
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 11 0 R] /SigFlags 3 >> >>",
        6: objects[6].replace(b" /Annots [9 0 R 10 0 R]", b""),
        SELLER: b"<< " + seller + b" >>",
        11: b"<< /T (Parties) /Kids [10 0 R] >>",
    })
    pdf = Pdf()
    pdf.section(objects)
    sign(pdf, BUYER, buyer, jane, "Jane Roe", "240305143000Z", "I approve this amendment", "New York")
    sign(pdf, SELLER, seller, john, "John Smith", "240306091500Z", "Agreed", "London")
    return pdf


def write(name, pdf):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(pdf.data)


def main():
    jane = party("jane_roe", "/CN=Jane Roe/O=Acme Corp")
    john = party("john_smith", "/CN=John Smith/O=Globex Ltd")

    write("signed_unsigned.pdf", base())

    signed = base()
    sign(signed, BUYER, BUYER_FIELD, jane, "Jane Roe", "240305143000Z", "I approve this amendment", "New York")
    write("signed.pdf", signed)

    changed = signed.copy()
    changed.section({4: content(PAGE1_CHANGED)})
    write("signed_changed.pdf", changed)

    tampered = signed.copy()
    at = tampered.data.index(b"$100,000")
    tampered.data[at:at + 8] = b"$900,000"
    write("signed_tampered.pdf", tampered)

    twice = signed.copy()
    sign(twice, SELLER, SELLER_FIELD, john, "John Smith", "240306091500Z", "Agreed", "London")
    write("signed_twice.pdf", twice)

    tsa = party("test_tsa", "/CN=Folio Test TSA/O=Folio tests")
    stamped = base()
    sign(stamped, BUYER, BUYER_FIELD, jane, "Jane Roe", "240305143000Z", "I approve this amendment", "New York",
         tsa=tsa + ("20240305143105Z",), contents_hex=2 * CONTENTS_HEX)
    write("signed_timestamped.pdf", stamped)

    doc_stamped = signed.copy()
    doc_timestamp(doc_stamped, tsa, "20240307100005Z")
    write("signed_doc_timestamp.pdf", doc_stamped)
    at = doc_stamped.data.index(b"$100,000")
    doc_stamped.data[at:at + 8] = b"$900,000"
    write("signed_doc_timestamp_tampered.pdf", doc_stamped)

    write("signed_orphans.pdf", orphans(jane, john))

    sha1 = base()
    sign(sha1, BUYER, BUYER_FIELD, jane, "Jane Roe", "240305143000Z", "I approve this amendment", "New York",
         sha1_embedded=True)
    write("signed_sha1.pdf", sha1)

    # Rewritten after signing by a tool that does not keep signatures (qpdf: new offsets, same /ByteRange).
    subprocess.run(["qpdf", os.path.join(OUT, "signed_twice.pdf"), os.path.join(OUT, "signed_rewritten.pdf")], check=True)

    certified = base()
    sign(certified, BUYER, BUYER_FIELD, jane, "Jane Roe", "240301120000Z", "I am the author of this amendment",
         "New York", certify=True)
    write("signed_certified.pdf", certified)


if __name__ == "__main__":
    main()
