// Library › Scan languages…: the languages a collection's scanned pages are read in by OCR, as
// `folio ingest --ocr-lang` sets them. Tesseract's installed languages to check, the collection's
// first and in their order (the first is the main one), then the rest; a language not listed needs its
// Debian package (tesseract-ocr-deu, …). Nothing checked is the default, English.
#pragma once

#include <QDialog>
#include <QStringList>

class QListWidget;

namespace folio::ui {

class ScanLanguagesDialog : public QDialog {
  Q_OBJECT

 public:
  // `current` is the collection's setting ("deu+eng"; "" the default), `installed` Tesseract's languages.
  ScanLanguagesDialog(const QString& collection, const QString& current, const QStringList& installed,
                      QWidget* parent = nullptr);

  // The checked languages in list order, joined by '+' ("deu+eng"); "" when only English or none is.
  QString languages() const;
  QListWidget* list() const { return list_; }

 private:
  QListWidget* list_;
};

}  // namespace folio::ui
