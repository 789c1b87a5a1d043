#include "ui/model_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/model_service.h"

namespace folio::ui {

QString describePlan(const engine::ModelPlan& p) {
  QString s = QObject::tr("%1 parameters (%2 active per token) · %3 layers (%4) · %5 experts, top-%6")
                  .arg(formatCount(p.total_params), formatCount(p.active_params))
                  .arg(p.config.num_layers)
                  .arg(QString::fromStdString(p.layer_pattern))
                  .arg(p.config.num_experts)
                  .arg(p.config.top_k);
  s += QObject::tr("\nWeights: %1 (bf16 + f32 routers), %2 as f32").arg(formatBytes(p.weights.bf16_f32_router),
                                                                       formatBytes(p.weights.all_f32));
  if (!p.tensor_parallel.empty()) {
    const auto& row = p.tensor_parallel.front();
    s += QObject::tr("\nMemory at %1 tokens on one device: %2 (KV %3, lightning state %4, workspace %5)")
             .arg(p.options.context_tokens)
             .arg(formatBytes(row.totalBf16()), formatBytes(row.kv_cache), formatBytes(row.lightning_state),
                  formatBytes(row.workspace));
  }
  if (p.checkpoint)
    s += p.checkpoint->matches.empty()
             ? QObject::tr("\nCheckpoint %1 states %2, which matches no storage choice")
                   .arg(QString::fromStdString(p.checkpoint->source), formatBytes(p.checkpoint->bytes))
             : QObject::tr("\nCheckpoint: %1 (%2)").arg(formatBytes(p.checkpoint->bytes), QString::fromStdString(p.checkpoint->matches));
  return s;
}

ModelDialog::ModelDialog(ModelService* service, const GuiSettings& settings, QWidget* parent)
    : QDialog(parent), service_(service) {
  setObjectName("modelDialog");
  setWindowTitle(tr("Model"));
  dir_ = new QLineEdit(settings.model_dir);
  dir_->setObjectName("modelDirEdit");
  dir_->setPlaceholderText(tr("A directory with config.json, the safetensors weights and tokenizer.json"));
  auto* browse = new QPushButton(tr("Browse…"));
  summary_ = new QLabel(tr("Choose a model directory."));
  summary_->setObjectName("planSummary");
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  backend_ = new QComboBox;
  backend_->setObjectName("backendBox");
  backend_->addItem(tr("CPU"), "cpu");
  backend_->addItem(tr("CUDA"), "cuda");
  backend_->addItem(tr("Auto (CUDA when a GPU is present)"), "auto");
  backend_->setCurrentIndex(std::max(0, backend_->findData(settings.backend)));
  // Every backend stays selectable: a CUDA choice that cannot run here is refused when a question is
  // asked, with the reason shown in the ask panel.
  backend_->setToolTip(
#ifdef FOLIO_HAVE_CUDA
      tr("Where each question's model sessions run. CUDA needs a GPU; Auto uses one when present."));
#else
      tr("Where each question's model sessions run. This build has no CUDA backend (configured with "
         "FOLIO_CUDA=OFF or no CUDA toolkit found), so CUDA is refused and Auto runs on the CPU."));
#endif
  devices_ = new QLineEdit(settings.devices);
  devices_->setObjectName("devicesEdit");
  devices_->setPlaceholderText(tr("0"));
  devices_->setValidator(new QRegularExpressionValidator(QRegularExpression("^\\d+(,\\d+)*$"), devices_));
  devices_->setToolTip(
      tr("CUDA devices for the CUDA and Auto backends, comma-separated; empty = device 0. Several split the model "
         "over them (tensor parallel)."));
  tau_ = new QDoubleSpinBox;
  tau_->setObjectName("tauBox");
  tau_->setRange(0.01, 1.0);
  tau_->setSingleStep(0.05);
  tau_->setDecimals(2);
  tau_->setValue(settings.expert_threshold);
  tau_->setToolTip(tr("Expert threshold τ: experts whose cumulative routing weight passes τ are skipped (1 = exact)."));
  thinking_ = new QSpinBox;
  thinking_->setObjectName("thinkingBudgetBox");
  thinking_->setRange(0, 1 << 20);
  thinking_->setValue(settings.thinking_budget);
  answer_ = new QSpinBox;
  answer_->setObjectName("answerBudgetBox");
  answer_->setRange(1, 1 << 20);
  answer_->setValue(settings.answer_budget);
  context_ = new QSpinBox;
  context_->setObjectName("contextWindowBox");
  context_->setRange(0, 1 << 24);
  context_->setSpecialValueText(tr("the model's (≤ 32768)"));
  context_->setValue(settings.context_window);
  threads_ = new QSpinBox;
  threads_->setObjectName("threadsBox");
  threads_->setRange(0, GuiSettings::kMaxThreads);
  threads_->setSpecialValueText(tr("all cores"));
  threads_->setValue(settings.threads);
  threads_->setToolTip(tr("Engine CPU threads per generation (CPU backend); 0 = all cores."));
  max_documents_ = new QSpinBox;
  max_documents_->setObjectName("maxDocumentsBox");
  max_documents_->setRange(0, 1 << 20);
  max_documents_->setSpecialValueText(tr("every document"));
  max_documents_->setValue(settings.max_documents);
  max_documents_->setToolTip(
      tr("A question over more documents than the context window holds reads only this many: those whose "
         "passages best match it (the answer's budget panel says how many were left out). Every document "
         "(0) means summarizing all of them first, which takes long with a model."));
  load_ = new QPushButton(tr("Load model"));
  load_->setObjectName("loadModelButton");
  load_->setEnabled(false);
  auto* unload = new QPushButton(tr("Unload (extractive mode)"));

