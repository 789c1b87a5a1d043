#include "ui/model_service.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace folio::ui {

ModelService::ModelService(QObject* parent) : QObject(parent) {
  qRegisterMetaType<engine::ModelPlan>();
  qRegisterMetaType<ModelRuntimePtr>();
  pool_.setMaxThreadCount(1);
}

ModelService::~ModelService() { shutdown(); }

void ModelService::plan(const QString& dir, qint64 context_tokens) {
  pool_.start([this, dir, context_tokens] {
    engine::PlanOptions options;
    options.context_tokens = context_tokens;
    options.tensor_parallel_degrees = {1};
    auto p = engine::planModelDir(dir.toStdString(), options);
    if (!p)
      QMetaObject::invokeMethod(this, [this, dir, m = p.error().message] { Q_EMIT planFailed(dir, QString::fromStdString(m)); },
                                Qt::QueuedConnection);
    else
      QMetaObject::invokeMethod(this, [this, dir, plan = std::move(*p)] { Q_EMIT planned(dir, plan); }, Qt::QueuedConnection);
  });
}

void ModelService::load(const QString& dir) {
  pool_.start([this, dir] {
    auto rt = loader_.load(dir.toStdString());
    if (!rt)
      QMetaObject::invokeMethod(this, [this, dir, m = rt.error().message] { Q_EMIT loadFailed(dir, QString::fromStdString(m)); },
                                Qt::QueuedConnection);
    else
      QMetaObject::invokeMethod(this, [this, dir, p = std::move(*rt)] { Q_EMIT loaded(dir, p); }, Qt::QueuedConnection);
  });
}

Result<ModelRuntimePtr> placeRuntime(const ModelRuntimePtr& rt, const GuiSettings& settings) {
  auto backend = engine::parseBackend(settings.backend.toStdString());
  if (!backend) return backend.error();
  std::vector<int> devices;
  if (!settings.devices.isEmpty()) {
    auto parsed = engine::parseDeviceList(settings.devices.toStdString());
    if (!parsed) return parsed.error();
    devices = std::move(*parsed);
  }
  if (rt->threads == settings.threads && rt->backend == *backend && rt->devices == devices) return rt;
  auto placed = std::make_shared<app::ModelRuntime>(*rt);
  placed->threads = settings.threads;
  placed->backend = *backend;
  placed->devices = std::move(devices);
  return ModelRuntimePtr(std::move(placed));
}

QString formatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? QString("%1 B").arg(bytes) : QString("%1 %2").arg(v, 0, 'f', 1).arg(units[u]);
}

QString formatCount(int64_t n) {
  const double v = static_cast<double>(n);
  if (n >= 1'000'000'000) return QString("%1 B").arg(v / 1e9, 0, 'f', 1);
  if (n >= 1'000'000) return QString("%1 M").arg(v / 1e6, 0, 'f', 1);
  if (n >= 10'000) return QString("%1 k").arg(v / 1e3, 0, 'f', 1);
  return QString::number(n);
}

}  // namespace folio::ui
