// fuzz-link: folio_ingest
// formatPdfMarkup and pdfDateText on comments, fields and words made from the bytes: small object
// numbers so /IRT links form loops, chains and self-replies; boxes overlapping the words.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/pdf_markup.h"

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
  (void)formatPdfMarkup(1 + in.byte(), m);
  (void)pdfDateText(in.text());
  return 0;
}
