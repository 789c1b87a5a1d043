// Where a question or a library search looks: all documents, or one collection. Shared by the ask panel
// and the search panel so both list the collections the same way.
#pragma once

#include <QComboBox>
#include <QStringList>

namespace folio::ui {

class ScopeBox : public QComboBox {
  Q_OBJECT

 public:
  explicit ScopeBox(QWidget* parent = nullptr);
  // Lists these collections after "All documents", keeping the current choice when it is still listed.
  void setCollections(const QStringList& collections);
  QString scope() const;                      // "" = all documents
  void setScope(const QString& collection);  // "" or a collection not listed: all documents
};

}  // namespace folio::ui
