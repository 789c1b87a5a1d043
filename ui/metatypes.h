// Types that cross threads in queued signals between the workers and the widgets.
#pragma once

#include <QMetaType>
#include <memory>
#include <vector>

#include "app/pipeline/answer.h"
#include "app/pipeline/ask.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/summary_tree.h"
#include "engine/model/routing.h"
#include "engine/model_plan.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"

namespace folio::ui {
using DocumentList = std::vector<ingest::DocumentRecord>;
// A listing handed from the worker that read it to the model, shared rather than copied (100,000 records).
using DocumentListPtr = std::shared_ptr<const DocumentList>;
using ModelRuntimePtr = std::shared_ptr<const app::ModelRuntime>;
}  // namespace folio::ui

Q_DECLARE_METATYPE(folio::ui::DocumentList)
Q_DECLARE_METATYPE(folio::ui::DocumentListPtr)
Q_DECLARE_METATYPE(folio::ingest::IngestProgress)
Q_DECLARE_METATYPE(folio::ingest::IngestReport)
Q_DECLARE_METATYPE(folio::app::AnswerRecord)
Q_DECLARE_METATYPE(folio::app::AnswerProgress)
Q_DECLARE_METATYPE(folio::app::Evidence)
Q_DECLARE_METATYPE(folio::app::SummaryProgress)
Q_DECLARE_METATYPE(folio::engine::RoutingAggregate)
Q_DECLARE_METATYPE(folio::engine::ModelPlan)
Q_DECLARE_METATYPE(folio::ui::ModelRuntimePtr)
