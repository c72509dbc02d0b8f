#pragma once
// `neurite repro dynamic-confidence` (paper 18, Li, Jones & Furber, ICCV 2023): a QCFS MLP trained
// on Fashion-MNIST, converted to integrate-and-fire neurons and run for T = 32 steps; the fixed-T
// accuracy curve, Dynamic Confidence with its threshold chosen on a validation split carved from
// the training set, and the oracle "potential".
#include <cstdint>
#include <vector>

#include "repro/repro.hpp"

namespace neurite::repro {

struct dynamic_confidence_size {
  std::uint32_t train_samples = 0;       // the first ones of the training split; 0: all not used for validation
  std::uint32_t validation_samples = 0;  // the last ones of the training split
  std::uint32_t test_samples = 0;        // the first ones of the test split; 0: all
  std::vector<std::int64_t> hidden;
  std::int64_t levels = 8;  // L of QCFS
  std::uint32_t epochs = 0;
  std::uint32_t steps = 32;  // T
  double confidence_scale = 30;
};

dynamic_confidence_size dynamic_confidence_default_size(bool full);

std::vector<row> run_dynamic_confidence(const options& o, const dynamic_confidence_size& size);

}  // namespace neurite::repro
