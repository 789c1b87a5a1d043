// `folio bench` table B8: B sessions decoding at once, through one DecodeBatcher (each in its own thread,
// as the HTTP server runs them) against the same B sessions decoding in turn, in the same run.
#pragma once

#include <memory>

#include "app/bench/engine_bench.h"
#include "engine/model/model.h"

namespace folio::bench {

void printBatchDecodeTable(const std::shared_ptr<const engine::Model>& model, const EngineBenchOptions& options);

}  // namespace folio::bench