  auto* dir_row = new QHBoxLayout;
  dir_row->addWidget(dir_, 1);
  dir_row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Model directory"), dir_row);
  form->addRow(tr("Plan"), summary_);
  form->addRow(tr("Backend"), backend_);
  form->addRow(tr("CUDA devices"), devices_);
  form->addRow(tr("Expert threshold τ"), tau_);
  form->addRow(tr("Thinking budget (tokens)"), thinking_);
  form->addRow(tr("Answer budget (tokens)"), answer_);
  form->addRow(tr("Context window (tokens)"), context_);
  form->addRow(tr("Documents read per question"), max_documents_);
  form->addRow(tr("Engine threads"), threads_);
  auto* box = new QDialogButtonBox(QDialogButtonBox::Close);
  box->addButton(load_, QDialogButtonBox::ActionRole);
  box->addButton(unload, QDialogButtonBox::ActionRole);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(box);

  connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Choose a model directory"), dir_->text());
    if (!d.isEmpty()) setModelDir(d);
  });
  connect(dir_, &QLineEdit::editingFinished, this, &ModelDialog::replan);
  connect(context_, &QSpinBox::editingFinished, this, &ModelDialog::replan);
  connect(load_, &QPushButton::clicked, this, [this] { Q_EMIT loadRequested(modelDir()); });
  connect(unload, &QPushButton::clicked, this, &ModelDialog::unloadRequested);
  connect(service_, &ModelService::planned, this, [this](const QString& dir, const engine::ModelPlan& plan) {
    if (dir != modelDir()) return;
    summary_->setText(describePlan(plan));
    load_->setEnabled(true);
    Q_EMIT planShown(true);
  });
  connect(service_, &ModelService::planFailed, this, [this](const QString& dir, const QString& m) {
    if (dir != modelDir()) return;
    summary_->setText(tr("Not a usable model directory: %1").arg(m));
    load_->setEnabled(false);
    Q_EMIT planShown(false);
  });
  if (!settings.model_dir.isEmpty()) replan();
}

QString ModelDialog::modelDir() const { return dir_->text().trimmed(); }

void ModelDialog::setModelDir(const QString& dir) {
  dir_->setText(dir);
  replan();
}

void ModelDialog::replan() {
  load_->setEnabled(false);
  if (modelDir().isEmpty()) {
    summary_->setText(tr("Choose a model directory."));
    return;
  }
  summary_->setText(tr("Checking %1…").arg(modelDir()));
  service_->plan(modelDir(), context_->value() > 0 ? context_->value() : 32768);
}

void ModelDialog::apply(GuiSettings& s) const {
  s.expert_threshold = tau_->value();
  s.thinking_budget = thinking_->value();
  s.answer_budget = answer_->value();
  s.context_window = context_->value();
  s.max_documents = max_documents_->value();
  s.threads = threads_->value();
  s.backend = backend_->currentData().toString();
  s.devices = devices_->text().trimmed();
}

}  // namespace folio::ui
