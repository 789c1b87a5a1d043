// Host-side checks shared by the CUDA ops (not part of the ops.h contract): launch and cuBLAS status
// checks that throw through throwCudaError, and argument preconditions that name the op.
#pragma once

#include <cublas_v2.h>

#include "kernels/cuda/ops.h"

#define FOLIO_CUDA_LAUNCH_CHECK() FOLIO_CUDA_CHECK(cudaGetLastError())

#define FOLIO_CUBLAS_CHECK(call)                                                                     \
  do {                                                                                               \
    cublasStatus_t folio_st_ = (call);                                                               \
    if (folio_st_ != CUBLAS_STATUS_SUCCESS)                                                          \
      ::folio::kernels::cuda::throwCudaError(#call, static_cast<int>(folio_st_),                     \
                                             cublasGetStatusString(folio_st_), __FILE__, __LINE__);  \
  } while (0)

namespace folio::kernels::cuda::detail {

// Throws std::invalid_argument "cuda::<op>: <what>" when a precondition on the host arguments fails.
void requireArg(bool ok, const char* op, const char* what);

}  // namespace folio::kernels::cuda::detail
