// A running sequence on a loaded model: prefill a prompt in chunks, decode token by token, snapshot
// and restore. The generation loop (sampling, budgets, stops) is built on top of this in engine/generation/.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/routing.h"

namespace folio::engine {

class Model;  // engine/model/model.h: config + bound weights, shared read-only by sessions
class Sampler;  // engine/generation/sampler.h
class DecodeBatcher;  // engine/model/decode_batcher.h

// Where a session runs. Cuda needs a device (and a build with CUDA); Auto takes CUDA when a device
// exists, else the CPU.
enum class Backend { Cpu, Cuda, Auto };

struct SessionOptions;
// The prefill chunk a session on `backend` (Cpu or Cuda, as resolved) uses: options.prefill_chunk, or the
// backend's default for 0, at most the context capacity.
int64_t prefillChunkFor(const SessionOptions& options, Backend backend);

// "cpu", "cuda", "auto" (the CLI's --backend spelling) and back; parseBackend errors name the value.
Result<Backend> parseBackend(const std::string& name);
const char* backendName(Backend backend);
// "0,1,3" -> {0, 1, 3} (the CLI's --devices); an error names the bad entry.
Result<std::vector<int>> parseDeviceList(const std::string& list);

// Default prefill chunks. The CPU's 512 keeps a chunk's activations in cache-friendly sizes. On a GPU
// a chunk's MoE multiplies each expert's weights by about T·top_k/E rows: at 512 tokens (32 rows per
// expert for M1) every expert matrix is read from memory for about 64 FLOP per byte, a fifth of what
// an H100's bf16 tensor cores need per byte to stay busy; 4096 tokens give 256 rows per expert, past
// that balance, for about 0.5 MB of activations per token (M1 widths).
constexpr int kCpuPrefillChunk = 512;
constexpr int kCudaPrefillChunk = 4096;

struct SessionOptions {
  int64_t context_capacity = 4096;  // tokens the KV cache is allocated for up front (no growth in decode)
  double expert_threshold = 1.0;    // τ ∈ (0, 1]; 1 = the exact model
  int threads = 0;                  // 0: all cores (CPU backend)
  // Tokens per prefill chunk; any value gives the same logits. 0: the backend's default
  // (prefillChunkFor: kCpuPrefillChunk, kCudaPrefillChunk).
  int prefill_chunk = 0;
  Backend backend = Backend::Cpu;
  // CUDA device ordinals, each at most once; empty = device 0. Several: the model split over them by
  // tensor parallelism (one rank per device, NCCL between them; see engine/cuda/cuda_session.h).
  std::vector<int> devices;
  // CPU backend: split the model over this many tensor-parallel ranks, each a thread group of this
  // session with `threads / tensor_parallel` workers (engine/parallel/). Needs heads % N == 0 and KV % N
  // == 0 or N % KV == 0; 1 = the whole model on one pool (the default, bit-identical to before).
  int tensor_parallel = 1;
  // When set: this session's decode steps run batched with those of the batcher's other sessions (see
  // decode_batcher.h; on the CPU bit-identical to decoding alone). Needs the batcher's model. Sessions
  // that cannot join decode alone: a backend other than the batcher's first session's (on the CPU, split
  // over another number of tensor_parallel ranks counts as another backend), a model split over devices,
  // a context capacity over the batcher's.
  std::shared_ptr<DecodeBatcher> decode_batcher;
};

class Session {
 public:
  virtual ~Session() = default;

  // Validates the options and picks the backend (see Backend); a CUDA request that cannot be met fails
  // with "CUDA backend requested but <reason>".
  static Result<std::unique_ptr<Session>> create(std::shared_ptr<const Model> model, const SessionOptions& options);

  virtual Backend backend() const = 0;  // the backend actually running

  // Runs `ids` through the model after what is already in the session. When `all_logits` is not null it
  // receives the logits of every position of `ids` ([ids.size(), V], row-major); the last position's
  // logits are always available from lastLogits(). Checks `cancel` between chunks (Error kind Cancelled).
  virtual Status prefill(std::span<const int32_t> ids, std::vector<float>* all_logits = nullptr,
                         const std::atomic<bool>* cancel = nullptr) = 0;
  // Appends one token and computes its logits (the decode path: lightning recurrence, one KV row).
  virtual Status decode(int32_t id) = 0;

  virtual std::span<const float> lastLogits() const = 0;  // [V], fp32
  // The next token drawn from the last position's logits by `sampler` (one call per generated token;
  // it consumes what sampler.sample would from its random stream). The default samples lastLogits() on
  // the host; the CUDA session draws on the device after a decode step and reads back one id instead of
  // the logits row. Needs position() > 0.
  virtual Result<int32_t> sampleNext(Sampler& sampler);
  virtual int64_t position() const = 0;                   // tokens consumed so far
  virtual const std::vector<int32_t>& tokens() const = 0;

  virtual void setRoutingSink(RoutingSink* sink) = 0;      // not owned; nullptr to stop recording
  virtual const RoutingAggregate& routingAggregate() const = 0;
  virtual void setExpertThreshold(double tau) = 0;

  // Complete state (lightning states, KV cache, position, token history hash, model identity) to a
  // versioned, checksummed file written atomically; restore refuses another model or a corrupt file.
  virtual Status saveState(const std::filesystem::path& path) const = 0;
  virtual Status loadState(const std::filesystem::path& path) = 0;
};

}  // namespace folio::engine
