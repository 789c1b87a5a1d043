#include "ui/ask_service.h"

#include <QtConcurrent/QtConcurrentRun>

#include "app/pipeline/answer_store.h"
#include "app/pipeline/progress_text.h"
#include "app/report/report_builder.h"

namespace folio::ui {

AskService::AskService(std::filesystem::path library_path, QObject* parent)
    : QObject(parent), path_(std::move(library_path)), stream_(new StreamCoalescer(StreamCoalescer::kDefaultIntervalMs, this)) {
  connect(stream_, &StreamCoalescer::flushed, this, &AskService::answerStreamed);
  connect(stream_, &StreamCoalescer::progressed, this, &AskService::answerProgressed);
  qRegisterMetaType<app::AnswerRecord>();
  qRegisterMetaType<app::AnswerProgress>();
  qRegisterMetaType<QList<app::AnswerRecord>>();
  pool_.setMaxThreadCount(1);  // questions, history and exports in order, one connection at a time
}

AskService::~AskService() { shutdown(); }

void AskService::shutdown() {
  cancel_ = true;
  pool_.waitForDone();
}

Result<ingest::Library> AskService::openLibrary() {
  bool waiting_said = false, upgrading_said = false;
  return ingest::Library::open(path_, {}, [&](const ingest::MigrationProgress& p) {
    bool& said = p.waiting ? waiting_said : upgrading_said;
    if (!said) {
      said = true;
      post([this, waiting = p.waiting] {
        Q_EMIT progress(waiting ? tr("Waiting for the library index upgrade to finish…")
                                : tr("Upgrading the library index…"));
      });
    }
    return !cancel_.load();
  });
}

void AskService::ask(const app::AskOptions& options, ModelRuntimePtr runtime) {
  if (busy_) return;
  busy_ = true;
  cancel_ = false;
  pool_.start([this, options, runtime] {
    auto fail = [this](const std::string& m) {
      post([this, m] {
        busy_ = false;
        stream_->flush();  // what streamed before the failure or the stop stays on screen
        Q_EMIT askFailed(QString::fromStdString(m));
      });
    };
    auto lib = openLibrary();
    if (!lib) return fail(lib.error().kind == ErrorKind::Cancelled ? std::string("Stopped.") : lib.error().message);
    app::AskOptions opt = options;
    if (runtime) opt.state_dir = app::defaultStateDir(path_);
    opt.on_stream = [this](const app::ThinkingStreamSplitter::Delta& d) { stream_->append(d.thinking, d.answer); };
    opt.on_progress = [this](const app::AnswerProgress& p) { stream_->appendProgress(p); };
    auto on_progress = [this](const app::SummaryProgress& p) {
      post([this, p] {
        const bool answers = p.work == app::SummaryProgress::Work::DocumentAnswers;
        Q_EMIT progress((answers ? tr("Asking each document %1: %2") : tr("Summarizing %1: %2"))
                            .arg(QString::fromStdString(app::describeSummaryProgress(p)),
                                 QString::fromStdString(p.current)));
      });
    };
    auto a = app::ask(*lib, runtime.get(), opt, on_progress, &cancel_);
    if (!a) return fail(a.error().kind == ErrorKind::Cancelled ? std::string("Stopped.") : a.error().message);
    post([this, r = std::move(*a)] {
      busy_ = false;
      stream_->flush();  // the last streamed text arrives before the complete answer
      Q_EMIT answered(r);
    });
  });
}

void AskService::loadHistory() {
  pool_.start([this] {
    auto lib = openLibrary();
    if (!lib) return;
    auto ids = app::answerIds(lib->db(), std::nullopt);
    if (!ids) return;
    QList<app::AnswerRecord> answers;
    for (int64_t id : *ids)
      if (auto a = app::loadAnswer(lib->db(), id)) answers.push_back(std::move(*a));
    post([this, answers] { Q_EMIT historyLoaded(answers); });
  });
}

void AskService::exportReport(qint64 answer_id, const QString& session, app::ReportFormat format, const QString& out) {
  pool_.start([this, answer_id, session, format, out] {
    auto fail = [this](const std::string& m) { post([this, m] { Q_EMIT exportFailed(QString::fromStdString(m)); }); };
    auto lib = openLibrary();
    if (!lib) return fail(lib.error().message);
    auto report = answer_id > 0 ? app::answerReport(*lib, answer_id) : app::sessionReport(*lib, session.toStdString());
    if (!report) return fail(report.error().message);
    // Rendering (QTextDocument, QPdfWriter, QPainter on QImage) is allowed off the GUI thread; the
    // QApplication exists.
    auto files = app::exportReport(*report, format, out.toStdString());
    if (!files) return fail(files.error().message);
    QStringList names;
    for (const auto& f : *files) names << QString::fromStdString(f.string());
    post([this, names] { Q_EMIT exported(names); });
  });
}

}  // namespace folio::ui
