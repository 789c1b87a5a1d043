#include "ui/passage_label.h"

#include <QObject>
#include <algorithm>

namespace folio::ui {

QString spanLabel(int page_first, int page_last, int line_first, int line_last) {
  QString label;
  if (page_first > 0)
    label += page_last > page_first ? QObject::tr(" · pp. %1–%2").arg(page_first).arg(page_last)
                                    : QObject::tr(" · p. %1").arg(page_first);
  if (line_first > 0) label += QObject::tr(" · l. %1–%2").arg(line_first).arg(std::max(line_first, line_last));
  return label;
}

}  // namespace folio::ui
