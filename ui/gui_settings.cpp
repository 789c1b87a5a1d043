#include "ui/gui_settings.h"

#include <QSettings>
#include <algorithm>

#include "engine/model/session.h"

namespace folio::ui {

GuiSettings GuiSettings::load(QSettings& s) {
  GuiSettings g;
  g.model_dir = s.value("model/dir").toString();
  g.expert_threshold = std::clamp(s.value("model/tau", 1.0).toDouble(), 0.01, 1.0);
  g.thinking_budget = std::max(0, s.value("model/thinking_budget", 1024).toInt());
  g.answer_budget = std::max(1, s.value("model/answer_budget", 512).toInt());
  g.context_window = std::max(0, s.value("model/context_window", 0).toInt());
  g.max_documents = std::clamp(s.value("ask/max_documents", g.max_documents).toInt(), 0, 1 << 20);
  g.threads = std::clamp(s.value("model/threads", 0).toInt(), 0, kMaxThreads);
  // A backend name this version does not know (edited by hand, or from a later version) falls back to the CPU.
  const QString backend = s.value("model/backend", "cpu").toString();
  g.backend = engine::parseBackend(backend.toStdString()).ok() ? backend : QString("cpu");
  g.devices = s.value("model/devices").toString().trimmed();
  g.collection = s.value("library/collection", "default").toString();
  g.scope = s.value("ask/scope").toString();
  g.export_format = s.value("export/format", "pdf").toString();
  g.export_dir = s.value("export/dir").toString();
  g.geometry = s.value("window/geometry").toByteArray();
  g.state = s.value("window/state").toByteArray();
  g.review_questions = s.value("review/questions").toString();
  g.review_matching_only = s.value("review/matching_only", false).toBool();
  g.review_geometry = s.value("review/geometry").toByteArray();
  g.timeline_words = s.value("timeline/words").toString();
  g.timeline_day_first = s.value("timeline/day_first", false).toBool();
  g.timeline_geometry = s.value("timeline/geometry").toByteArray();
  return g;
}

void GuiSettings::save(QSettings& s) const {
  s.setValue("model/dir", model_dir);
  s.setValue("model/tau", expert_threshold);
  s.setValue("model/thinking_budget", thinking_budget);
  s.setValue("model/answer_budget", answer_budget);
  s.setValue("model/context_window", context_window);
  s.setValue("ask/max_documents", max_documents);
  s.setValue("model/threads", threads);
  s.setValue("model/backend", backend);
  s.setValue("model/devices", devices);
  s.setValue("library/collection", collection);
  s.setValue("ask/scope", scope);
  s.setValue("export/format", export_format);
  s.setValue("export/dir", export_dir);
  s.setValue("window/geometry", geometry);
  s.setValue("window/state", state);
  s.setValue("review/questions", review_questions);
  s.setValue("review/matching_only", review_matching_only);
  s.setValue("review/geometry", review_geometry);
  s.setValue("timeline/words", timeline_words);
  s.setValue("timeline/day_first", timeline_day_first);
  s.setValue("timeline/geometry", timeline_geometry);
}

}  // namespace folio::ui
