#include "ingest/pdf_markup_reader.h"

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <UTF.h>
#include <goo/gmem.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/common/check.h"
#include "engine/tokenizer/utf8.h"
#include "ingest/html_text.h"
#include "ingest/pdf_markup_signature.h"

namespace folio::ingest {
namespace {

constexpr int kMaxAnnotations = 100000;  // per page; a 10,000-comment page reads in well under a second
constexpr int kMaxQuads = 1000;          // per annotation
constexpr int kMaxFieldDepth = 32;       // /Parent links followed up from a widget
constexpr size_t kMaxStringBytes = 128 << 10;  // of a string read (UTF-16: 64 Ki characters)
constexpr int kMaxChoices = 1000;        // selected items and options of a choice field
constexpr int kMaxReferences = 8;        // a signature's /Reference entries looked at for DocMDP
constexpr int kMaxByteRange = 16;        // numbers of a /ByteRange read (a valid one has 4)
// Signatures checked in one file: each check hashes up to the whole file, so a file of thousands of
// signature fields must not hash it thousands of times. Real contracts carry a handful.
constexpr int kMaxSignatureChecks = 100;
constexpr int kMaxFormNodes = 100000;  // fields and widgets walked in the AcroForm's /Fields tree

// A PDF text string (UTF-16BE with its BOM, UTF-8 with its BOM, else PDFDocEncoding) as UTF-8, read
// from its first kMaxStringBytes bytes.
std::string textString(std::string raw) {
  if (raw.size() > kMaxStringBytes) raw.resize(kMaxStringBytes);
  if (raw.size() >= 3 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0) return raw.substr(3);  // PDF 2.0
  Unicode* ucs4 = nullptr;
  const int n = TextStringToUCS4(raw, &ucs4);
  std::string out;
  out.reserve(static_cast<size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i)
    if (ucs4[i] != 0)  // a lone surrogate or an out-of-range value (UTF-16 gone wrong) as U+FFFD
      engine::utf8::appendCodePoint(out, (ucs4[i] >= 0xD800 && ucs4[i] <= 0xDFFF) || ucs4[i] > 0x10FFFF ? 0xFFFD : ucs4[i]);
  gfree(ucs4);
  return out;
}

std::string textOf(const Object& o) { return o.isString() ? textString(o.getString()->toStr()) : std::string(); }

// A text string or stream's first kMaxStringBytes bytes (/RC may be either).
std::string stringOrStream(Object o) {
  if (o.isString()) return o.getString()->toStr().substr(0, kMaxStringBytes);
  if (!o.isStream()) return {};
  std::string out(kMaxStringBytes, '\0');
  o.streamReset();
  const int n = o.streamGetChars(static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

int refNum(const Object& o) { return o.isRef() ? o.getRefNum() : -1; }

// Page space to the text layer's space (the words' boxes): ctm = [a b c d e f].
struct Transform {
  double m[6];
  PdfBox box(double x0, double y0, double x1, double y1) const {
    const double xs[4] = {x0, x1, x0, x1}, ys[4] = {y0, y0, y1, y1};
    PdfBox b{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < 4; ++i) {
      const double x = m[0] * xs[i] + m[2] * ys[i] + m[4], y = m[1] * xs[i] + m[3] * ys[i] + m[5];
      b.x0 = std::min(b.x0, x), b.y0 = std::min(b.y0, y), b.x1 = std::max(b.x1, x), b.y1 = std::max(b.y1, y);
    }
    return b;
  }
};

bool numbers(const Object& array, int from, int count, double* out) {
  for (int i = 0; i < count; ++i) {
    const Object v = array.arrayGet(from + i);
    if (!v.isNum() || !std::isfinite(v.getNum())) return false;
    out[i] = v.getNum();
  }
  return true;
}

bool rectOf(const Object& dict, const Transform& t, PdfBox& out) {
  const Object r = dict.dictLookup("Rect");
  double v[4];
  if (!r.isArray() || r.arrayGetLength() != 4 || !numbers(r, 0, 4, v)) return false;
  out = t.box(v[0], v[1], v[2], v[3]);
  return true;
}

std::vector<PdfBox> quadsOf(const Object& dict, const Transform& t) {
  std::vector<PdfBox> out;
  const Object q = dict.dictLookup("QuadPoints");
  if (!q.isArray()) return out;
  const int n = std::min(q.arrayGetLength() / 8, kMaxQuads);
  for (int i = 0; i < n; ++i) {
    double v[8];
    if (!numbers(q, i * 8, 8, v)) continue;
    PdfBox b{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int k = 0; k < 4; ++k) {  // the quad's bounding box, whatever order its corners are in
      const PdfBox p = t.box(v[2 * k], v[2 * k + 1], v[2 * k], v[2 * k + 1]);
      b.x0 = std::min(b.x0, p.x0), b.y0 = std::min(b.y0, p.y0), b.x1 = std::max(b.x1, p.x1), b.y1 = std::max(b.y1, p.y1);
    }
    out.push_back(b);
  }
  return out;
}

// Which annotations are comments, and how their text relates to the page; nullopt: not a comment
// (a Popup shows its parent's text; Links, Widgets and media are not remarks).
std::optional<PdfCommentKind> commentKind(const char* subtype) {
  static constexpr const char* kNotComments[] = {"Popup",      "Link",    "Widget", "Movie", "Screen", "PrinterMark",
                                                 "TrapNet",    "Watermark", "3D",   "RichMedia", "Projection"};
  for (const char* s : kNotComments)
    if (std::strcmp(subtype, s) == 0) return std::nullopt;
  if (std::strcmp(subtype, "FreeText") == 0) return PdfCommentKind::TextBox;
  if (std::strcmp(subtype, "Highlight") == 0) return PdfCommentKind::Highlight;
  if (std::strcmp(subtype, "Underline") == 0 || std::strcmp(subtype, "Squiggly") == 0) return PdfCommentKind::Underline;
  if (std::strcmp(subtype, "StrikeOut") == 0) return PdfCommentKind::StrikeOut;
  if (std::strcmp(subtype, "Redact") == 0) return PdfCommentKind::Redact;
  return PdfCommentKind::Note;
}

PdfComment readComment(const Object& a, int ref, PdfCommentKind kind, const Transform& t) {
  PdfComment c;
  c.ref = ref;
  c.kind = kind;
  c.in_reply_to = refNum(a.dictLookupNF("IRT"));
  c.author = textOf(a.dictLookup("T"));
  c.date = textOf(a.dictLookup("CreationDate"));
  if (c.date.empty()) c.date = textOf(a.dictLookup("M"));
  c.text = textOf(a.dictLookup("Contents"));
  if (c.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    // Rich text only: its XHTML as plain text.
    if (const std::string rc = stringOrStream(a.dictLookup("RC")); !rc.empty()) c.text = htmlToText(textString(rc)).text;
  }
  rectOf(a, t, c.rect);
  if (kind != PdfCommentKind::Note && kind != PdfCommentKind::TextBox) c.quads = quadsOf(a, t);
  return c;
}

// A widget and the fields above it (/Parent links, loops and depth cut off), nearest first.
struct FieldChain {
  std::vector<Object> dicts;
  std::vector<int> refs;

  const Object* inherited(const char* key, Object& holder) const {
    for (const Object& d : dicts) {
      holder = d.dictLookup(key);
      if (!holder.isNull()) return &holder;
    }
    return nullptr;
  }
};

FieldChain chainOf(const Object& widget, int ref) {
  FieldChain chain;
  chain.dicts.push_back(widget.copy());
  chain.refs.push_back(ref);
  std::unordered_set<int> seen{ref};
  while (static_cast<int>(chain.dicts.size()) < kMaxFieldDepth) {
    const Object& link = chain.dicts.back().dictLookupNF("Parent");
    const int num = refNum(link);
    if (num >= 0 && !seen.insert(num).second) break;  // a loop
    Object parent = chain.dicts.back().dictLookup("Parent");
    if (!parent.isDict()) break;
    chain.dicts.push_back(std::move(parent));
    chain.refs.push_back(num);
  }
  return chain;
}

// The display text of a choice's export value (/Opt pairs [export display]).
std::string choiceText(const Object& value, const Object* opt) {
  if (!value.isString()) return {};
  if (opt != nullptr && opt->isArray()) {
    const int n = std::min(opt->arrayGetLength(), kMaxChoices);
    for (int i = 0; i < n; ++i) {
      const Object pair = opt->arrayGet(i);
      if (!pair.isArray() || pair.arrayGetLength() != 2) continue;
      const Object ex = pair.arrayGet(0), shown = pair.arrayGet(1);
      if (ex.isString() && shown.isString() && ex.getString()->toStr() == value.getString()->toStr()) return textOf(shown);
    }
  }
  return textOf(value);
}

// The widget's on-state: its normal appearance's state other than /Off.
std::string onState(const Object& widget) {
  const Object ap = widget.dictLookup("AP");
  if (!ap.isDict()) return {};
  const Object n = ap.dictLookup("N");
  if (!n.isDict()) return {};
  const int count = std::min(n.dictGetLength(), 8);
  for (int i = 0; i < count; ++i)
    if (std::strcmp(n.dictGetKey(i), "Off") != 0) return n.dictGetKey(i);
  return {};
}

// The terminal field's object number (the nearest named dict) and the name a person sees: /TU, else
// the full dotted /T name.
std::pair<int, std::string> fieldRefAndName(const FieldChain& chain) {
  int ref = -1;
  std::string full_name;
  for (size_t i = chain.dicts.size(); i-- > 0;) {
    const std::string part = textOf(chain.dicts[i].dictLookup("T"));
    if (part.empty()) continue;
    full_name += full_name.empty() ? part : "." + part;
  }
  for (size_t i = 0; i < chain.dicts.size(); ++i) {
    if (chain.dicts[i].dictLookup("T").isString()) {
      ref = chain.refs[i];
      break;
    }
  }
  for (const Object& d : chain.dicts)
    if (std::string tu = textOf(d.dictLookup("TU")); !tu.empty()) return {ref, std::move(tu)};
  return {ref, std::move(full_name)};
}

bool isSignatureField(const FieldChain& chain) {
  Object holder;
  const Object* ft = chain.inherited("FT", holder);
  return ft != nullptr && ft->isName("Sig");
}

// A certification signature's DocMDP permission (/Reference's TransformParams /P, 2 when absent); 0 for
// an approval signature.
int docMdpPermission(const Object& sig) {
  const Object refs = sig.dictLookup("Reference");
  if (!refs.isArray()) return 0;
  const int n = std::min(refs.arrayGetLength(), kMaxReferences);
  for (int i = 0; i < n; ++i) {
    const Object r = refs.arrayGet(i);
    if (!r.isDict() || !r.dictLookup("TransformMethod").isName("DocMDP")) continue;
    const Object params = r.dictLookup("TransformParams");
    const Object p = params.isDict() ? params.dictLookup("P") : Object(objNull);
    return p.isInt() && p.getInt() >= 1 && p.getInt() <= 3 ? p.getInt() : 2;
  }
  return 0;
}

// A signature field: empty, or signed with its signature dictionary's entries and what checking its
// bytes in `file` found (when `checks_left` allows one more).
PdfSignature readSignature(const FieldChain& chain, std::string_view file, int& checks_left) {
  PdfSignature s;
  std::tie(s.ref, s.name) = fieldRefAndName(chain);
  Object v_holder;
  const Object* v = chain.inherited("V", v_holder);
  if (v == nullptr || v->isNull()) return s;
  s.is_signed = true;
  s.file_size = static_cast<int64_t>(file.size());
  if (!v->isDict()) {
    s.problem = "its value is not a signature dictionary";
    return s;
  }
  s.stated_name = textOf(v->dictLookup("Name"));
  s.stated_date = textOf(v->dictLookup("M"));
  s.reason = textOf(v->dictLookup("Reason"));
  s.location = textOf(v->dictLookup("Location"));
  s.certification = docMdpPermission(*v);
  std::vector<int64_t> range;
  const Object br = v->dictLookup("ByteRange");
  for (int i = 0; br.isArray() && i < std::min(br.arrayGetLength(), kMaxByteRange); ++i) {
    const Object n = br.arrayGet(i);
    range.push_back(n.isIntOrInt64() ? n.getIntOrInt64() : -1);
  }
  if (checks_left <= 0) {
    s.problem = "the file holds over " + std::to_string(kMaxSignatureChecks) + " signatures; the others are not checked";
    return s;
  }
  --checks_left;
  const Object sub_filter = v->dictLookup("SubFilter");
  const Object contents = v->dictLookup("Contents");
  const std::string parsed = contents.isString() && contents.getString()->getLength() <= (1 << 20) ? contents.getString()->toStr() : "";
  checkPdfSignature(file, range, sub_filter.isName() ? sub_filter.getName() : "", parsed, s);
  return s;
}

std::optional<PdfField> readField(const FieldChain& chain, const Object& widget, const Transform& t) {
  Object ft_holder, ff_holder, v_holder, opt_holder;
  const Object* ft = chain.inherited("FT", ft_holder);
  const Object* v = chain.inherited("V", v_holder);
  if (ft == nullptr || !ft->isName() || v == nullptr) return std::nullopt;  // not a field, or no value
  const Object* ff_obj = chain.inherited("Ff", ff_holder);
  const int ff = ff_obj != nullptr && ff_obj->isInt() ? ff_obj->getInt() : 0;
  PdfField f;
  std::tie(f.ref, f.name) = fieldRefAndName(chain);
  rectOf(widget, t, f.rect);
  if (ft->isName("Tx")) {
    f.kind = PdfFieldKind::Text;
    f.value = textOf(*v);
  } else if (ft->isName("Ch")) {
    const Object* opt = chain.inherited("Opt", opt_holder);
    f.kind = (ff & (1 << 17)) != 0 ? PdfFieldKind::Choice : PdfFieldKind::List;
    if (v->isArray()) {
      const int n = std::min(v->arrayGetLength(), kMaxChoices);
      for (int i = 0; i < n; ++i) {
        const std::string item = choiceText(v->arrayGet(i), opt);
        if (!item.empty()) f.value += f.value.empty() ? item : "; " + item;
      }
    } else {
      f.value = choiceText(*v, opt);
    }
  } else if (ft->isName("Btn")) {
    if ((ff & (1 << 16)) != 0 || !v->isName()) return std::nullopt;  // a push button has no value
    const std::string state = v->getName();
    const Object* kids = nullptr;
    Object kids_holder;
    for (size_t i = 0; i < chain.dicts.size() && kids == nullptr; ++i)
      if (chain.refs[i] == f.ref) kids = &(kids_holder = chain.dicts[i].dictLookup("Kids"));
    const bool group = (ff & (1 << 15)) != 0 || (kids != nullptr && kids->isArray() && kids->arrayGetLength() > 1);
    if (group) {  // radio buttons (or check boxes acting as them): the chosen option's name
      if (state == "Off") return std::nullopt;
      f.kind = PdfFieldKind::Options;
      f.value = state;
    } else {
      const std::string on = onState(widget);
      f.kind = PdfFieldKind::CheckBox;
      f.checked = state != "Off" && (on.empty() || state == on);
    }
  } else {
    return std::nullopt;  // an unknown type
  }
  return f;
}

void readWords(PDFDoc& doc, int page_number, std::vector<PdfWord>& out) {
  // As poppler-cpp's page::text() lays the page out (annotations drawn), so the words are the text's.
  TextOutputDev dev(nullptr, false, 0, false, false);
  if (!dev.isOk()) return;
  doc.displayPage(&dev, page_number, 72, 72, 0, false, true, false);
  const std::unique_ptr<TextWordList> list = dev.makeWordList();
  if (!list) return;
  for (int i = 0; i < list->getLength(); ++i) {
    const TextWord* w = list->get(i);
    PdfWord word;
    w->getBBox(&word.box.x0, &word.box.y0, &word.box.x1, &word.box.y1);
    const std::unique_ptr<GooString> text(w->getText());
    if (text) word.text = text->toStr();
    out.push_back(std::move(word));
  }
}

// A signature field's widget that no page's /Annots lists (some producers leave it out): reachable only
// through the AcroForm's /Fields tree.
struct UnlistedWidget {
  Object widget;
  int ref = -1;
};

// The signature widgets that are in no page's /Annots, by the page their /P names (0-based), and those
// that name none (key -1); a field one of whose widgets a page lists is not among them, nor is a field
// twice.
std::unordered_map<int, std::vector<UnlistedWidget>> unlistedSignatureWidgets(PDFDoc& doc) {
  std::unordered_map<int, std::vector<UnlistedWidget>> out;
  const Object acroform = doc.getCatalog()->getAcroForm()->copy();
  const Object fields = acroform.isDict() ? acroform.dictLookup("Fields") : Object(objNull);
  if (!fields.isArray()) return out;
  // The tree's terminal nodes (a widget, or a field merged with its widget), depth first, loops cut.
  std::vector<std::pair<Object, int>> widgets;
  std::vector<std::pair<Object, int>> stack;  // (kids array, depth)
  std::unordered_set<int> seen;
  stack.emplace_back(fields.copy(), 0);
  int nodes = 0;
  while (!stack.empty() && nodes < kMaxFormNodes) {
    auto [kids, depth] = std::move(stack.back());
    stack.pop_back();
    const int n = std::min(kids.arrayGetLength(), kMaxFormNodes - nodes);
    for (int i = n; i-- > 0;) {  // reversed onto the stack: walked in order
      ++nodes;
      const int ref = refNum(kids.arrayGetNF(i));
      if (ref >= 0 && !seen.insert(ref).second) continue;
      Object node = kids.arrayGet(i);
      if (!node.isDict()) continue;
      Object below = node.dictLookup("Kids");
      if (below.isArray() && depth + 1 < kMaxFieldDepth) stack.emplace_back(std::move(below), depth + 1);
      else if (!below.isArray()) widgets.emplace_back(std::move(node), ref);
    }
  }
  std::reverse(widgets.begin(), widgets.end());  // the stack walked them last first
  std::vector<std::pair<FieldChain, int>> signatures;  // (chain, field ref)
  for (auto& [widget, ref] : widgets) {
    FieldChain chain = chainOf(widget, ref);
    if (!isSignatureField(chain)) continue;
    const int field = fieldRefAndName(chain).first;
    signatures.emplace_back(std::move(chain), field);
  }
  if (signatures.empty()) return out;
  // The widgets the pages list, and the fields they belong to.
  std::unordered_set<int> listed, listed_fields;
  for (int p = 1; p <= doc.getNumPages(); ++p) {
    Page* page = doc.getPage(p);
    const Object annots = page == nullptr ? Object(objNull) : page->getAnnotsObject();
    const int n = annots.isArray() ? std::min(annots.arrayGetLength(), kMaxAnnotations) : 0;
    for (int i = 0; i < n; ++i) {
      const int ref = refNum(annots.arrayGetNF(i));
      if (ref >= 0) {
        listed.insert(ref);
        continue;
      }
      const Object a = annots.arrayGet(i);  // a widget written into /Annots itself: its field by /Parent
      if (a.isDict() && a.dictLookup("Subtype").isName("Widget")) listed_fields.insert(fieldRefAndName(chainOf(a, -1)).first);
    }
  }
  for (const auto& [chain, field] : signatures)
    if (chain.refs.front() >= 0 && listed.count(chain.refs.front()) && field >= 0) listed_fields.insert(field);
  std::unordered_set<int> placed;
  for (auto& [chain, field] : signatures) {
    const int ref = chain.refs.front();
    if ((ref >= 0 && listed.count(ref)) || (field >= 0 && listed_fields.count(field))) continue;
    if (field >= 0 && !placed.insert(field).second) continue;  // a field's second unlisted widget
    const Object p = chain.dicts.front().dictLookupNF("P").copy();
    const int page = p.isRef() ? doc.getCatalog()->findPage(p.getRef()) : 0;  // 1-based; 0: none
    out[page - 1].push_back({chain.dicts.front().copy(), ref});
  }
  return out;
}

}  // namespace

struct PdfMarkupReader::Impl {
  std::string_view bytes;  // the whole file: signatures are checked over its bytes
  int signature_checks_left = kMaxSignatureChecks;
  std::unique_ptr<PDFDoc> doc;
  std::optional<std::unordered_map<int, std::vector<UnlistedWidget>>> unlisted;  // found at the first page read

  // The signature fields only the AcroForm reaches whose widget names page `index`, or (key -1) none.
  void addUnlisted(int index, bool on_no_page, std::vector<PdfSignature>& out) {
    const auto at = unlisted->find(index);
    if (at == unlisted->end()) return;
    for (const UnlistedWidget& w : at->second) {
      out.push_back(readSignature(chainOf(w.widget, w.ref), bytes, signature_checks_left));
      out.back().on_no_page = on_no_page;
    }
  }
};

PdfMarkupReader::PdfMarkupReader(std::string_view bytes) : impl_(std::make_unique<Impl>()) {
  FOLIO_CHECK_MSG(globalParams != nullptr, "poppler's globalParams must exist (a live poppler::document)");
  // PDFDoc owns the stream, which borrows the bytes.
  impl_->bytes = bytes;
  impl_->doc = std::make_unique<PDFDoc>(new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull)));
}

PdfMarkupReader::~PdfMarkupReader() = default;

PdfPageMarkup PdfMarkupReader::page(int index) {
  PdfPageMarkup out = listedMarkup(index);
  PDFDoc& doc = *impl_->doc;
  if (!doc.isOk() || index < 0 || index >= doc.getNumPages()) return out;
  // After the page's own: the signature fields whose widget names this page but is in no /Annots, and
  // after the last page's, those naming no page.
  if (!impl_->unlisted) impl_->unlisted = unlistedSignatureWidgets(doc);
  impl_->addUnlisted(index, false, out.signatures);
  if (index + 1 == doc.getNumPages()) impl_->addUnlisted(-1, true, out.signatures);
  return out;
}

PdfPageMarkup PdfMarkupReader::listedMarkup(int index) {
  PdfPageMarkup out;
  PDFDoc& doc = *impl_->doc;
  if (!doc.isOk() || index < 0 || index >= doc.getNumPages()) return out;
  Page* page = doc.getPage(index + 1);
  if (page == nullptr) return out;
  const Object annots = page->getAnnotsObject();
  if (!annots.isArray()) return out;
  Transform t{};
  page->getDefaultCTM(t.m, 72, 72, 0, false, true);
  bool need_words = false;
  std::unordered_set<int> signature_refs;  // a signature field's second widget on the page is not checked again
  const int n = std::min(annots.arrayGetLength(), kMaxAnnotations);
  for (int i = 0; i < n; ++i) {
    const int ref = refNum(annots.arrayGetNF(i));
    const Object a = annots.arrayGet(i);
    if (!a.isDict()) continue;
    const Object subtype = a.dictLookup("Subtype");
    if (!subtype.isName()) continue;
    if (subtype.isName("Widget")) {
      const FieldChain chain = chainOf(a, ref);
      if (isSignatureField(chain)) {
        const int field_ref = fieldRefAndName(chain).first;
        if (field_ref < 0 || signature_refs.insert(field_ref).second)
          out.signatures.push_back(readSignature(chain, impl_->bytes, impl_->signature_checks_left));
      } else if (std::optional<PdfField> f = readField(chain, a, t)) {
        need_words = need_words || f->kind == PdfFieldKind::Text || f->kind == PdfFieldKind::Choice;
        out.fields.push_back(std::move(*f));
      }
    } else if (const std::optional<PdfCommentKind> kind = commentKind(subtype.getName())) {
      out.comments.push_back(readComment(a, ref, *kind, t));
      need_words = need_words || !out.comments.back().quads.empty() || *kind == PdfCommentKind::TextBox;
    }
  }
  if (need_words) readWords(doc, index + 1, out.words);
  return out;
}

}  // namespace folio::ingest
