// Between a whole model's session state and one tensor-parallel rank's part of it (the lightning
// states of its heads, the KV cache of its KV heads): how snapshots of a split session are written
// in the one whole-model format and read back, on the CPU ranks and the CUDA ranks alike.
// Dimension letters: H heads, KV kv-heads, D head dim.
#pragma once

#include "engine/model/session_state.h"
#include "engine/parallel/shard.h"

namespace folio::engine {

// Copies rank `layout`'s lightning heads and KV heads of `part` (allocated with the rank's config) into
// `whole` (allocated with `config`, the whole model's), KV rows < whole.position. A KV head several
// ranks hold is the same on each (same inputs, same rows of k_proj/v_proj), so any copy will do.
void gatherRankState(const SessionState& part, const RankLayout& layout, const ModelConfig& config,
                     SessionState& whole);

// The reverse: rank `layout`'s heads of `whole` into `part`, KV rows < whole.position; the position,
// tokens and last logits are copied as well.
void scatterRankState(const SessionState& whole, const RankLayout& layout, const ModelConfig& config,
                      SessionState& part);

}  // namespace folio::engine
