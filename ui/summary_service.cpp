#include "ui/summary_service.h"

#include <QMetaObject>
#include <memory>

#include "app/pipeline/ask.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/model_summarizer.h"
#include "app/pipeline/progress_text.h"
#include "app/pipeline/summary_tree.h"
#include "app/pipeline/token_counter.h"
#include "app/report/report_builder.h"

namespace folio::ui {

SummaryService::SummaryService(std::filesystem::path library_path, QObject* parent)
    : QObject(parent), path_(std::move(library_path)) {
  qRegisterMetaType<app::Report>();
  pool_.setMaxThreadCount(1);
}

SummaryService::~SummaryService() { shutdown(); }

void SummaryService::shutdown() {
  cancel_ = true;
  pool_.waitForDone();
}

void SummaryService::finish() {
  busy_ = false;
  Q_EMIT busyChanged(false);
}

void SummaryService::summarize(qint64 document_id, ModelRuntimePtr runtime, int context_window) {
  run(document_id, QString(), std::move(runtime), context_window);
}

void SummaryService::summarizeCollection(const QString& collection, ModelRuntimePtr runtime, int context_window) {
  run(0, collection, std::move(runtime), context_window);
}

void SummaryService::run(qint64 document_id, const QString& collection, ModelRuntimePtr runtime, int context_window) {
  if (busy_) return;
  busy_ = true;
  cancel_ = false;
  Q_EMIT busyChanged(true);
  pool_.start([this, document_id, name = collection.toStdString(), runtime, context_window] {
    const auto post = [this](auto f) { QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection); };
    const auto fail = [&](const std::string& message) {
      post([this, m = QString::fromStdString(message)] {
        finish();
        Q_EMIT failed(m);
      });
    };
    auto lib = ingest::Library::open(path_);
    if (!lib) return fail(lib.error().message);
    const bool whole = !name.empty();
    auto scope = whole ? app::resolveScope(*lib, name, {}) : app::resolveScope(*lib, std::nullopt, {document_id});
    if (!scope) return fail(scope.error().message);
    const auto counter = app::makeTokenCounter(runtime ? runtime->tokenizer.get() : nullptr);
    std::unique_ptr<app::Summarizer> summarizer;
    if (runtime) {
      const int64_t window = context_window > 0 ? context_window : app::defaultContextWindow(runtime.get());
      summarizer = std::make_unique<app::ModelSummarizer>(*runtime, window, 1.0);
    } else {
      summarizer = std::make_unique<app::ExtractiveSummarizer>(*counter);
    }
    app::SummaryTreeBuilder builder(*lib, *summarizer, *counter);
    auto tree = builder.build(scope->documents, whole ? scope->collection_id : std::nullopt, [&](const app::SummaryProgress& p) {
      post([this, m = tr("Summarizing %1: %2")
                          .arg(QString::fromStdString(app::describeSummaryProgress(p)),
                               QString::fromStdString(p.current))] { Q_EMIT progress(m); });
    }, &cancel_);
    if (!tree) return fail(tree.error().message);
    auto report = whole ? Result<app::Report>(app::collectionReport(*tree, name))
                        : app::documentReport(*lib, document_id, summarizer->identity());
    if (!report) return fail(report.error().message);
    post([this, document_id, r = std::move(*report)] {
      finish();
      Q_EMIT summarized(document_id, r);
    });
  });
}

}  // namespace folio::ui
