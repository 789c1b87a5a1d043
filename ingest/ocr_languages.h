// The languages Tesseract reads scanned pages in (folio ingest --ocr-lang, kept by a collection), in
// Tesseract's syntax: "eng", "deu+eng" (the first is the main one, each needs <lang>.traineddata in
// Tesseract's data folder). No Qt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest {

// The languages of a setting ("deu+eng" -> deu, eng); an error (BadInput) for one Tesseract would not
// take: an empty part, characters other than letters, digits, '_' and '-' (and "script/Name").
Result<std::vector<std::string>> parseOcrLanguages(std::string_view languages);

struct OcrLanguageData {
  std::string folder;                  // Tesseract's data folder ($TESSDATA_PREFIX, else its built-in one)
  std::vector<std::string> installed;  // languages with a .traineddata there ("eng", "script/Latin"), sorted
};
// Asks Tesseract where its data is and what is there (no language is loaded).
OcrLanguageData ocrLanguageData();

// The Debian package that installs a language's data: tesseract-ocr-deu, tesseract-ocr-chi-sim.
std::string ocrLanguagePackage(std::string_view language);

// Ok when every language of the setting is installed; else an error (BadInput) naming the first missing
// language, the package to install, the folder looked in, and the languages that are there.
Status checkOcrLanguages(std::string_view languages);

}  // namespace folio::ingest
