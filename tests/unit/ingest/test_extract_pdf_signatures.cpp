// PDF signature fields read after their page's text: who signed, when, and whether the signed bytes
// still hold, on the committed fixtures of tools/pdf/make_signed_pdfs.py (signed, changed after
// signing, tampered with, rewritten, unsigned, signed by two parties, certified, time-stamped,
// adbe.pkcs7.sha1, a document timestamp, widgets in no page's /Annots).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/extract.h"
#include "ingest/library/search.h"
#include "support/annotated_pdf.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

const fs::path kPdfDir = fs::path(FOLIO_FIXTURES_DIR) / "pdf";

// Page `n`'s (1-based) lines from the first one that starts with "[".
std::string pageNotes(const std::string& file, size_t n) {
  auto r = extractDocument(kPdfDir / file, SourceType{SourceKind::Pdf, ""});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok() || n > r->page_starts.size()) return "(no page " + std::to_string(n) + ")";
  const size_t begin = static_cast<size_t>(r->page_starts[n - 1]);
  const size_t end = n < r->page_starts.size() ? static_cast<size_t>(r->page_starts[n]) : r->text.size();
  const std::string page = r->text.substr(begin, end - begin);
  const size_t at = page.find("\n[");
  return at == std::string::npos ? std::string() : page.substr(at + 1);
}

constexpr const char* kJane =
    "[signature p.2, Buyer signature: signed by Jane Roe, 2024-03-05 14:30 UTC (the time the signer's computer "
    "stated), reason \"I approve this amendment\", location \"New York\"; ";
constexpr const char* kSellerEmpty = "[signature p.2, Seller signature: not signed]\n";

TEST(PdfSignatures, ASignedFieldNamesItsSignerTimeAndThatTheBytesAreUnchanged) {
  EXPECT_EQ(pageNotes("signed.pdf", 2), std::string(kJane) +
                                            "the signed bytes are unchanged (the document was not changed after "
                                            "signing); certificate not checked]\n" +
                                            kSellerEmpty);
  EXPECT_EQ(pageNotes("signed.pdf", 1), "");  // on the page where its widget stands
}

TEST(PdfSignatures, AnIncrementalUpdateAfterSigningIsReportedWithTheBytesCovered) {
  EXPECT_EQ(pageNotes("signed_changed.pdf", 2),
            std::string(kJane) +
                "the signed bytes are unchanged; the document was changed after this signature (it covers bytes "
                "0\xE2\x80\x93" "6,264 of 6,638); certificate not checked]\n" +
                kSellerEmpty);
}

TEST(PdfSignatures, AnAdbePkcs7Sha1SignatureIsCheckedThroughTheDigestItHolds) {
  EXPECT_EQ(pageNotes("signed_sha1.pdf", 2), std::string(kJane) +
                                                 "the signed bytes are unchanged (the document was not changed after "
                                                 "signing); certificate not checked]\n" +
                                                 kSellerEmpty);
}

TEST(PdfSignatures, TamperedSignedBytesDoNotMatch) {
  EXPECT_EQ(pageNotes("signed_tampered.pdf", 2),
            std::string(kJane) + "the signed bytes do not match the signature; certificate not checked]\n" + kSellerEmpty);
}

TEST(PdfSignatures, AFileRewrittenAfterSigningSaysSoAndStillNamesTheSigners) {
  // qpdf rewrote signed_twice.pdf: the first range now ends inside other bytes, the second past the end.
  EXPECT_EQ(pageNotes("signed_rewritten.pdf", 2),
            std::string(kJane) +
                "the signed bytes do not match the signature; its byte range no longer frames its signature (the file "
                "was rewritten after signing); the document was changed after this signature (it covers bytes "
                "0\xE2\x80\x93" "6,264 of 10,269); certificate not checked]\n"
                "[signature p.2, Seller signature: signed by John Smith, 2024-03-06 09:15 UTC (the time the signer's "
                "computer stated), reason \"Agreed\", location \"London\"; the signature was not checked: its /ByteRange "
                "does not lie within the file]\n");
}

TEST(PdfSignatures, EmptySignatureFieldsAreListedAsNotSigned) {
  EXPECT_EQ(pageNotes("signed_unsigned.pdf", 2), "[signature p.2, Buyer signature: not signed]\n" + std::string(kSellerEmpty));
}

TEST(PdfSignatures, TwoPartiesEachWithTheirOwnVerdict) {
  EXPECT_EQ(pageNotes("signed_twice.pdf", 2),
            std::string(kJane) +
                "the signed bytes are unchanged; the document was changed after this signature (it covers bytes "
                "0\xE2\x80\x93" "6,264 of 10,856); certificate not checked]\n"
                "[signature p.2, Seller signature: signed by John Smith, 2024-03-06 09:15 UTC (the time the signer's "
                "computer stated), reason \"Agreed\", location \"London\"; the signed bytes are unchanged (the document "
                "was not changed after signing); certificate not checked]\n");
}

TEST(PdfSignatures, ACertificationSignatureSaysWhatItAllows) {
  EXPECT_EQ(pageNotes("signed_certified.pdf", 2),
            "[signature p.2, Buyer signature: signed by Jane Roe, certifying the document (later changes allowed: form "
            "filling and signing), 2024-03-01 12:00 UTC (the time the signer's computer stated), reason \"I am the "
            "author of this amendment\", location \"New York\"; the signed bytes are unchanged (the document was not "
            "changed after signing); certificate not checked]\n" +
                std::string(kSellerEmpty));
}

