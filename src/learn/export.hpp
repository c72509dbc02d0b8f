#pragma once
// Export of a trained lif_network to a model file that the kernel runs with the same spikes at the
// same dt (docs/learn.md, "Export to the simulator"). Each LIF layer becomes a population of the
// kernel model lif_discrete, which has learn's parameters under learn's names; weights go to
// explicit connection lists beside the model file; the encoded input becomes spike sources.
//
// Time shift. The kernel delivers a spike one step (delay = dt) after the step that emitted it,
// whereas learn/ feeds layer l the spikes of layer l-1 of the same step. So learn's step t
// (from 0) of layer l (the input is layer 0, the first LIF layer 1) is the kernel's step t + l,
// and a spike that learn/ stamps (t + 1) dt appears in the kernel at (t + l + 1) dt.
//
// The biases are the constant input of the model, but per neuron and only for the steps in which
// the layer runs (from its kernel step l): they arrive as weights from one spike source per layer
// ("bias") that spikes in every step of that window.
//
// Samples side by side: the model file runs the B samples of the input at once, as B copies of the
// network; sample b's copy of a layer of n neurons is neurons [b n, (b + 1) n) of its population,
// as in learn's (batch, neurons) layout.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/simulation.hpp"
#include "learn/encoders.hpp"
#include "learn/lif_network.hpp"

namespace neurite::learn {

// The population of layer l (from 1) in an exported model file: "layer1", "layer2", ...
std::string layer_population(std::size_t layer);

// Writes DIR/model.toml and, per layer, DIR/layerL_weights.csv and DIR/layerL_bias.csv; returns the
// path of the model file. input_spikes: (T, batch, inputs) of 0 and 1, as forward() takes them
// from the poisson_rate or latency encoder. Throws std::invalid_argument for input that is not
// spikes (direct_current) or does not fit the network, and for recurrent networks or trained
// time constants, which lif_discrete does not have.
std::filesystem::path export_model_file(const lif_network& net, const at::Tensor& input_spikes,
                                        const std::filesystem::path& dir);

// The first `count` images of data encoded as the test evaluation of train_classifier encodes them
// (stream 1, epoch 0): (T, count, pixels).
at::Tensor encode_first(const encoder& e, const io::labelled_images& data, std::uint32_t count);

// Spikes (T, batch, n) of layer l as the kernel stamps them in an exported model: step t + l,
// id b n + i; sorted by (step, id) as the kernel's spike recorder sorts them.
std::vector<core::spike> kernel_spikes(const at::Tensor& spikes, std::size_t layer);

}  // namespace neurite::learn
