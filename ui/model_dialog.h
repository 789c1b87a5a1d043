// The model panel: a model directory (checked with the `folio plan` logic on a worker: parameters,
// weight size, memory need at the context window), backend and CUDA devices, engine threads, τ and the budgets. Load
// hands the directory to the window, which loads it off the GUI thread; Unload returns to extractive mode.
#pragma once

#include <QDialog>

#include "engine/model_plan.h"
#include "ui/gui_settings.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace folio::ui {

class ModelService;

class ModelDialog : public QDialog {
  Q_OBJECT

 public:
  ModelDialog(ModelService* service, const GuiSettings& settings, QWidget* parent = nullptr);

  // The dialog's values written into `s`.
  void apply(GuiSettings& s) const;
  QString modelDir() const;
  QLabel* planSummary() const { return summary_; }
  QPushButton* loadButton() const { return load_; }
  QComboBox* backendBox() const { return backend_; }
  QSpinBox* threadsBox() const { return threads_; }
  QSpinBox* maxDocumentsBox() const { return max_documents_; }
  QLineEdit* devicesEdit() const { return devices_; }
  void setModelDir(const QString& dir);  // and plan it

 Q_SIGNALS:
  void loadRequested(const QString& dir);
  void unloadRequested();
  void planShown(bool ok);

 private:
  void replan();

  ModelService* service_;
  QLineEdit* dir_;
  QLabel* summary_;
  QComboBox* backend_;
  QLineEdit* devices_;
  QDoubleSpinBox* tau_;
  QSpinBox* thinking_;
  QSpinBox* answer_;
  QSpinBox* context_;
  QSpinBox* threads_;
  QSpinBox* max_documents_;
  QPushButton* load_;
};

// A short description of a plan: parameters, weights, memory on one device at `context` tokens.
QString describePlan(const engine::ModelPlan& plan);

}  // namespace folio::ui
