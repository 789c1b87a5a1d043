// Where a passage is, as the citation chips and the search results show it: " · p. 4 · l. 8–13".
#pragma once

#include <QString>

namespace folio::ui {

// " · p. 4", " · pp. 4–5", then " · l. 8–13"; "" when neither is known.
QString spanLabel(int page_first, int page_last, int line_first, int line_last);

}  // namespace folio::ui