TEST(PdfSignatures, ATimestampTokensTimeIsGivenBesideTheSignersClock) {
  EXPECT_EQ(pageNotes("signed_timestamped.pdf", 2),
            "[signature p.2, Buyer signature: signed by Jane Roe, 2024-03-05 14:31 UTC (the time a timestamp token "
            "states; the token not checked; the signer's computer stated 2024-03-05 14:30 UTC), reason \"I approve this "
            "amendment\", location \"New York\"; the signed bytes are unchanged (the document was not changed after "
            "signing); certificate not checked]\n" +
                std::string(kSellerEmpty));
}

// A widget left out of every page's /Annots is found through the AcroForm's /Fields: on the page its /P
// names, else after the last page as standing on none; once each.
TEST(PdfSignatures, SignatureWidgetsInNoPagesAnnotsAreFoundThroughTheFormFields) {
  EXPECT_EQ(pageNotes("signed_orphans.pdf", 1), "");
  EXPECT_EQ(pageNotes("signed_orphans.pdf", 2),
            std::string(kJane) +
                "the signed bytes are unchanged; the document was changed after this signature (it covers bytes "
                "0\xE2\x80\x93" "6,322 of 10,920); certificate not checked]\n"
                "[signature on no page, Seller signature: signed by John Smith, 2024-03-06 09:15 UTC (the time the "
                "signer's computer stated), reason \"Agreed\", location \"London\"; the signed bytes are unchanged (the "
                "document was not changed after signing); certificate not checked]\n");
}

// A document timestamp (ETSI.RFC3161): what it covers, whether those bytes still match its token's message
// imprint, and the time the token states.
TEST(PdfSignatures, ADocumentTimestampIsCheckedAgainstItsMessageImprint) {
  const std::string notes = pageNotes("signed_doc_timestamp.pdf", 2);
  EXPECT_NE(notes.find("[signature p.2, DocTimeStamp: document timestamp by Folio Test TSA, 2024-03-07 10:00 UTC (the "
                       "time the token states); the timestamped bytes match the token's message imprint; it covers the "
                       "whole document; certificate not checked]\n"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find(kJane), std::string::npos) << notes;
  const std::string tampered = pageNotes("signed_doc_timestamp_tampered.pdf", 2);
  EXPECT_NE(tampered.find("DocTimeStamp: document timestamp by Folio Test TSA, 2024-03-07 10:00 UTC (the time the token "
                          "states); the timestamped bytes do not match the token's message imprint; it covers the whole "
                          "document; certificate not checked]"),
            std::string::npos)
      << tampered;
  EXPECT_NE(tampered.find("the signed bytes do not match the signature"), std::string::npos) << tampered;
}

TEST(PdfSignatures, AFileOfThousandsOfSignaturesIsNotHashedThousandsOfTimes) {
  // 102 signed fields sharing one signature dictionary (its /Contents not a CMS, its byte range not
  // around it): 100 are checked.
  std::vector<std::string> annots{"<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> >>"};
  for (int i = 0; i < 102; ++i)
    annots.push_back("<< /Type /Annot /Subtype /Widget /FT /Sig /T (s" + std::to_string(i) + ") /V " +
                     std::to_string(folio::test::annotObject(0)) + " 0 R /Rect [0 0 9 9] >>");
  auto r = extractBytes(folio::test::writeAnnotatedPdf({"Signature page."}, annots), SourceType{SourceKind::Pdf, ""},
                        "many.pdf");
  ASSERT_TRUE(r.ok()) << r.error().message;
  size_t checked = 0, unchecked = 0;
  for (size_t at = r->text.find("[signature p.1, s"); at != std::string::npos; at = r->text.find("[signature p.1, s", at + 1)) {
    const std::string line = r->text.substr(at, r->text.find('\n', at) - at);
    checked += line.find("not checked: its /Contents is not a CMS (PKCS #7) signature") != std::string::npos;
    unchecked += line.find("the file holds over 100 signatures; the others are not checked") != std::string::npos;
  }
  EXPECT_EQ(checked, 100u);
  EXPECT_EQ(unchecked, 2u);
}

TEST(PdfSignatures, SignaturesAreFoundBySearchAndCitedOnTheirPage) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "docs");
  for (const char* f : {"signed_twice.pdf", "signed_unsigned.pdf"}) fs::copy_file(kPdfDir / f, dir.path() / "docs" / f);
  auto folder = test::ingestFolderInto(dir.path() / "lib.sqlite", dir.path() / "docs");
  ASSERT_TRUE(folder.lib);
  auto signer = search(folder.lib->db(), "signed by John Smith");
  ASSERT_TRUE(signer);
  ASSERT_FALSE(signer->hits.empty());
  EXPECT_EQ(signer->hits.front().rel_path, "signed_twice.pdf");
  EXPECT_EQ(signer->hits.front().page_last, 2);
  auto unsigned_fields = search(folder.lib->db(), "\"Seller signature: not signed\"");
  ASSERT_TRUE(unsigned_fields);
  ASSERT_EQ(unsigned_fields->hits.size(), 1u);
  EXPECT_EQ(unsigned_fields->hits.front().rel_path, "signed_unsigned.pdf");
}

}  // namespace
}  // namespace folio::ingest
