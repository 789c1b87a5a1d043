// One decode step as a CUDA graph: the ~120 kernels of a token launched with one cudaGraphLaunch
// instead of one launch each. The step is captured again every token (kernel arguments such as the
// position change) and folded into the kept executable graph with cudaGraphExecUpdate, which is
// cheaper than instantiating; a change of shape (a kernel more or less, e.g. when softmax decode
// starts splitting its rows) makes the update fail and the graph is instantiated anew (the llama.cpp
// approach). Instantiation is the only place the driver allocates device memory for it.
// If capture, instantiation or launch fails once, the object stays unusable and the caller launches
// on the stream for the rest of its life.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <functional>
#include <string>

namespace folio::engine::cuda {

class DecodeGraph {
 public:
  DecodeGraph() = default;
  ~DecodeGraph();
  DecodeGraph(const DecodeGraph&) = delete;
  DecodeGraph& operator=(const DecodeGraph&) = delete;

  // Captures what `enqueue` puts on `stream` (thread-local capture mode) and launches it there.
  // Returns false, with nothing enqueued, CUDA's last error cleared and this object unusable, when
  // the stream cannot be captured (e.g. the legacy default stream), `enqueue` throws or makes an
  // uncapturable call, or instantiation or launch fails; the caller then runs `enqueue` itself.
  bool launch(cudaStream_t stream, const std::function<void()>& enqueue);

  bool usable() const { return usable_; }
  const std::string& failure() const { return failure_; }  // why it became unusable; empty while usable
  int64_t launches() const { return launches_; }
  int64_t instantiations() const { return instantiations_; }

 private:
  // drops the executable graph, notes `what` failed and why, clears the last error, returns false
  bool fail(const char* what, const std::string& why);

  cudaGraphExec_t exec_ = nullptr;
  bool usable_ = true;
  std::string failure_;
  int64_t launches_ = 0;
  int64_t instantiations_ = 0;
};

}  // namespace folio::engine::cuda
