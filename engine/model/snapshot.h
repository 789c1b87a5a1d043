// The on-disk format of a session's state (Session::saveState / loadState).
//
// Version 1, all integers little-endian:
//   "FOLIOSNP" magic (8 bytes) · u32 version · u32 flags (0)
//   u32 n + n bytes: the model identity (Model::identity(): weights identity / config hash)
//   i64 position P · u64 FNV-1a hash of the token ids · i32 × P token ids
//   u32 L, then per layer: u8 type (0 lightning, 1 softmax);
//     lightning: u32 H · u32 D · f32 × H·D·D state · i32 × H pending decode steps
//     softmax:   u32 KV · u32 D · f32 × P·KV·D keys · f32 × P·KV·D values (rows 0 … P−1 of the cache)
//   u32 V (0 at P = 0) · f32 × V logits after the last token
//   u64 FNV-1a of every byte before it
// Dimension letters: P position, L layers, H heads, KV kv-heads, D head dim, V vocab.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/common/result.h"
#include "engine/model/model.h"
#include "engine/model/session_state.h"

namespace folio::engine {

inline constexpr uint32_t kSnapshotVersion = 1;

// The snapshot bytes of `state` for `model`.
std::string encodeSnapshot(const SessionState& state, const Model& model);

// Checks `bytes` (magic, version, checksum, model identity, every size against the model and the
// token hash) and returns the state, allocated with room for `capacity` tokens. `source` names the
// file in error messages. Errors: BadInput for corrupt or foreign snapshots, Unsupported for a newer
// version.
Result<SessionState> decodeSnapshot(std::string_view bytes, const Model& model, int64_t capacity,
                                    const std::string& source);

// Reads the snapshot file at `path` and decodes it as decodeSnapshot does (every session's loadState).
Result<SessionState> readSnapshotFile(const std::filesystem::path& path, const Model& model, int64_t capacity);

}  // namespace folio::engine
