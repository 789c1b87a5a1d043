// checkPdfSignature on the committed signed.pdf with its /ByteRange or its CMS spoiled, and how
// formatPdfMarkup words what the check found (no poppler: plain data in, text out).
#include "ingest/pdf_markup_signature.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/pdf_markup.h"

namespace folio::ingest {
namespace {

std::string signedPdf(const char* name = "signed.pdf") {
  std::ifstream in(std::filesystem::path(FOLIO_FIXTURES_DIR) / "pdf" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A signed fixture's /ByteRange, read from its text: [0 a b c].
std::vector<int64_t> byteRange(const std::string& pdf) {
  std::istringstream in(pdf.substr(pdf.rfind("/ByteRange [") + 12));
  std::vector<int64_t> r(4);
  in >> r[0] >> r[1] >> r[2] >> r[3];
  return r;
}

PdfSignature check(const std::string& pdf, const std::vector<int64_t>& range, std::string_view sub_filter = "adbe.pkcs7.detached") {
  PdfSignature s;
  s.is_signed = true;
  checkPdfSignature(pdf, range, sub_filter, {}, s);
  return s;
}

TEST(PdfSignatureCheck, TheFixtureVerifiesAndNamesItsSigner) {
  const std::string pdf = signedPdf();
  const PdfSignature s = check(pdf, byteRange(pdf));
  EXPECT_EQ(s.integrity, PdfSignatureIntegrity::Intact) << s.problem;
  EXPECT_EQ(s.signer, "Jane Roe");
  EXPECT_EQ(s.signing_time, "2024-03-05 14:30 UTC");
  EXPECT_EQ(s.covered_end, s.file_size);
}

TEST(PdfSignatureCheck, AnEmbeddedSha1DigestIsComparedWithTheSignedBytes) {
  std::string pdf = signedPdf("signed_sha1.pdf");
  const std::vector<int64_t> r = byteRange(pdf);
  EXPECT_EQ(check(pdf, r, "adbe.pkcs7.sha1").integrity, PdfSignatureIntegrity::Intact);
  pdf[pdf.find("$100,000") + 1] = '9';
  EXPECT_EQ(check(pdf, r, "adbe.pkcs7.sha1").integrity, PdfSignatureIntegrity::DigestMismatch);
}

TEST(PdfSignatureCheck, AByteOfTheSignatureValueChangedDoesNotVerify) {
  std::string pdf = signedPdf();
  const std::vector<int64_t> r = byteRange(pdf);
  // The CMS ends with the signer's RSA signature: change its last hex digit (outside the signed bytes).
  const size_t der_hex = static_cast<size_t>(r[1]) + 1;
  const size_t length = std::stoul(pdf.substr(der_hex + 4, 4), nullptr, 16);  // 30 82 LLLL
  char& digit = pdf[der_hex + (4 + length) * 2 - 1];
  digit = digit == '0' ? '1' : '0';
  EXPECT_EQ(check(pdf, r).integrity, PdfSignatureIntegrity::SignatureInvalid);
}

TEST(PdfSignatureCheck, ByteRangesThatDoNotFrameTheSignatureAreNotChecked) {
  const std::string pdf = signedPdf();
  const std::vector<int64_t> r = byteRange(pdf);
  const int64_t size = static_cast<int64_t>(pdf.size());
  const struct {
    std::vector<int64_t> range;
    const char* problem;
  } cases[] = {
      {{0, r[1], r[2]}, "its /ByteRange is not two ranges of the file"},
      {{1, r[1], r[2], r[3]}, "its /ByteRange does not start at the file's first byte"},
      {{0, r[1], r[2], size}, "its /ByteRange does not lie within the file"},
      {{0, r[2], r[1], r[3]}, "its /ByteRange does not lie within the file"},
      {{0, r[1], r[2], INT64_MAX}, "its /ByteRange does not lie within the file"},
      {{0, r[1] - 10, r[2], r[3]}, "the bytes between its signed ranges are not its /Contents string"},
      {{0, 10, 12, size - 12}, "the bytes between its signed ranges are not its /Contents string"},
  };
  for (const auto& c : cases) {
    const PdfSignature s = check(pdf, c.range);
    EXPECT_EQ(s.integrity, PdfSignatureIntegrity::Unchecked) << c.problem;
    EXPECT_EQ(s.problem, c.problem);
  }
  EXPECT_EQ(check(pdf, r, "adbe.x509.rsa_sha1").problem, "its kind (adbe.x509.rsa_sha1, a bare RSA signature) is not checked");
}

TEST(PdfSignatureCheck, ContentsThatAreNotACmsSignatureAreNotChecked) {
  std::string pdf = signedPdf();
  const std::vector<int64_t> r = byteRange(pdf);
  pdf.replace(static_cast<size_t>(r[1]) + 1, 8, "DEADBEEF");
  const PdfSignature s = check(pdf, r);
  EXPECT_EQ(s.integrity, PdfSignatureIntegrity::Unchecked);
  EXPECT_EQ(s.problem, "its /Contents is not a CMS (PKCS #7) signature");
}

PdfSignature signedBy(std::string signer, std::string stated_name) {
  PdfSignature s;
  s.ref = 7;
  s.name = "Buyer signature";
  s.is_signed = true;
  s.signer = std::move(signer);
  s.stated_name = std::move(stated_name);
  s.integrity = PdfSignatureIntegrity::Intact;
  s.covered_end = s.file_size = 52000;
  return s;
}

std::string line(const PdfSignature& s) {
  PdfPageMarkup m;
  m.signatures = {s, s};  // a second widget of the same field: listed once
  return formatPdfMarkup(12, m);
}

TEST(PdfMarkupFormat, ASignatureSaysWhoAsTheCertificateAndTheSignatureNameThem) {
  EXPECT_EQ(line(signedBy("Jane Roe", "J. Roe")),
            "[signature p.12, Buyer signature: signed by Jane Roe (the signature names \"J. Roe\"); the signed bytes "
            "are unchanged (the document was not changed after signing); certificate not checked]\n");
  EXPECT_EQ(line(signedBy("", "J. Roe")),
            "[signature p.12, Buyer signature: signed by J. Roe (the name the signature states; no certificate read); "
            "the signed bytes are unchanged (the document was not changed after signing); certificate not checked]\n");
}

TEST(PdfMarkupFormat, ASignatureTimeIsTheSignersClockUnlessATimestampTokenStatesIt) {
  PdfSignature s = signedBy("Jane Roe", "");
  s.stated_date = "D:20240305153000+01'00'";  // /M, used when the CMS states no signing time
  EXPECT_NE(line(s).find(", 2024-03-05 14:30 UTC (the time the signer's computer stated);"), std::string::npos) << line(s);
  s.signing_time = "2024-03-05 14:29 UTC";
  EXPECT_NE(line(s).find(", 2024-03-05 14:29 UTC (the time the signer's computer stated);"), std::string::npos) << line(s);
  s.timestamp_time = "2024-03-05 14:31 UTC";
  EXPECT_NE(line(s).find(", 2024-03-05 14:31 UTC (the time a timestamp token states; the token not checked; the "
                         "signer's computer stated 2024-03-05 14:29 UTC);"),
            std::string::npos)
      << line(s);
}

TEST(PdfMarkupFormat, WhatWasNotCheckedIsSaidAndNeverCalledValid) {
  PdfSignature s = signedBy("Jane Roe", "");
  s.integrity = PdfSignatureIntegrity::Unchecked;
  s.problem = "its /Contents is not a CMS (PKCS #7) signature";
  EXPECT_EQ(line(s), "[signature p.12, Buyer signature: signed by Jane Roe; the signature was not checked: its /Contents "
                     "is not a CMS (PKCS #7) signature]\n");
  s.integrity = PdfSignatureIntegrity::SignatureInvalid;
  s.covered_end = 48213;
  EXPECT_EQ(line(s), "[signature p.12, Buyer signature: signed by Jane Roe; the signature value does not verify with its "
                     "certificate's key; the document was changed after this signature (it covers bytes 0\xE2\x80\x93"
                     "48,213 of 52,000); certificate not checked]\n");
}

TEST(PdfMarkupFormat, PdfDatesWithAnOffsetAreGivenInUtc) {
  EXPECT_EQ(pdfDateUtcText("D:20240305143000+01'00'"), "2024-03-05 13:30 UTC");
  EXPECT_EQ(pdfDateUtcText("D:20240305003000+05'30'"), "2024-03-04 19:00 UTC");
  EXPECT_EQ(pdfDateUtcText("D:20241231230000-02'00"), "2025-01-01 01:00 UTC");
  EXPECT_EQ(pdfDateUtcText("D:20240229120000Z"), "2024-02-29 12:00 UTC");
  EXPECT_EQ(pdfDateUtcText("D:202403051430Z"), "2024-03-05 14:30 UTC");
  EXPECT_EQ(pdfDateUtcText("D:20240305143000"), "2024-03-05 14:30");  // no zone: as stated
  EXPECT_EQ(pdfDateUtcText("D:20240305143000+99'00'"), "2024-03-05 14:30");
  EXPECT_EQ(pdfDateUtcText("D:20240305"), "2024-03-05");
  EXPECT_EQ(pdfDateUtcText("junk"), "");
}

}  // namespace
}  // namespace folio::ingest
