// The model's worker side for the GUI (widget-free): planning a model directory from its config.json
// (engine/model_plan: parameters, weight bytes, memory need) and loading it (app::ModelLoader, which hands
// back the runtime already loaded when the directory has not changed, so its device uploads stay), both
// on a worker thread; results come back as queued signals. The destructor joins the jobs.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

#include "app/pipeline/model_loader.h"
#include "engine/common/result.h"
#include "ui/gui_settings.h"
#include "ui/metatypes.h"

namespace folio::ui {

class ModelService : public QObject {
  Q_OBJECT

 public:
  explicit ModelService(QObject* parent = nullptr);
  ~ModelService() override;

  void plan(const QString& dir, qint64 context_tokens);
  void load(const QString& dir);
  void shutdown() { pool_.waitForDone(); }

 Q_SIGNALS:
  void planned(const QString& dir, const folio::engine::ModelPlan& plan);
  void planFailed(const QString& dir, const QString& message);
  void loaded(const QString& dir, const folio::ui::ModelRuntimePtr& runtime);
  void loadFailed(const QString& dir, const QString& message);

 private:
  app::ModelLoader loader_;
  QThreadPool pool_;
};

// The loaded runtime placed as the settings say (engine threads, backend, CUDA devices), sharing its
// weights; `rt` itself when nothing differs. A bad device list is an error naming "devices".
Result<ModelRuntimePtr> placeRuntime(const ModelRuntimePtr& rt, const GuiSettings& settings);

// "1.5 GiB", "320 MiB", "12 KiB", "17 B".
QString formatBytes(uint64_t bytes);
// "45.9 B", "1.2 M", "512".
QString formatCount(int64_t n);

}  // namespace folio::ui
