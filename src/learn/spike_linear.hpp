#pragma once
// The input currents of a spiking layer, I = x W^T + b, computed event by event when x holds
// spikes. A spike is 0 or 1, so a row of I is b plus the columns of W of the inputs that spiked:
// with rate-coded images (about 30% of inputs active per step) that is about a third of the
// multiply-adds of a dense product, and no multiplications. The weight gradient likewise adds each
// row of dL/dI to the columns of the inputs that spiked. Sums run over the spiking inputs in
// ascending order and over rows in order, whatever the thread count, so results are bit-identical
// on any number of threads; they differ from a dense product's by rounding only.
#include <ATen/core/Tensor.h>

namespace neurite::learn {

// x (..., in), weight (out, in), bias (out) -> (..., out), differentiable in all three, like
// at::linear. When x is not all zeros and ones (direct-current inputs, smooth surrogate spikes), or
// when too many inputs spike for events to pay, it is at::linear.
at::Tensor spike_linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias);

}  // namespace neurite::learn
