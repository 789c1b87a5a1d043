// The library search: a query box (words, "phrases", prefix*), a scope (all documents or a collection),
// and the passages found, best first, each with its document, heading, page and line span and the
// snippet with the matched words in bold. Searches run as the user pauses typing (or on Enter);
// choosing a passage opens it in the reader. The panel asks through searchRequested and shows what the
// SearchService answers; answers to superseded searches are dropped.
#pragma once

#include <QStringList>
#include <QWidget>

#include "ui/search_service.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QTimer;

namespace folio::ui {

class ScopeBox;

class SearchPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kTypingPauseMs = 250;

  explicit SearchPanel(QWidget* parent = nullptr);

  QLineEdit* searchEdit() const { return edit_; }
  ScopeBox* scopeBox() const { return scope_; }
  QListWidget* resultList() const { return results_; }
  QLabel* statusLabel() const { return status_; }
  const LibraryHits& hits() const { return hits_; }

  void setCollections(const QStringList& collections);
  void focusSearch();  // focus on the query, selected for typing over
  // The search the service started for the last searchRequested: only its answer is shown.
  void expect(quint64 generation) { expected_ = generation; }
  void showResults(quint64 generation, const QString& query, const folio::ui::LibraryHits& hits, bool any_term,
                   double elapsed_ms);
  void showError(quint64 generation, const QString& message);

 Q_SIGNALS:
  void searchRequested(const QString& query, const QString& collection);
  void hitActivated(const folio::ui::LibraryHit& hit);

 private:
  void runNow();

  QLineEdit* edit_;
  ScopeBox* scope_;
  QLabel* status_;
  QListWidget* results_;
  QTimer* typing_;
  LibraryHits hits_;
  quint64 expected_ = 0;
};

// One result as the list shows it (rich text): the document in bold, its heading and span, and the snippet
// with the words between the service's markers in bold; every piece escaped.
QString hitHtml(const ingest::SearchHit& hit);

}  // namespace folio::ui
