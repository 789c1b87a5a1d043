#include "ingest/pdf_markup_signature.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

namespace folio::ingest {
namespace {

constexpr size_t kMaxSignatureBytes = 1 << 20;  // a CMS signature with its certificates is a few KiB

struct FreeCms { void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); } };
struct FreeCerts { void operator()(STACK_OF(X509)* p) const { sk_X509_pop_free(p, X509_free); } };
struct FreePkcs7 { void operator()(PKCS7* p) const { PKCS7_free(p); } };
struct FreeTstInfo { void operator()(TS_TST_INFO* p) const { TS_TST_INFO_free(p); } };
struct FreeMdCtx { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };

std::string utcText(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min);
  return out;
}

std::string commonName(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0) return {};
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

// The bytes of the hex string "<…>" that fills the gap between the signed ranges; empty when it is not one.
std::string hexString(std::string_view gap) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0'; };
  while (!gap.empty() && space(gap.front())) gap.remove_prefix(1);
  while (!gap.empty() && space(gap.back())) gap.remove_suffix(1);
  if (gap.size() < 2 || gap.front() != '<' || gap.back() != '>') return {};
  std::string out;
  out.reserve(gap.size() / 2);
  int high = -1;
  for (char c : gap.substr(1, gap.size() - 2)) {
    if (space(c)) continue;
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return {};
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) out.push_back(static_cast<char>(high << 4));  // an odd last digit is followed by 0
  return out;
}

// The digest of `parts` with `md`; empty when the digest cannot be made.
std::string digestOf(const EVP_MD* md, std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, FreeMdCtx> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return {};
  for (std::string_view p : parts)
    if (EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &n) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), n);
}

std::string_view octets(const ASN1_STRING* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                               static_cast<size_t>(ASN1_STRING_length(s)));
}

// The value of the signer's signed (or unsigned) attribute `nid`, when it has one of type `type`.
const ASN1_TYPE* attribute(CMS_SignerInfo* si, int nid, bool is_signed, int type) {
  const int at = is_signed ? CMS_signed_get_attr_by_NID(si, nid, -1) : CMS_unsigned_get_attr_by_NID(si, nid, -1);
  if (at < 0) return nullptr;
  X509_ATTRIBUTE* attr = is_signed ? CMS_signed_get_attr(si, at) : CMS_unsigned_get_attr(si, at);
  const ASN1_TYPE* value = attr == nullptr ? nullptr : X509_ATTRIBUTE_get0_type(attr, 0);
  return value != nullptr && value->type == type ? value : nullptr;
}

// The time an RFC 3161 timestamp token (unsigned attribute) states; its own signature is not checked.
std::string timestampTime(CMS_SignerInfo* si) {
  const ASN1_TYPE* token = attribute(si, NID_id_smime_aa_timeStampToken, false, V_ASN1_SEQUENCE);
  if (token == nullptr) return {};
  const unsigned char* p = token->value.sequence->data;
  std::unique_ptr<PKCS7, FreePkcs7> pkcs7(d2i_PKCS7(nullptr, &p, token->value.sequence->length));
  if (!pkcs7) return {};
  std::unique_ptr<TS_TST_INFO, FreeTstInfo> info(PKCS7_to_TS_TST_INFO(pkcs7.get()));
  return info ? utcText(TS_TST_INFO_get_time(info.get())) : std::string();
}

class Check {
 public:
  Check(std::string_view file, const std::vector<int64_t>& range, PdfSignature& sig) : file_(file), sig_(sig) {
    sig_.file_size = static_cast<int64_t>(file.size());
    sig_.integrity = PdfSignatureIntegrity::Unchecked;
    const int64_t size = sig_.file_size;
    if (range.size() != 4) {
      range_problem_ = "its /ByteRange is not two ranges of the file";
    } else if (range[0] != 0) {
      range_problem_ = "its /ByteRange does not start at the file's first byte";
    } else if (range[1] < 0 || range[2] < range[1] || range[2] > size || range[3] < 0 || range[3] > size - range[2]) {
      range_problem_ = "its /ByteRange does not lie within the file";
    } else {
      first_ = file.substr(0, static_cast<size_t>(range[1]));
      second_ = file.substr(static_cast<size_t>(range[2]), static_cast<size_t>(range[3]));
      gap_ = file.substr(static_cast<size_t>(range[1]), static_cast<size_t>(range[2] - range[1]));
      sig_.covered_end = range[2] + range[3];
      ok_ = true;
    }
  }

