#include "ingest/source_kind.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace folio::ingest {
namespace {

// Space-separated lists: every extension is matched in lower case; a file name is matched exactly.
struct LanguageRule {
  std::string_view language;
  std::string_view extensions;
  std::string_view file_names = {};
};

constexpr std::array kCodeRules{
    LanguageRule{"c", ".c .h"},
    LanguageRule{"cpp", ".cc .cpp .cxx .hpp .hh .hxx .cu .cuh .inl .ipp .tpp"},
    LanguageRule{"csharp", ".cs"},
    LanguageRule{"objc", ".m .mm"},
    LanguageRule{"java", ".java"},
    LanguageRule{"kotlin", ".kt .kts"},
    LanguageRule{"scala", ".scala"},
    LanguageRule{"groovy", ".groovy .gradle"},
    LanguageRule{"swift", ".swift"},
    LanguageRule{"dart", ".dart"},
    LanguageRule{"javascript", ".js .mjs .cjs .jsx"},
    LanguageRule{"typescript", ".ts .tsx .mts .cts"},
    LanguageRule{"go", ".go"},
    LanguageRule{"rust", ".rs"},
    LanguageRule{"python", ".py"},
    LanguageRule{"php", ".php"},
    LanguageRule{"ruby", ".rb .rake .gemspec", "Rakefile Gemfile Guardfile Podfile Vagrantfile"},
    LanguageRule{"lua", ".lua"},
    LanguageRule{"tcl", ".tcl"},
    LanguageRule{"perl", ".pl .pm"},
    LanguageRule{"shell", ".sh .bash .zsh .ksh"},
    LanguageRule{"powershell", ".ps1 .psm1"},
    LanguageRule{"sql", ".sql"},
    LanguageRule{"proto", ".proto"},
    LanguageRule{"css", ".css .scss .less"},
    LanguageRule{"r", ".r"},
    LanguageRule{"julia", ".jl"},
    LanguageRule{"elixir", ".ex .exs"},
    LanguageRule{"haskell", ".hs"},
    LanguageRule{"erlang", ".erl .hrl"},
    LanguageRule{"clojure", ".clj .cljs .cljc"},
    LanguageRule{"cmake", ".cmake", "CMakeLists.txt"},
    LanguageRule{"make", ".mk .mak", "Makefile makefile GNUmakefile"},
    LanguageRule{"dockerfile", ".dockerfile", "Dockerfile Containerfile"},
};

struct ExtensionRule {
  std::string_view ext;
  SourceKind kind;
  std::string_view language;
};

constexpr std::array kDocumentRules{
    ExtensionRule{".pdf", SourceKind::Pdf, ""},
    // Scans, faxes and photographed pages: read by OCR as a PDF of their pages (image_pdf.h).
    ExtensionRule{".tif", SourceKind::Image, ""},          ExtensionRule{".tiff", SourceKind::Image, ""},
    ExtensionRule{".png", SourceKind::Image, ""},          ExtensionRule{".jpg", SourceKind::Image, ""},
    ExtensionRule{".jpeg", SourceKind::Image, ""},
    // Word-processing documents (zip packages of XML, told apart by content when read): Word 2007 and
    // later — documents, macro-enabled documents, templates.
    ExtensionRule{".docx", SourceKind::Word, ""},          ExtensionRule{".docm", SourceKind::Word, ""},
    ExtensionRule{".dotx", SourceKind::Word, ""},          ExtensionRule{".dotm", SourceKind::Word, ""},
    // OpenDocument text (LibreOffice, and the format many public bodies require); its template.
    ExtensionRule{".odt", SourceKind::Word, ""},           ExtensionRule{".ott", SourceKind::Word, ""},
    // Rich Text Format: text, but read (by content) with the word-processing documents.
    ExtensionRule{".rtf", SourceKind::Word, ""},
    // Word 97-2003 documents and templates (OLE compound files, read by content like the rest).
    ExtensionRule{".doc", SourceKind::Word, ""},           ExtensionRule{".dot", SourceKind::Word, ""},
    // PowerPoint 97-2003 presentations, slide shows and templates (compound files, read by content).
    ExtensionRule{".ppt", SourceKind::Presentation, ""},   ExtensionRule{".pps", SourceKind::Presentation, ""},
    ExtensionRule{".pot", SourceKind::Presentation, ""},
    // Excel 97-2003 workbooks and templates (compound files, read by content).
    ExtensionRule{".xls", SourceKind::Spreadsheet, ""},    ExtensionRule{".xlt", SourceKind::Spreadsheet, ""},
    // Excel and PowerPoint 2007 and later (zip packages like .docx; macro-enabled ones too).
    ExtensionRule{".xlsx", SourceKind::Spreadsheet, ""},   ExtensionRule{".xlsm", SourceKind::Spreadsheet, ""},
    ExtensionRule{".pptx", SourceKind::Presentation, ""},  ExtensionRule{".pptm", SourceKind::Presentation, ""},
    // OpenDocument spreadsheets and presentations (LibreOffice Calc, Impress) and their templates.
    ExtensionRule{".ods", SourceKind::Spreadsheet, ""},    ExtensionRule{".ots", SourceKind::Spreadsheet, ""},
    ExtensionRule{".odp", SourceKind::Presentation, ""},   ExtensionRule{".otp", SourceKind::Presentation, ""},
    // E-mail: Internet messages, and Outlook's saved messages (compound files).
    ExtensionRule{".eml", SourceKind::Email, ""},          ExtensionRule{".msg", SourceKind::Email, ""},
    ExtensionRule{".mbox", SourceKind::Email, ""},         ExtensionRule{".mbx", SourceKind::Email, ""},
    // Outlook mail stores (personal .pst, Exchange's offline .ost): read in place (isMailStore).
    ExtensionRule{".pst", SourceKind::Email, "pst"},       ExtensionRule{".ost", SourceKind::Email, "pst"},
    // Zip archives (a data room's export, files sent zipped): each file inside read as its kind.
    ExtensionRule{".zip", SourceKind::Archive, ""},
    // Tar archives, compressed or not, and 7-Zip's (libarchive_reader.h); ".tar.gz" and its kin are told
    // by the whole name (tarSuffix), a bare ".gz" is no archive.
    ExtensionRule{".tar", SourceKind::Archive, ""},        ExtensionRule{".tgz", SourceKind::Archive, ""},
    ExtensionRule{".tbz2", SourceKind::Archive, ""},       ExtensionRule{".tbz", SourceKind::Archive, ""},
    ExtensionRule{".txz", SourceKind::Archive, ""},        ExtensionRule{".7z", SourceKind::Archive, ""},
    ExtensionRule{".md", SourceKind::Markdown, ""},        ExtensionRule{".markdown", SourceKind::Markdown, ""},
    ExtensionRule{".html", SourceKind::Html, ""},          ExtensionRule{".htm", SourceKind::Html, ""},
    ExtensionRule{".txt", SourceKind::PlainText, ""},      ExtensionRule{".text", SourceKind::PlainText, ""},
    ExtensionRule{".rst", SourceKind::PlainText, ""},
    // Data read as text: the language tells them from prose (walker.h: they keep the smaller size cap).
    ExtensionRule{".json", SourceKind::PlainText, "json"}, ExtensionRule{".yaml", SourceKind::PlainText, "yaml"},
    ExtensionRule{".yml", SourceKind::PlainText, "yaml"},  ExtensionRule{".toml", SourceKind::PlainText, "toml"},
};

// A compressed tar named by two extensions: "report.tar.gz".
bool tarSuffix(std::string_view lower_name) {
  for (std::string_view suffix : {".tar.gz", ".tar.bz2", ".tar.xz"})
    if (lower_name.size() > suffix.size() && lower_name.substr(lower_name.size() - suffix.size()) == suffix) return true;
  return false;
}

bool listed(std::string_view list, std::string_view word) {
  if (word.empty()) return false;
  for (size_t pos = 0; pos < list.size();) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == word) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

SourceType classifySource(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string name = path.filename().string();
  for (const auto& r : kCodeRules) {
    if (listed(r.file_names, name)) return {SourceKind::Code, r.language};
  }
  for (const auto& r : kDocumentRules) {
    if (r.ext == ext) return {r.kind, r.language};
  }
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (tarSuffix(lower)) return {SourceKind::Archive, ""};
  // "Dockerfile.dev", "Dockerfile.prod": the stages of one more image.
  if (name.rfind("Dockerfile.", 0) == 0) return {SourceKind::Code, "dockerfile"};
  for (const auto& r : kCodeRules) {
    if (listed(r.extensions, ext)) return {SourceKind::Code, r.language};
  }
  if (ext.empty() && (name == "README" || name == "LICENSE" || name == "COPYING")) return {SourceKind::PlainText, ""};
  return {SourceKind::Unknown, ""};
}

std::string_view sourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::Pdf: return "pdf";
    case SourceKind::Image: return "image";
    case SourceKind::Word: return "word";
    case SourceKind::Spreadsheet: return "spreadsheet";
    case SourceKind::Presentation: return "presentation";
    case SourceKind::Email: return "email";
    case SourceKind::Archive: return "archive";
    case SourceKind::Markdown: return "markdown";
    case SourceKind::Html: return "html";
    case SourceKind::PlainText: return "text";
    case SourceKind::Code: return "code";
    case SourceKind::Unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace folio::ingest
