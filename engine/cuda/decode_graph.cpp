#include "engine/cuda/decode_graph.h"

#include <exception>

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

bool DecodeGraph::fail(const char* what, const std::string& why) {
  if (exec_) cudaGraphExecDestroy(exec_);
  exec_ = nullptr;
  usable_ = false;
  failure_ = std::string(what) + ": " + why;
  (void)cudaGetLastError();  // capture errors are not sticky: the stream launches that follow must not see them
  return false;
}

bool DecodeGraph::launch(cudaStream_t stream, const std::function<void()>& enqueue) {
  if (!usable_) return false;
  if (const cudaError_t e = cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal); e != cudaSuccess)
    return fail("cudaStreamBeginCapture", cudaGetErrorString(e));
  CapturedGraph captured;
  try {
    enqueue();
  } catch (const std::exception& e) {
    // end the (possibly invalidated) capture so the stream takes plain launches again
    cudaStreamEndCapture(stream, &captured.g);
    return fail("a captured launch", e.what());
  } catch (...) {
    cudaStreamEndCapture(stream, &captured.g);
    return fail("a captured launch", "an exception that is not a std::exception");
  }
  if (const cudaError_t e = cudaStreamEndCapture(stream, &captured.g); e != cudaSuccess || captured.g == nullptr)
    return fail("cudaStreamEndCapture", cudaGetErrorString(e));
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
    if (const cudaError_t e = cudaGraphInstantiate(&exec_, captured.g, 0); e != cudaSuccess) {
      exec_ = nullptr;
      return fail("cudaGraphInstantiate", cudaGetErrorString(e));
    }
    ++instantiations_;
  }
  if (const cudaError_t e = cudaGraphLaunch(exec_, stream); e != cudaSuccess)
    return fail("cudaGraphLaunch", cudaGetErrorString(e));
  ++launches_;
  return true;
}

}  // namespace folio::engine::cuda
