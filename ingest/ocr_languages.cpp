#include "ingest/ocr_languages.h"

#include <tesseract/baseapi.h>

#include <algorithm>
#include <cctype>

namespace folio::ingest {

Result<std::vector<std::string>> parseOcrLanguages(std::string_view languages) {
  std::vector<std::string> out;
  auto bad = [&](std::string_view why) {
    return badInput("OCR languages \"" + std::string(languages) + "\": " + std::string(why) +
                    " (Tesseract's names joined by '+', e.g. deu+eng)");
  };
  if (languages.empty()) return bad("none given");
  size_t start = 0;
  for (;;) {
    const size_t plus = languages.find('+', start);
    const std::string_view part = languages.substr(start, plus == std::string_view::npos ? plus : plus - start);
    if (part.empty()) return bad("an empty name");
    // "script/Latin" names a script model in the data folder's script/ folder; nothing else may leave it.
    const std::string_view name = part.starts_with("script/") ? part.substr(7) : part;
    const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    if (!ok) return bad("\"" + std::string(part) + "\" is not a language name");
    out.emplace_back(part);
    if (plus == std::string_view::npos) return out;
    start = plus + 1;
  }
}

OcrLanguageData ocrLanguageData() {
  tesseract::TessBaseAPI api;
  // Tesseract prints why a language failed to load; a language that cannot exist is asked for only to
  // learn the data folder, which it sets before loading.
  api.SetVariable("debug_file", "/dev/null");
  (void)api.Init(nullptr, "folio-no-such-language", tesseract::OEM_LSTM_ONLY);
  api.SetVariable("debug_file", "");
  OcrLanguageData data;
  if (const char* folder = api.GetDatapath()) data.folder = folder;
  api.GetAvailableLanguagesAsVector(&data.installed);
  // Orientation and equation models are no languages to read text in.
  std::erase_if(data.installed, [](const std::string& l) { return l == "osd" || l == "equ"; });
  std::sort(data.installed.begin(), data.installed.end());
  api.End();
  return data;
}

std::string ocrLanguagePackage(std::string_view language) {
  std::string package = "tesseract-ocr-";
  for (const char c : language) {
    package += c == '_' || c == '/' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return package;
}

Status checkOcrLanguages(std::string_view languages) {
  auto wanted = parseOcrLanguages(languages);
  if (!wanted) return wanted.error();
  const OcrLanguageData data = ocrLanguageData();
  for (const std::string& language : *wanted) {
    if (std::find(data.installed.begin(), data.installed.end(), language) != data.installed.end()) continue;
    std::string installed;
    for (const std::string& l : data.installed) installed += (installed.empty() ? "" : ", ") + l;
    // Script models come in packages named by ISO 15924 codes (script/Latin: tesseract-ocr-script-latn).
    const std::string install = language.starts_with("script/")
                                    ? "the tesseract-ocr-script-* package of that script"
                                    : "the Debian package " + ocrLanguagePackage(language);
    return badInput("OCR language \"" + language + "\" is not installed (no " + language + ".traineddata in " +
                    (data.folder.empty() ? std::string("Tesseract's data folder") : data.folder) + "): install " +
                    install + ", or set TESSDATA_PREFIX to a folder that has it; installed: " +
                    (installed.empty() ? std::string("none") : installed));
  }
  return {};
}

}  // namespace folio::ingest
