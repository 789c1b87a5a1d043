#include "app/report/gui_app.h"

#include <QGuiApplication>
#include <cstdlib>

namespace folio::app {

EnsureGuiApp::EnsureGuiApp() {
  if (QCoreApplication::instance()) return;
  // Reports never show a window: the offscreen platform works with or without a display.
  const char* platform = std::getenv("QT_QPA_PLATFORM");
  if (!platform || !*platform) qputenv("QT_QPA_PLATFORM", "offscreen");
  app_ = std::make_unique<QGuiApplication>(argc_, argv_);
}

EnsureGuiApp::~EnsureGuiApp() = default;

}  // namespace folio::app
