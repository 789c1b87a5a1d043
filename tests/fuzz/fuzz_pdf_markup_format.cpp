// fuzz-link: folio_ingest
// formatPdfMarkup and pdfDateText on comments, fields, signatures and words made from the bytes: small
// object numbers so /IRT links form loops, chains and self-replies; boxes overlapping the words. Then
// checkPdfSignature on a file made of the rest: a CMS (DER, written as the /Contents hex string) between
// two signed parts, as a signed PDF lays them out. Seed sig_seed: signed.pdf's signature and bytes
// (tools/pdf/make_signed_pdfs.py), which verifies.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/pdf_markup.h"
#include "ingest/pdf_markup_signature.h"

namespace {

struct Bytes {
  std::string_view s;
  uint8_t byte() {
    if (s.empty()) return 0;
    const auto b = static_cast<uint8_t>(s.front());
    s.remove_prefix(1);
    return b;
  }
  std::string text() {  // up to the next NUL
    const size_t end = s.find('\0');
    std::string out(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end + 1);
    return out;
  }
  size_t u16() { return static_cast<size_t>(byte()) << 8 | byte(); }
  std::string_view take(size_t n) {
    const std::string_view out = s.substr(0, n);
    s.remove_prefix(out.size());
    return out;
  }
  folio::ingest::PdfBox box() {
    const double x = byte() * 3, y = byte() * 3;
    return {x, y, x + byte() * 2 - 40, y + byte() - 20};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  Bytes in{std::string_view(reinterpret_cast<const char*>(data), size)};
  PdfPageMarkup m;
  const int comments = in.byte() % 64, words = in.byte() % 64, fields = in.byte() % 16;
  for (int i = 0; i < comments; ++i) {
    PdfComment c;
    c.ref = static_cast<int>(in.byte() % 32) - 1;
    c.in_reply_to = static_cast<int>(in.byte() % 32) - 1;
    c.kind = static_cast<PdfCommentKind>(in.byte() % 6);
    c.author = in.text();
    c.date = in.text();
    c.text = in.text();
    c.rect = in.box();
    for (int q = in.byte() % 4; q > 0; --q) c.quads.push_back(in.box());
    m.comments.push_back(std::move(c));
  }
  for (int i = 0; i < words; ++i) m.words.push_back({in.text(), in.box()});
  for (int i = 0; i < fields; ++i) {
    PdfField f;
    f.ref = static_cast<int>(in.byte() % 8) - 1;
    f.kind = static_cast<PdfFieldKind>(in.byte() % 5);
    f.checked = in.byte() & 1;
    f.name = in.text();
    f.value = in.text();
    f.rect = in.box();
    m.fields.push_back(std::move(f));
  }
  for (int i = in.byte() % 8; i > 0; --i) {
    PdfSignature g;
    g.ref = static_cast<int>(in.byte() % 8) - 1;
    const uint8_t flags = in.byte();  // one byte, so the seeds keep their meaning
    g.is_signed = flags & 1;
    g.document_timestamp = flags & 2;
    g.on_no_page = flags & 4;
    g.certification = in.byte() % 4;
    g.integrity = static_cast<PdfSignatureIntegrity>(in.byte() % 4);
    g.file_size = in.byte() * 1000;
    g.covered_end = in.byte() * 1000;
    for (std::string* text : {&g.name, &g.signer, &g.stated_name, &g.signing_time, &g.stated_date, &g.timestamp_time,
                              &g.reason, &g.location, &g.problem})
      *text = in.text();
    m.signatures.push_back(std::move(g));
  }
  (void)formatPdfMarkup(1 + in.byte(), m);
  const std::string date = in.text();
  (void)pdfDateText(date);
  (void)pdfDateUtcText(date);

  static constexpr std::string_view kSubFilters[] = {"adbe.pkcs7.detached", "ETSI.CAdES.detached", "adbe.pkcs7.sha1",
                                                     "adbe.x509.rsa_sha1"};
  const uint8_t mode = in.byte();
  const std::string_view sub_filter = kSubFilters[mode % 4];
  const bool rewritten = (mode & 4) != 0;  // the gap is not a hex string: the CMS comes as the parsed /Contents
  const std::string_view der = in.take(in.u16());
  const size_t wanted_split = in.u16();  // read before in.s.size(): arguments' order is unspecified
  const size_t split = std::min(wanted_split, in.s.size());
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string file(in.s.substr(0, split));
  file += '<';
  for (unsigned char c : der) file += rewritten ? std::string("x") : std::string{kHex[c >> 4], kHex[c & 15]};
  file += '>';
  const auto gap_end = static_cast<int64_t>(file.size());
  file += in.s.substr(split);
  PdfPageMarkup checked;
  checked.signatures.emplace_back();
  checked.signatures.back().is_signed = true;
  checkPdfSignature(file, {0, static_cast<int64_t>(split), gap_end, static_cast<int64_t>(in.s.size() - split)}, sub_filter,
                    rewritten ? der : std::string_view(), checked.signatures.back());
  (void)formatPdfMarkup(1, checked);
  return 0;
}
