// Reports draw text (heatmap labels, PDF pages), which needs a QGuiApplication. EnsureGuiApp creates
// one for its lifetime when the process has none, on the offscreen platform unless QT_QPA_PLATFORM
// names another.
#pragma once

#include <memory>

class QGuiApplication;

namespace folio::app {

class EnsureGuiApp {
 public:
  EnsureGuiApp();
  ~EnsureGuiApp();
  EnsureGuiApp(const EnsureGuiApp&) = delete;
  EnsureGuiApp& operator=(const EnsureGuiApp&) = delete;

 private:
  std::unique_ptr<QGuiApplication> app_;
  int argc_ = 1;
  char arg0_[6] = "folio";
  char* argv_[2] = {arg0_, nullptr};
};

}  // namespace folio::app
