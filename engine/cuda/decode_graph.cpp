#include "engine/cuda/decode_graph.h"

namespace folio::engine::cuda {

namespace {
// Destroys a captured graph when the launch is done with it (the executable graph is a copy).
struct CapturedGraph {
  cudaGraph_t g = nullptr;
  ~CapturedGraph() {
    if (g) cudaGraphDestroy(g);
  }
};
}  // namespace

DecodeGraph::~DecodeGraph() {
  if (exec_) cudaGraphExecDestroy(exec_);
}

bool DecodeGraph::fail() {
  if (exec_) cudaGraphExecDestroy(exec_);
  exec_ = nullptr;
  usable_ = false;
  (void)cudaGetLastError();  // capture errors are not sticky: the stream launches that follow must not see them
  return false;
}

bool DecodeGraph::launch(cudaStream_t stream, const std::function<void()>& enqueue) {
  if (!usable_) return false;
  if (cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) != cudaSuccess) return fail();
  CapturedGraph captured;
  try {
    enqueue();
  } catch (...) {
    // end the (possibly invalidated) capture so the stream takes plain launches again
    cudaStreamEndCapture(stream, &captured.g);
    return fail();
  }
  if (cudaStreamEndCapture(stream, &captured.g) != cudaSuccess || captured.g == nullptr) return fail();
  if (exec_) {
    cudaGraphExecUpdateResultInfo info{};
    if (cudaGraphExecUpdate(exec_, captured.g, &info) != cudaSuccess) {
      // a different shape (cudaGraphExecUpdateErrorTopologyChanged and kin): instantiate anew
      (void)cudaGetLastError();
      cudaGraphExecDestroy(exec_);
      exec_ = nullptr;
    }
  }
  if (!exec_) {
    if (cudaGraphInstantiate(&exec_, captured.g, 0) != cudaSuccess) {
      exec_ = nullptr;
      return fail();
    }
    ++instantiations_;
  }
  if (cudaGraphLaunch(exec_, stream) != cudaSuccess) return fail();
  ++launches_;
  return true;
}

}  // namespace folio::engine::cuda
