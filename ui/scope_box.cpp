#include "ui/scope_box.h"

namespace folio::ui {

ScopeBox::ScopeBox(QWidget* parent) : QComboBox(parent) { addItem(tr("All documents"), QString()); }

void ScopeBox::setCollections(const QStringList& collections) {
  const QString keep = scope();
  const QSignalBlocker quiet(this);  // the choice does not change when it is still listed
  clear();
  addItem(tr("All documents"), QString());
  for (const auto& c : collections) addItem(tr("Collection: %1").arg(c), c);
  setScope(keep);
}

QString ScopeBox::scope() const { return currentData().toString(); }

void ScopeBox::setScope(const QString& collection) {
  const int i = findData(collection);
  setCurrentIndex(i >= 0 ? i : 0);
}

}  // namespace folio::ui
