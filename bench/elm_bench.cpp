// One training epoch of the ELM neuron on Fashion-MNIST-Adding, as JSON on stdout, for
// bench/compare_pytorch.py to set against the same model in PyTorch:
//
//   neurite_elm_bench THREADS PAIRS MEMORY BATCH
//
// The model and task of `neurite repro elm-neuron`: rows of two images (56 steps of 28 inputs),
// d_m = MEMORY, tau_m in [1, 500], 19 classes, Adam with lr 5e-3, micro-batches of 32. The rate
// is the trainer's own count over the training epoch (no loading or evaluation).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "io/fashion_mnist.hpp"
#include "learn/elm.hpp"
#include "learn/sequences.hpp"
#include "learn/training.hpp"

int main(int argc, char** argv) try {
  using namespace neurite;
  if (argc != 5) {
    std::cerr << "usage: neurite_elm_bench THREADS PAIRS MEMORY BATCH\n";
    return 2;
  }
  const auto number = [&](int i) { return std::stoul(argv[i]); };
  const auto images = io::read_fashion_mnist(io::dataset_split::train);
  const learn::image_pair_sums train(images, learn::image_order::rows, static_cast<std::uint32_t>(number(2)), 1);
  const learn::image_pair_sums no_test(images, learn::image_order::rows, 0, 1);
  learn::elm_config c;
  c.memory = static_cast<std::int64_t>(number(3)), c.tau_m_max = 500;
  learn::elm_model elm(c, 1);
  learn::training_options o;
  o.threads = static_cast<int>(number(1)), o.batch_size = static_cast<std::uint32_t>(number(4)), o.learning_rate = 5e-3;
  const auto report = learn::train_classifier(elm, train, no_test, o);
  std::cout << nlohmann::json{{"samples_per_second", report.epochs.back().samples_per_second},
                              {"parameters", report.parameters}, {"train_loss", report.epochs.back().train_loss}}
            << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "neurite_elm_bench: " << e.what() << "\n";
  return 1;
}
