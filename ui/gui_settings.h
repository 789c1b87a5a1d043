// What the window remembers across runs (QSettings, organisation "Folio", application "Folio"): the
// model directory, τ, budgets, engine threads, backend and devices, the last collection and export choices, the window layout,
// the review window's questions, the timeline window's words and day-first choice.
#pragma once

#include <QByteArray>
#include <QString>

class QSettings;

namespace folio::ui {

struct GuiSettings {
  static constexpr int kMaxThreads = 4096;  // as `folio generate --threads`

  QString model_dir;          // "" = extractive mode
  double expert_threshold = 1.0;
  int thinking_budget = 1024;
  int answer_budget = 512;
  int context_window = 0;     // 0 = the model's (at most 32768)
  int max_documents = 12;     // documents a question over a large scope reads (AskOptions::max_documents); 0 = all
  int threads = 0;            // engine CPU threads per generation; 0 = all cores
  QString backend = "cpu";    // where each question's sessions run: "cpu", "cuda" or "auto" (`--backend`)
  QString devices;            // CUDA devices, comma-separated as `--devices`; "" = device 0
  QString collection = "default";
  QString scope;              // "" = all documents
  QString export_format = "pdf";
  QString export_dir;
  QByteArray geometry;
  QByteArray state;           // the window's splitter positions (MainWindow::splitterState)
  QString review_questions;   // the review window's questions editor, as last left
  bool review_matching_only = false;
  QByteArray review_geometry;
  QString timeline_words;     // the timeline window's words filter, as last left
  bool timeline_day_first = false;
  QByteArray timeline_geometry;

  static GuiSettings load(QSettings& s);
  void save(QSettings& s) const;
};

}  // namespace folio::ui
