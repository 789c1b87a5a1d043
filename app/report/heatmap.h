// The routing heatmap: a layers × experts grid of token counts (darker = more tokens), with axis
// labels and a colour legend. Needs a QGuiApplication (fonts); see gui_app.h.
#pragma once

#include <QByteArray>
#include <QImage>

#include "engine/model/routing.h"

namespace folio::app {

// Empty (null) image when the aggregate has no layers.
QImage renderRoutingHeatmap(const engine::RoutingAggregate& routing);
QByteArray pngBytes(const QImage& image);

}  // namespace folio::app
