// Device discovery and a smoke kernel; plain C++ interface so non-CUDA code can call it.
#pragma once

#include <string>

namespace folio::kernels::cuda {

// Number of usable CUDA devices; 0 when there is no driver or no device (never throws).
int deviceCount();

// "NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB" or the CUDA error text.
std::string deviceDescription(int device);

// Fills y[i] = a * x[i] + y[i] on the device for n host floats; returns an empty string or the CUDA error.
std::string saxpyOnDevice(int device, float a, const float* x, float* y, int n);

}  // namespace folio::kernels::cuda
