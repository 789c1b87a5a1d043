#include "ingest/source_kind.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace folio::ingest {
namespace {

struct ExtensionRule {
  std::string_view ext;
  SourceKind kind;
  std::string_view language;
};

constexpr std::array kRules{
    ExtensionRule{".pdf", SourceKind::Pdf, ""},
    ExtensionRule{".md", SourceKind::Markdown, ""},        ExtensionRule{".markdown", SourceKind::Markdown, ""},
    ExtensionRule{".html", SourceKind::Html, ""},          ExtensionRule{".htm", SourceKind::Html, ""},
    ExtensionRule{".txt", SourceKind::PlainText, ""},      ExtensionRule{".text", SourceKind::PlainText, ""},
    ExtensionRule{".rst", SourceKind::PlainText, ""},
    ExtensionRule{".c", SourceKind::Code, "c"},            ExtensionRule{".h", SourceKind::Code, "c"},
    ExtensionRule{".cc", SourceKind::Code, "cpp"},         ExtensionRule{".cpp", SourceKind::Code, "cpp"},
    ExtensionRule{".cxx", SourceKind::Code, "cpp"},        ExtensionRule{".hpp", SourceKind::Code, "cpp"},
    ExtensionRule{".hh", SourceKind::Code, "cpp"},         ExtensionRule{".hxx", SourceKind::Code, "cpp"},
    ExtensionRule{".cu", SourceKind::Code, "cpp"},         ExtensionRule{".cuh", SourceKind::Code, "cpp"},
    ExtensionRule{".py", SourceKind::Code, "python"},      ExtensionRule{".js", SourceKind::Code, "javascript"},
    ExtensionRule{".mjs", SourceKind::Code, "javascript"}, ExtensionRule{".jsx", SourceKind::Code, "javascript"},
    ExtensionRule{".ts", SourceKind::Code, "typescript"},  ExtensionRule{".tsx", SourceKind::Code, "typescript"},
    ExtensionRule{".java", SourceKind::Code, "java"},      ExtensionRule{".go", SourceKind::Code, "go"},
    ExtensionRule{".rs", SourceKind::Code, "rust"},        ExtensionRule{".sh", SourceKind::Code, "shell"},
    ExtensionRule{".cmake", SourceKind::Code, "cmake"},
    // Data read as text: the language tells them from prose (walker.h: they keep the smaller size cap).
    ExtensionRule{".json", SourceKind::PlainText, "json"}, ExtensionRule{".yaml", SourceKind::PlainText, "yaml"},
    ExtensionRule{".yml", SourceKind::PlainText, "yaml"},  ExtensionRule{".toml", SourceKind::PlainText, "toml"},
};

}  // namespace

SourceType classifySource(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string name = path.filename().string();
  if (name == "CMakeLists.txt") return {SourceKind::Code, "cmake"};
  if (name == "Makefile" || name == "makefile") return {SourceKind::Code, "make"};
  for (const auto& r : kRules) {
    if (r.ext == ext) return {r.kind, r.language};
  }
  if (ext.empty() && (name == "README" || name == "LICENSE" || name == "COPYING")) return {SourceKind::PlainText, ""};
  return {SourceKind::Unknown, ""};
}

std::string_view sourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::Pdf: return "pdf";
    case SourceKind::Markdown: return "markdown";
    case SourceKind::Html: return "html";
    case SourceKind::PlainText: return "text";
    case SourceKind::Code: return "code";
    case SourceKind::Unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace folio::ingest
