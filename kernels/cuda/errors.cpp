// Error reporting for the CUDA ops: one message format naming the failing call and its place.
#include <stdexcept>
#include <string>

#include "kernels/cuda/op_checks.h"

namespace folio::kernels::cuda {

void throwCudaError(const char* what, int code, const char* text, const char* file, int line) {
  throw std::runtime_error(std::string(what) + " failed with error " + std::to_string(code) + " (" +
                           (text ? text : "unknown") + ") at " + file + ":" + std::to_string(line));
}

void throwCudaRuntimeError(const char* what, cudaError_t code, const char* file, int line) {
  const std::string message = std::string(what) + " failed with error " + std::to_string(static_cast<int>(code)) +
                              " (" + cudaGetErrorString(code) + ") at " + file + ":" + std::to_string(line);
  if (code == cudaErrorMemoryAllocation) throw CudaOutOfMemory(message);
  throw std::runtime_error(message);
}

namespace detail {
void requireArg(bool ok, const char* op, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("cuda::") + op + ": " + what);
}
}  // namespace detail

}  // namespace folio::kernels::cuda