  // Who signed and when are read even where the byte range cannot be checked (a file rewritten after
  // signing), from the parsed /Contents.
  void run(std::string_view sub_filter, std::string_view parsed_contents) {
    if (sub_filter == "adbe.x509.rsa_sha1") return fail("its kind (adbe.x509.rsa_sha1, a bare RSA signature) is not checked");
    if (gap_.size() > 2 * kMaxSignatureBytes + 64) return fail("its /Contents is over 1 MiB");
    std::string der = ok_ ? hexString(gap_) : std::string();
    if (der.empty()) {
      sig_.frames_contents = !ok_;  // the range lies in the file, but not around the signature
      if (parsed_contents.empty() || parsed_contents.size() > kMaxSignatureBytes)
        return fail("the bytes between its signed ranges are not its /Contents string");
      der = std::string(parsed_contents);
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<CMS_ContentInfo, FreeCms> cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed)
      return fail("its /Contents is not a CMS (PKCS #7) signature");
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
    if (signers == nullptr || sk_CMS_SignerInfo_num(signers) < 1) return fail("its CMS names no signer");
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    const ASN1_TYPE* time = attribute(si, NID_pkcs9_signingTime, true, V_ASN1_UTCTIME);
    if (time == nullptr) time = attribute(si, NID_pkcs9_signingTime, true, V_ASN1_GENERALIZEDTIME);
    if (time != nullptr) sig_.signing_time = utcText(time->value.utctime);
    sig_.timestamp_time = timestampTime(si);
    std::unique_ptr<STACK_OF(X509), FreeCerts> certs(CMS_get1_certs(cms.get()));
    X509* cert = nullptr;
    for (int i = 0; certs && i < sk_X509_num(certs.get()) && cert == nullptr; ++i)
      if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs.get(), i)) == 0) cert = sk_X509_value(certs.get(), i);
    if (cert == nullptr) return fail("it does not carry its signer's certificate");
    sig_.signer = commonName(cert);
    if (!ok_) return fail({});
    verify(cms.get(), si, cert);
  }

 private:
  // Not checked: why (a /ByteRange that cannot be checked is the reason, whatever else is wrong).
  void fail(std::string problem) {
    sig_.integrity = PdfSignatureIntegrity::Unchecked;
    sig_.problem = ok_ ? std::move(problem) : range_problem_;
    ERR_clear_error();
  }

  void verify(CMS_ContentInfo* cms, CMS_SignerInfo* si, X509* cert) {
    X509_ALGOR* digest_alg = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, nullptr);
    const EVP_MD* md = digest_alg == nullptr ? nullptr : EVP_get_digestbyobj(digest_alg->algorithm);
    if (md == nullptr) return fail("its digest algorithm is not known");
    const int content_type = OBJ_obj2nid(CMS_get0_eContentType(cms));
    if (content_type == NID_id_smime_ct_TSTInfo) return verifyTimestamp(cms, si, md, cert);
    if (content_type != NID_pkcs7_data) return fail("its signed content is not data");
    // Detached (adbe.pkcs7.detached, ETSI.CAdES.detached): the signed content is the byte ranges. Embedded
    // (adbe.pkcs7.sha1): the content is the ranges' SHA-1 digest, and the content is what is signed.
    std::string embedded;
    if (ASN1_OCTET_STRING** content = CMS_get0_content(cms); content != nullptr && *content != nullptr) {
      embedded = std::string(octets(*content));
      if (embedded != digestOf(EVP_sha1(), {first_, second_})) return done(PdfSignatureIntegrity::DigestMismatch);
    }
    const bool detached = embedded.empty();
    if (CMS_signed_get_attr_count(si) <= 0) {  // no signed attributes: the signature is over the content itself
      std::unique_ptr<EVP_MD_CTX, FreeMdCtx> ctx(EVP_MD_CTX_new());
      const std::string_view signature = octets(CMS_SignerInfo_get0_signature(si));
      const bool good = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, X509_get0_pubkey(cert)) == 1 &&
                        (detached ? EVP_DigestVerifyUpdate(ctx.get(), first_.data(), first_.size()) == 1 &&
                                        EVP_DigestVerifyUpdate(ctx.get(), second_.data(), second_.size()) == 1
                                  : EVP_DigestVerifyUpdate(ctx.get(), embedded.data(), embedded.size()) == 1) &&
                        EVP_DigestVerifyFinal(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                              signature.size()) == 1;
      return done(good ? PdfSignatureIntegrity::Intact : PdfSignatureIntegrity::DigestMismatch);
    }
    const ASN1_TYPE* stated = attribute(si, NID_pkcs9_messageDigest, true, V_ASN1_OCTET_STRING);
    if (stated == nullptr) return fail("its signed attributes hold no message digest");
    const std::string digest = detached ? digestOf(md, {first_, second_}) : digestOf(md, {embedded});
    if (digest.empty()) return fail("its digest could not be computed");
    if (digest != octets(stated->value.octet_string)) return done(PdfSignatureIntegrity::DigestMismatch);
    CMS_SignerInfo_set1_signer_cert(si, cert);
    done(CMS_SignerInfo_verify(si) == 1 ? PdfSignatureIntegrity::Intact : PdfSignatureIntegrity::SignatureInvalid);
  }

  // A document timestamp: an RFC 3161 token whose TSTInfo's message imprint is the digest of the byte
  // ranges; the token's own signature (by the timestamp authority) is over its signed attributes, whose
  // message digest is the TSTInfo's.
  void verifyTimestamp(CMS_ContentInfo* cms, CMS_SignerInfo* si, const EVP_MD* md, X509* cert) {
    ASN1_OCTET_STRING** content = CMS_get0_content(cms);
    const std::string_view tst = content == nullptr ? std::string_view() : octets(*content);
    const auto* p = reinterpret_cast<const unsigned char*>(tst.data());
    std::unique_ptr<TS_TST_INFO, FreeTstInfo> info(d2i_TS_TST_INFO(nullptr, &p, static_cast<long>(tst.size())));
    if (!info) return fail("its timestamp token holds no readable TSTInfo");
    sig_.timestamp_time = utcText(TS_TST_INFO_get_time(info.get()));
    TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
    const X509_ALGOR* algo = imprint == nullptr ? nullptr : TS_MSG_IMPRINT_get_algo(imprint);
    const EVP_MD* imprint_md = algo == nullptr ? nullptr : EVP_get_digestbyobj(algo->algorithm);
    if (imprint_md == nullptr) return fail("its message imprint's digest algorithm is not known");
    const std::string digest = digestOf(imprint_md, {first_, second_});
    if (digest.empty()) return fail("its digest could not be computed");
    if (digest != octets(TS_MSG_IMPRINT_get_msg(imprint))) return done(PdfSignatureIntegrity::DigestMismatch);
    const ASN1_TYPE* stated = attribute(si, NID_pkcs9_messageDigest, true, V_ASN1_OCTET_STRING);
    if (stated == nullptr) return fail("its token's signed attributes hold no message digest");
    if (digestOf(md, {tst}) != octets(stated->value.octet_string)) return done(PdfSignatureIntegrity::SignatureInvalid);
    CMS_SignerInfo_set1_signer_cert(si, cert);
    done(CMS_SignerInfo_verify(si) == 1 ? PdfSignatureIntegrity::Intact : PdfSignatureIntegrity::SignatureInvalid);
  }

  void done(PdfSignatureIntegrity integrity) {
    sig_.integrity = integrity;
    ERR_clear_error();
  }

  std::string_view file_, first_, second_, gap_;
  std::string range_problem_;  // why the /ByteRange cannot be checked
  PdfSignature& sig_;
  bool ok_ = false;
};

}  // namespace

void checkPdfSignature(std::string_view file, const std::vector<int64_t>& byte_range, std::string_view sub_filter,
                       std::string_view parsed_contents, PdfSignature& sig) {
  sig.document_timestamp = sig.document_timestamp || sub_filter == "ETSI.RFC3161";
  Check check(file, byte_range, sig);
  check.run(sub_filter, parsed_contents);
}

}  // namespace folio::ingest
